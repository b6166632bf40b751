import { expect, test } from '../support/fixtures';
import type { LiveSetup } from '../support/inlet-against-emulator';

/**
 * Sending must be reliable: every message reaches the customer exactly once or visibly fails with its
 * reason, whatever goes wrong between Inlet and Instagram (docs/platform.md#idempotency,
 * docs/platform.md#error-codes). "Exactly once" is read from the emulator's own log: `storedMid` is
 * set for every request that created a message, answered or not.
 */

/** How many messages the emulator created from requests carrying `text`. */
async function createdCount(live: LiveSetup, text: string): Promise<number> {
  return (await live.sent()).filter(
    (request) =>
      request.storedMid !== null &&
      request.storedMid !== undefined &&
      (request.body.message as { text?: string } | undefined)?.text === text,
  ).length;
}

test('a send whose answer never came is checked, not resent: by its echo, by the Conversations API, or failed with Retry', async ({
  live,
  customerWrites,
}) => {
  const { thread } = await customerWrites('ana.reconcile', 'Hello?');

  // Timeout after Meta stored it: the echo confirms it.
  await live.emulator.setFaults({ timeoutSends: 1 });
  await thread.send('Echo confirms this one.');
  await expect(thread.message('Echo confirms this one.')).toHaveDeliveryStatus('sent');

  // Same, but the echo is lost too: the conversation's newest messages confirm it.
  await live.emulator.setFaults({ timeoutSends: 1, dropDeliveries: 1 });
  await thread.send('The thread confirms this one.');
  await expect(thread.message('The thread confirms this one.')).toHaveDeliveryStatus('sent', {
    timeout: 20_000,
  });

  // Cut before Meta processed it: nothing on Instagram, so it fails honestly and Retry sends it.
  await live.emulator.setFaults({ lostSends: 1 });
  await thread.send('This one never arrived.');
  const lost = thread.message('This one never arrived.');
  await expect(lost).toHaveDeliveryStatus('failed', { timeout: 20_000 });
  await expect(lost).toContainText('no record of this message');
  expect(await createdCount(live, 'This one never arrived.')).toBe(0);
  await lost.getByRole('button', { name: 'Retry' }).click();
  await expect(lost).toHaveDeliveryStatus('sent');

  for (const text of [
    'Echo confirms this one.',
    'The thread confirms this one.',
    'This one never arrived.',
  ]) {
    expect(await createdCount(live, text), text).toBe(1);
  }
  // One bubble each: no echo turned into a second message "from the Instagram app".
  await expect(thread.message('confirms this one')).toHaveCount(2);
});

test('a burst under 5xx, throttling and timeouts, with inlet serve killed mid-burst: each message once, or failed with its reason', async ({
  live,
  inbox,
  customerWrites,
}) => {
  const { thread } = await customerWrites('ben.burst', 'Hello?');
  const texts = Array.from({ length: 8 }, (_, i) => `Burst message ${i + 1}`);

  // Slow answers keep a request on the wire when the kill lands; 503 (code 2) and 613 are refusals
  // that are retried with back-off; one timeout leaves an outcome unknown.
  await live.emulator.setFaults({
    sendFailures: { count: 2, code: 2, httpStatus: 503 },
    timeoutSends: 1,
    latencyMs: 400,
  });
  for (const text of texts) await thread.send(text);
  await expect(thread.message('Burst message')).toHaveCount(8);
  // Kill once both 503s, the timeout and at least one success are behind us, mid-burst.
  const burstRequests = async () => (await live.sentWith('Burst message')).length;
  await expect.poll(burstRequests, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  // After the restart, the first send is throttled (613) before anything else goes through.
  await live.emulator.setFaults({
    sendFailures: { count: 1, code: 613, regainAccessMinutes: 0 },
    latencyMs: 400,
  });
  await live.restart({ kill: true });
  const createdBeforeRestart = (
    await Promise.all(texts.map((text) => createdCount(live, text)))
  ).reduce((sum, count) => sum + count, 0);
  expect(createdBeforeRestart).toBeLessThan(texts.length); // the kill did land mid-burst
  await live.emulator.flushDeliveries();

  await inbox.open();
  await inbox.openConversation('ben.burst');
  for (const text of texts) {
    const bubble = thread.message(text);
    await expect(bubble, text).toHaveCount(1);
    await expect(bubble, text).toHaveDeliveryStatus(/^(sent|failed)$/, { timeout: 30_000 });
    const status = await bubble.getAttribute('data-status');
    if (status === 'sent') {
      expect(await createdCount(live, text), text).toBe(1);
    } else {
      await expect(bubble).toContainText('Not sent:');
      expect(await createdCount(live, text), text).toBe(0);
    }
  }
  // Every fault of the scenario really happened: two 503s, a timeout, a 613.
  const answers = (await live.sentWith('Burst message')).map((request) => request.response);
  expect(answers.filter((answer) => answer.status === 503)).toHaveLength(2);
  expect(answers.some((answer) => answer.status === null)).toBe(true);
  expect(answers.some((answer) => JSON.stringify(answer.body).includes('"code":613'))).toBe(true);
});

test('a refused token holds the account’s messages with “connect again”, also after a restart; after logging in again they go out once', async ({
  live,
  inbox,
  customerWrites,
}) => {
  const { thread } = await customerWrites('cleo.token', 'Hello?');
  await live.emulator.setFaults({ sendFailures: { count: 1, code: 190, subcode: 463 } });
  for (const text of ['Held one', 'Held two']) await thread.send(text);
  for (const text of ['Held one', 'Held two']) {
    await expect(thread.message(text)).toHaveDeliveryStatus('queued');
    await expect(thread.message(text)).toContainText('Connect the account again');
  }
  // Only the first reached Instagram: the outbox paused instead of failing the rest too.
  expect(await live.sentWith('Held')).toHaveLength(1);

  // A restart changes nothing: Instagram refused this token, so Inlet does not offer it again.
  await live.restart();
  await inbox.open();
  await inbox.openConversation('cleo.token');
  for (const text of ['Held one', 'Held two']) {
    await expect(thread.message(text)).toHaveDeliveryStatus('queued');
  }

  // The owner logs in again from Settings; the held messages then go out.
  const settings = await inbox.openSettings();
  const row = settings.account(live.account.username);
  await expect(row).toHaveAttribute('data-state', 'reconnect-needed');
  await live.emulator.configureApp({ redirectUris: [await settings.redirectUri()] });
  await row.getByRole('button', { name: 'Log in again' }).click();
  const consent = await settings.allowOnInstagram(live.account.username);
  await consent.close();
  await expect(row).toHaveAttribute('data-state', 'connected');
  await settings.close();
  for (const text of ['Held one', 'Held two']) {
    await expect(thread.message(text)).toHaveDeliveryStatus('sent');
    expect(await createdCount(live, text)).toBe(1);
  }
});
