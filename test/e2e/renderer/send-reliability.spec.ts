import { expect, test, type Page } from '@playwright/test';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';

/**
 * Issue #6, done-when: every message reaches the customer exactly once or visibly fails with its
 * reason, whatever goes wrong between Inlet and Instagram (platform §3.10, §5.4). "Exactly once" is
 * read from the emulator's own log: `storedMid` is set for every request that created a message,
 * answered or not.
 */

let setup: LiveSetup;

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

/** How many messages the emulator created from requests carrying `text`. */
async function createdCount(text: string): Promise<number> {
  const sent = await setup.emulator.sent(setup.account.igUserId);
  return sent.filter(
    (request) =>
      request.storedMid !== null &&
      request.storedMid !== undefined &&
      (request.body.message as { text?: string } | undefined)?.text === text,
  ).length;
}

async function openThread(page: Page, username: string) {
  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('conversation').filter({ hasText: username }).click();
  return {
    thread: page.getByRole('log', { name: 'Messages' }),
    composer: page.getByRole('textbox', { name: 'Message' }),
  };
}

async function newCustomer(username: string) {
  const customer = await setup.emulator.createCustomer({
    accountId: setup.account.igUserId,
    username,
  });
  await setup.emulator.customerSends(customer.igsid, { text: 'Hello?' });
  return customer;
}

test('a send whose answer never came is checked, not resent: by its echo, by the Conversations API, or failed with Retry', async ({
  page,
}) => {
  await setup.emulator.setFaults({});
  await newCustomer('ana.reconcile');
  const { thread, composer } = await openThread(page, 'ana.reconcile');
  const bubble = (text: string) => thread.getByTestId('message').filter({ hasText: text });

  // Timeout after Meta stored it: the echo confirms it.
  await setup.emulator.setFaults({ timeoutSends: 1 });
  await composer.fill('Echo confirms this one.');
  await composer.press('Enter');
  await expect(bubble('Echo confirms this one.')).toHaveAttribute('data-status', 'sent');

  // Same, but the echo is lost too: the conversation's newest messages confirm it.
  await setup.emulator.setFaults({ timeoutSends: 1, dropDeliveries: 1 });
  await composer.fill('The thread confirms this one.');
  await composer.press('Enter');
  await expect(bubble('The thread confirms this one.')).toHaveAttribute('data-status', 'sent', {
    timeout: 20_000,
  });

  // Cut before Meta processed it: nothing on Instagram, so it fails honestly and Retry sends it.
  await setup.emulator.setFaults({ lostSends: 1 });
  await composer.fill('This one never arrived.');
  await composer.press('Enter');
  const lost = bubble('This one never arrived.');
  await expect(lost).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
  await expect(lost).toContainText('no record of this message');
  expect(await createdCount('This one never arrived.')).toBe(0);
  await lost.getByRole('button', { name: 'Retry' }).click();
  await expect(lost).toHaveAttribute('data-status', 'sent');

  for (const text of [
    'Echo confirms this one.',
    'The thread confirms this one.',
    'This one never arrived.',
  ]) {
    expect(await createdCount(text), text).toBe(1);
  }
  // One bubble each: no echo turned into a second message "from the Instagram app".
  await expect(thread.getByTestId('message').filter({ hasText: 'confirms this one' })).toHaveCount(
    2,
  );
});

test('a burst under 5xx, throttling and timeouts, with inlet serve killed mid-burst: each message once, or failed with its reason', async ({
  page,
}) => {
  await setup.emulator.setFaults({});
  await newCustomer('ben.burst');
  const opened = await openThread(page, 'ben.burst');
  const { composer } = opened;
  let { thread } = opened;
  const texts = Array.from({ length: 8 }, (_, i) => `Burst message ${i + 1}`);

  // Slow answers keep a request on the wire when the kill lands; 503 (code 2) and 613 are refusals
  // that are retried with back-off; one timeout leaves an outcome unknown.
  await setup.emulator.setFaults({
    sendFailures: { count: 2, code: 2, httpStatus: 503 },
    timeoutSends: 1,
    latencyMs: 400,
  });
  for (const text of texts) {
    await composer.fill(text);
    await composer.press('Enter');
  }
  await expect(thread.getByTestId('message').filter({ hasText: 'Burst message' })).toHaveCount(8);
  // Kill once both 503s, the timeout and at least one success are behind us, mid-burst.
  const burstRequests = async () =>
    (await setup.emulator.sent(setup.account.igUserId)).filter((request) =>
      JSON.stringify(request.body).includes('Burst message'),
    ).length;
  await expect.poll(burstRequests, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  // After the restart, the first send is throttled (613) before anything else goes through.
  await setup.emulator.setFaults({
    sendFailures: { count: 1, code: 613, regainAccessMinutes: 0 },
    latencyMs: 400,
  });
  await setup.restart({ kill: true });
  const createdBeforeRestart = (await Promise.all(texts.map((text) => createdCount(text)))).reduce(
    (sum, count) => sum + count,
    0,
  );
  expect(createdBeforeRestart).toBeLessThan(texts.length); // the kill did land mid-burst
  await setup.emulator.flushDeliveries();

  ({ thread } = await openThread(page, 'ben.burst'));
  for (const text of texts) {
    const bubble = thread.getByTestId('message').filter({ hasText: text });
    await expect(bubble, text).toHaveCount(1);
    await expect(bubble, text).toHaveAttribute('data-status', /^(sent|failed)$/, {
      timeout: 30_000,
    });
    const status = await bubble.getAttribute('data-status');
    if (status === 'sent') {
      expect(await createdCount(text), text).toBe(1);
    } else {
      await expect(bubble).toContainText('Not sent:');
      expect(await createdCount(text), text).toBe(0);
    }
  }
  // Every fault of the scenario really happened: two 503s, a timeout, a 613.
  const answers = (await setup.emulator.sent(setup.account.igUserId))
    .filter((request) => JSON.stringify(request.body).includes('Burst message'))
    .map((request) => request.response);
  expect(answers.filter((answer) => answer.status === 503)).toHaveLength(2);
  expect(answers.some((answer) => answer.status === null)).toBe(true);
  expect(answers.some((answer) => JSON.stringify(answer.body).includes('"code":613'))).toBe(true);
  await setup.emulator.setFaults({});
});

test('a refused token holds the account’s messages with “connect again”, also after a restart; after logging in again they go out once', async ({
  page,
}) => {
  await setup.emulator.setFaults({});
  await newCustomer('cleo.token');
  const opened = await openThread(page, 'cleo.token');
  const { composer } = opened;
  let { thread } = opened;
  await setup.emulator.setFaults({ sendFailures: { count: 1, code: 190, subcode: 463 } });
  for (const text of ['Held one', 'Held two']) {
    await composer.fill(text);
    await composer.press('Enter');
  }
  for (const text of ['Held one', 'Held two']) {
    const bubble = thread.getByTestId('message').filter({ hasText: text });
    await expect(bubble).toHaveAttribute('data-status', 'queued');
    await expect(bubble).toContainText('Connect the account again');
  }
  // Only the first reached Instagram: the outbox paused instead of failing the rest too.
  expect(
    (await setup.emulator.sent(setup.account.igUserId)).filter((request) =>
      JSON.stringify(request.body).includes('Held'),
    ),
  ).toHaveLength(1);

  // A restart changes nothing: Instagram refused this token, so Inlet does not offer it again.
  await setup.restart();
  ({ thread } = await openThread(page, 'cleo.token'));
  for (const text of ['Held one', 'Held two']) {
    await expect(thread.getByTestId('message').filter({ hasText: text })).toHaveAttribute(
      'data-status',
      'queued',
    );
  }

  // The owner logs in again from Settings; the held messages then go out.
  await page
    .getByTestId('status-strip')
    .getByRole('button', { name: /Settings/ })
    .click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const row = settings.getByTestId('account').filter({ hasText: '@acme.studio' });
  await expect(row).toHaveAttribute('data-state', 'reconnect-needed');
  const redirectUri = (await settings.getByTestId('redirect-uri').textContent()) ?? '';
  await setup.emulator.configureApp({ redirectUris: [redirectUri] });
  await row.getByRole('button', { name: 'Log in again' }).click();
  const popupOpened = page.waitForEvent('popup');
  await settings.getByRole('link', { name: 'Open the Instagram login' }).click();
  const consent = await popupOpened;
  await consent.getByLabel('@acme.studio').check();
  await consent.getByRole('button', { name: 'Allow' }).click();
  await expect(consent.getByRole('heading', { name: 'Connected' })).toBeVisible();
  await consent.close();
  await expect(row).toHaveAttribute('data-state', 'connected');
  await settings.getByRole('button', { name: 'Close' }).click();
  for (const text of ['Held one', 'Held two']) {
    await expect(thread.getByTestId('message').filter({ hasText: text })).toHaveAttribute(
      'data-status',
      'sent',
    );
    expect(await createdCount(text)).toBe(1);
  }
});
