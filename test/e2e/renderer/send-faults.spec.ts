import { expect, test } from '@playwright/test';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';

let setup: LiveSetup;

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

test('a throttled send is retried on its own; a refused one shows why and goes out after Retry', async ({
  page,
}) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'tom.builds',
  });
  await emulator.customerSends(customer.igsid, { text: 'Do you ship to Canada?' });
  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('conversation').filter({ hasText: 'tom.builds' }).click();
  const thread = page.getByRole('log', { name: 'Messages' });
  const composer = page.getByRole('textbox', { name: 'Message' });

  // 613 (call-rate limit): Meta refused it, so sending again cannot duplicate it (§5.4).
  await emulator.setFaults({ sendFailures: { count: 1, code: 613, regainAccessMinutes: 0 } });
  await composer.fill('Yes, we ship to Canada.');
  await composer.press('Enter');
  await expect(
    thread.getByTestId('message').filter({ hasText: 'ship to Canada.' }),
  ).toHaveAttribute('data-status', 'sent');
  const attempts = (await emulator.sent(account.igUserId)).filter((request) =>
    JSON.stringify(request.body).includes('ship to Canada.'),
  );
  expect(attempts.map((request) => request.response.status)).toEqual([400, 200]);

  // 551 (person not available): permanent, never retried alone; the owner decides.
  await emulator.setFaults({ sendFailures: { count: 1, code: 551, subcode: 1545041 } });
  await composer.fill('Shipping takes 5 days.');
  await composer.press('Enter');
  const bubble = thread.getByTestId('message').filter({ hasText: 'Shipping takes 5 days.' });
  await expect(bubble).toHaveAttribute('data-status', 'failed');
  await expect(bubble).toContainText('Not sent');
  await bubble.getByRole('button', { name: 'Retry' }).click();
  await expect(bubble).toHaveAttribute('data-status', 'sent');
  const tries = (await emulator.sent(account.igUserId)).filter((request) =>
    JSON.stringify(request.body).includes('5 days'),
  );
  expect(tries.map((request) => request.response.status)).toEqual([400, 200]);
});
