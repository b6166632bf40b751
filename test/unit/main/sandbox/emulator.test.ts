import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../main/sandbox/emulator';
import {
  createEmulatorClient,
  type EmulatorClient,
} from '../../../../main/sandbox/emulator-client';
import { hasValidSignature, manualClock, messagingOf, startReceiver } from './webhook-receiver';

const APP_SECRET = 'test-app-secret';
const VERIFY = 'verify-me';

describe('instagram emulator: the milestone round trip', () => {
  let emulator: RunningEmulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: EmulatorClient;

  beforeEach(async () => {
    emulator = await startEmulator({
      appId: '990602627938098',
      appSecret: APP_SECRET,
      clock: manualClock(),
      // The round trip runs without Inlet, which is what subscribes accounts.
      subscribeEveryone: true,
      // An app its owner published and switched to Live: every customer's DMs are sent.
      app: { mode: 'live', published: true },
    });
    receiver = await startReceiver({ verifyToken: VERIFY });
    client = createEmulatorClient(emulator.url);
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.close();
  });

  it('binds 127.0.0.1 and stops idempotently', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await emulator.stop();
    await emulator.stop();
    await expect(fetch(`${emulator.url}/_emulator/clock`)).rejects.toThrow();
  });

  it('delivers a signed, Meta-escaped DM, accepts a reply, logs it and echoes it', async () => {
    const account = await client.createAccount({ username: 'acme.studio' });
    expect(account.igUserId).toMatch(/^1784\d{13}$/);
    expect(account.accessToken).toMatch(/^IGAA/);
    await client.registerWebhook({ callbackUrl: receiver.url, verifyToken: VERIFY });
    const customer = await client.createCustomer({
      accountId: account.igUserId,
      username: 'lena.k',
    });

    const sent = await client.customerSends(customer.igsid, { text: 'Hi ✨ / test' });
    expect(sent.delivery).toEqual({ status: 200, error: null });
    const inbound = await receiver.waitFor((post) =>
      messagingOf(post).some((e) => e.message?.mid === sent.mid),
    );
    expect(inbound.text).toContain('Hi \\u2728 \\/ test');
    expect(inbound.text).not.toContain('✨');
    expect(inbound.headers['content-type']).toBe('application/json');
    expect(hasValidSignature(inbound, APP_SECRET)).toBe(true);
    expect(hasValidSignature(inbound, 'some-other-secret')).toBe(false);
    const event = messagingOf(inbound)[0]!;
    expect(inbound.json.entry[0]!.id).toBe(account.igUserId);
    expect(event.sender).toEqual({ id: customer.igsid });
    expect(event.recipient).toEqual({ id: account.igUserId });
    expect(event.message?.text).toBe('Hi ✨ / test');

    const response = await fetch(`${emulator.url}/v24.0/${account.igUserId}/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${account.accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        recipient: { id: customer.igsid },
        message: { text: 'Yes! We have M 👕' },
      }),
    });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { recipient_id: string; message_id: string };
    expect(reply.recipient_id).toBe(customer.igsid);

    const log = await client.sent(account.igUserId);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      accountId: account.igUserId,
      path: `/v24.0/${account.igUserId}/messages`,
      body: { recipient: { id: customer.igsid }, message: { text: 'Yes! We have M 👕' } },
      response: { status: 200, body: reply },
    });

    const echo = await receiver.waitFor((post) =>
      messagingOf(post).some((e) => e.message?.is_echo === true),
    );
    const echoEvent = messagingOf(echo)[0]!;
    expect(echoEvent.message?.mid).toBe(reply.message_id);
    expect(echoEvent.sender).toEqual({ id: account.igUserId });
    expect(echoEvent.recipient).toEqual({ id: customer.igsid });
    expect(echo.text).toContain('\\ud83d\\udc55');
    expect(hasValidSignature(echo, APP_SECRET)).toBe(true);

    const deliveries = await client.flushDeliveries();
    expect(deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered']);
    expect(deliveries[0]!.body).toBe(inbound.text);
    expect(deliveries[0]!.signature).toBe(inbound.headers['x-hub-signature-256']);
  });

  it('refuses a webhook whose verification does not echo the challenge', async () => {
    receiver.setChallengeEcho((challenge) => `"${challenge}"`);
    await expect(
      client.registerWebhook({ callbackUrl: receiver.url, verifyToken: VERIFY }),
    ).rejects.toThrow(/502.*challenge/);
    await expect(
      client.registerWebhook({ callbackUrl: receiver.url, verifyToken: 'wrong' }),
    ).rejects.toThrow(/HTTP 403/);
  });

  it('reports a failed first delivery in the admin answer', async () => {
    const account = await client.createAccount({ username: 'acme.studio' });
    await client.registerWebhook({ callbackUrl: receiver.url, verifyToken: VERIFY });
    const customer = await client.createCustomer({
      accountId: account.igUserId,
      username: 'lena.k',
    });
    receiver.statusQueue.push(500);
    const result = await client.customerSends(customer.igsid, { text: 'hello?' });
    expect(result.delivery).toEqual({ status: 500, error: 'HTTP 500' });
  });

  it('explains what is wrong with an admin request', async () => {
    await expect(
      client.createCustomer({ accountId: '17841400000000999', username: 'x' }),
    ).rejects.toThrow(/404.*unknown account/);
    await expect(client.customerSends('123', { text: 'hi' })).rejects.toThrow(
      /404.*unknown customer/,
    );
    const bad = await fetch(`${emulator.url}/_emulator/accounts`, {
      method: 'POST',
      body: '{"username":',
    });
    expect(bad.status).toBe(400);
  });
});
