import { afterEach, describe, expect, it } from 'vitest';
import { parseWebhook } from '../../../../main/core/webhook/parse-webhook';
import { APP_SECRET, body, startHarness, type Harness } from './harness';
import { hasValidSignature, messagingOf } from './webhook-receiver';

/**
 * Who Meta sends webhooks to, and when it stops (docs/platform.md#app-modes, #delivery,
 * #self-messaging): the emulator is as silent as Meta, and only its admin answer says why.
 */
let h: Harness;
afterEach(() => h.stop());

const HOUR = 3_600_000;

describe('what a new app is sent', () => {
  it('sends nothing while the app is unpublished, whatever the subscription', async () => {
    h = await startHarness({ app: {} });
    const sent = await h.client.customerSends(h.customer.igsid, { text: 'anyone there?' });

    expect(sent.delivery).toEqual({ status: null, error: 'withheld: the app is not published' });
    await h.client.flushDeliveries();
    expect(h.receiver.posts).toEqual([]);
    expect(await h.client.deliveries()).toEqual([]);
  });

  it('in Development mode sends only the events of people with a role on the app', async () => {
    h = await startHarness({ app: { mode: 'development', published: true } });
    const tester = await h.client.createCustomer({
      accountId: h.account.igUserId,
      username: 'our.tester',
      hasRole: true,
    });

    const stranger = await h.client.customerSends(h.customer.igsid, { text: 'from a stranger' });
    const fromTester = await h.client.customerSends(tester.igsid, { text: 'from the tester' });

    expect(stranger.delivery.error).toBe(
      `withheld: the app is in Development mode and ${h.customer.igsid} has no role on it`,
    );
    expect(fromTester.delivery).toEqual({ status: 200, error: null });
    expect(h.receiver.posts.map((post) => messagingOf(post)[0]?.message?.text)).toEqual([
      'from the tester',
    ]);
  });

  it('withholds the echo of a reply to a stranger too, though the send succeeds', async () => {
    h = await startHarness({ app: { mode: 'development', published: true } });
    await h.client.customerSends(h.customer.igsid, { text: 'hello?' });
    const answer = await h.sendMessage({
      recipient: { id: h.customer.igsid },
      message: { text: 'Hi!' },
    });
    expect(answer.status).toBe(200);
    await h.client.flushDeliveries();
    expect(h.receiver.posts).toEqual([]);
  });

  it('sends everyone’s events once the app is Live', async () => {
    h = await startHarness({ app: { mode: 'development', published: true } });
    await h.client.configureApp({ mode: 'live' });
    const sent = await h.client.customerSends(h.customer.igsid, { text: 'now you hear me' });
    expect(sent.delivery.status).toBe(200);
  });
});

describe('a subscription Meta drops after failed deliveries', () => {
  it('unsubscribes the account after an hour of failures and stops retrying', async () => {
    h = await startHarness();
    await h.receiver.close();
    const first = await h.client.customerSends(h.customer.igsid, { text: 'lost 1' });
    expect(first.delivery.status).toBeNull();
    await h.client.customerSends(h.customer.igsid, { text: 'lost 2' });

    // Retries at +10 s, +1 min, +5 min, +15 min and +1 h: the last one passes the hour.
    for (let i = 0; i < 8; i++) {
      await h.client.advanceClock(15 * 60_000);
      await h.client.flushDeliveries();
    }
    expect(await h.client.subscription(h.account.igUserId)).toEqual({
      igUserId: h.account.igUserId,
      subscribedFields: [],
    });
    const log = await h.client.deliveries();
    expect(log.map((delivery) => [delivery.state, delivery.nextAttemptAt])).toEqual([
      ['failed', null],
      ['failed', null],
    ]);
    const later = await h.client.customerSends(h.customer.igsid, { text: 'after the drop' });
    expect(later.delivery.error).toBe('the account is not subscribed to this field');
  });

  it('keeps the subscription when a delivery gets through within the hour', async () => {
    h = await startHarness({ app: { mode: 'live', published: true } });
    h.receiver.statusQueue.push(500, 500, 500, 500);
    await h.client.customerSends(h.customer.igsid, { text: 'eventually' });
    for (let i = 0; i < 4; i++) {
      await h.client.advanceClock(15 * 60_000);
      await h.client.flushDeliveries();
    }
    expect((await h.client.deliveries())[0]?.state).toBe('delivered');
    // A new run of failures starts from zero: 50 minutes of them drop nothing.
    h.receiver.statusQueue.push(500, 500, 500, 500, 500);
    await h.client.customerSends(h.customer.igsid, { text: 'flaky again' });
    await h.client.advanceClock(50 * 60_000);
    await h.client.flushDeliveries();
    expect((await h.client.subscription(h.account.igUserId)).subscribedFields).toContain(
      'messages',
    );
  });

  it('follows a shorter window when a test sets one', async () => {
    h = await startHarness();
    await h.client.configureApp({ dropSubscriptionAfterMs: 60_000 });
    await h.receiver.close();
    await h.client.customerSends(h.customer.igsid, { text: 'gone soon' });
    await h.client.advanceClock(HOUR);
    await h.client.flushDeliveries();
    await h.client.advanceClock(HOUR);
    await h.client.flushDeliveries();
    expect((await h.client.subscription(h.account.igUserId)).subscribedFields).toEqual([]);
  });

  it('counts attempts that could not reach the callback (a machine asleep) towards the drop', async () => {
    h = await startHarness();
    await h.client.configureApp({ dropSubscriptionAfterMs: 10_000 });
    await h.client.setFaults({ unreachableDeliveries: 2 });
    const sent = await h.client.customerSends(h.customer.igsid, { text: 'while you slept' });
    expect(sent.delivery).toEqual({
      status: null,
      error: 'the callback could not be reached (fault injection)',
    });
    await h.client.advanceClock(10_000);
    await h.client.flushDeliveries();
    expect((await h.client.subscription(h.account.igUserId)).subscribedFields).toEqual([]);
    expect(h.receiver.posts).toEqual([]);
    expect((await h.client.deliveries())[0]?.state).toBe('failed');
  });
});

describe('the dashboard’s Test button', () => {
  it('posts a signed Page-style body with entry id "0", even to an unpublished app', async () => {
    h = await startHarness({ app: {} });
    const result = await h.client.dashboardTest();

    expect(result).toEqual({ status: 200, error: null });
    const [post] = h.receiver.posts;
    expect(hasValidSignature(post!, APP_SECRET)).toBe(true);
    expect(post!.json.entry[0]).toMatchObject({
      id: '0',
      changes: [{ field: 'messages', value: { message: { mid: 'random_mid' } } }],
    });
    // Inlet recognises it and never makes a conversation of it.
    expect(parseWebhook(Buffer.from(post!.text), Date.now())).toEqual([
      { kind: 'ignored', accountId: '0', reason: 'dashboard test event' },
    ]);
  });
});

describe('self-messaging, Meta’s test of a setup', () => {
  it('accepts a message to the business itself, outside any window, and echoes it as is_self', async () => {
    h = await startHarness();
    const answer = await h.sendMessage({
      recipient: { id: h.account.igUserId },
      message: { text: 'Inlet test' },
    });
    expect(answer.status).toBe(200);
    const { message_id } = body<{ message_id: string }>(answer);
    await h.client.flushDeliveries();

    const [echo] = messagingOf(h.receiver.posts[0]!);
    expect(echo).toMatchObject({
      sender: { id: h.account.igUserId },
      recipient: { id: h.account.igUserId },
      message: { mid: message_id, text: 'Inlet test', is_echo: true, is_self: true },
    });
    const conversations = await h.graph(
      `/v24.0/${h.account.igUserId}/conversations?platform=instagram`,
    );
    expect(body<{ data: unknown[] }>(conversations).data).toEqual([]);
  });

  it('is sent in Development mode: the business has its role', async () => {
    h = await startHarness({ app: { mode: 'development', published: true } });
    await h.sendMessage({ recipient: { id: h.account.igUserId }, message: { text: 'loop?' } });
    await h.client.flushDeliveries();
    expect(h.receiver.posts).toHaveLength(1);
  });

  it('still validates the message', async () => {
    h = await startHarness();
    const answer = await h.sendMessage({ recipient: { id: h.account.igUserId }, message: {} });
    expect(answer.status).toBe(400);
  });
});
