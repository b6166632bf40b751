import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEmulatorAdminCommand } from '../../../../main/sandbox/emulator-admin-command';
import { body, startHarness, type Harness } from './harness';

/** Meta's per-account install (docs/platform.md#subscriptions), as strict as Meta. */
describe('emulator webhook subscriptions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ subscribeEveryone: false });
  });
  afterEach(() => h.stop());

  const subscribe = (fields: string, token?: string) =>
    h.graph(
      `/v24.0/${h.account.igUserId}/subscribed_apps?subscribed_fields=${encodeURIComponent(fields)}`,
      { method: 'POST', token },
    );
  const subscribedApps = async () =>
    body<{ data: { subscribed_fields: string[] }[] }>(
      await h.graph(`/v24.0/${h.account.igUserId}/subscribed_apps`),
    ).data;

  it('starts a new account unsubscribed: nothing is delivered and GET reports nothing', async () => {
    expect(await subscribedApps()).toEqual([]);
    const sent = await h.client.customerSends(h.customer.igsid, { text: 'Hi' });

    expect(sent.delivery.error).toBe('the account is not subscribed to this field');
    expect(h.receiver.posts).toEqual([]);
  });

  it('delivers only the fields subscribed: comments need their own subscription', async () => {
    expect((await subscribe('messages')).status).toBe(200);
    expect(await subscribedApps()).toMatchObject([{ subscribed_fields: ['messages'] }]);

    await h.client.customerSends(h.customer.igsid, { text: 'Hi' });
    const comment = await h.client.comment({ accountId: h.account.igUserId, text: 'Price?' });
    expect(comment.delivery.error).toBe('the account is not subscribed to this field');
    expect(h.receiver.posts).toHaveLength(1);

    expect((await subscribe('messages,comments,live_comments')).status).toBe(200);
    await h.client.comment({ accountId: h.account.igUserId, text: 'Price?' });
    expect(h.receiver.posts).toHaveLength(2);
  });

  it('refuses unknown fields and keeps the account unsubscribed', async () => {
    const answer = await subscribe('messages,bogus');
    expect(answer.status).toBe(400);
    expect(body<{ error: { code: number } }>(answer).error.code).toBe(100);
    expect(await subscribedApps()).toEqual([]);
  });

  it('drops a subscription through the admin API and the unsubscribe verb', async () => {
    await subscribe('messages,comments');
    expect(await h.client.subscription(h.account.igUserId)).toEqual({
      igUserId: h.account.igUserId,
      subscribedFields: ['messages', 'comments'],
    });

    const lines: string[] = [];
    await runEmulatorAdminCommand(
      'unsubscribe',
      ['--url', h.emulator.url, '--account', h.account.igUserId],
      { stdout: (line) => lines.push(line) },
    );
    expect(JSON.parse(lines[0]!)).toEqual({ igUserId: h.account.igUserId, subscribedFields: [] });
    expect(await subscribedApps()).toEqual([]);
    await h.client.customerSends(h.customer.igsid, { text: 'Anyone there?' });
    expect(h.receiver.posts).toEqual([]);
  });

  it('says which account is unknown, and which flag is missing', async () => {
    await expect(h.client.dropSubscription('17841499999999999')).rejects.toThrow(/unknown account/);
    await expect(
      runEmulatorAdminCommand('unsubscribe', ['--url', h.emulator.url], { stdout: () => {} }),
    ).rejects.toThrow(/--account/);
  });

  it('opts into subscribing every new account through the app settings', async () => {
    await h.client.configureApp({ subscribeEveryone: true });
    const other = await h.client.createAccount({ username: 'second.shop' });
    expect((await h.client.subscription(other.igUserId)).subscribedFields).toContain('comments');
    const settings = (await (await fetch(`${h.emulator.url}/_emulator/app`)).json()) as object;
    expect(settings).toMatchObject({ subscribeEveryone: true, mode: 'live', published: true });
    expect(settings).not.toHaveProperty('appSecret');
  });
});
