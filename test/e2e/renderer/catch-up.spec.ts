import { expect, test } from '@playwright/test';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';

let setup: LiveSetup;

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

/**
 * Messages a customer sends while Inlet is stopped, whose webhooks Meta then gives up on, are
 * fetched from the Conversations API when Inlet starts again, and each appears exactly once,
 * even when a late delivery of the same message arrives after all.
 */
test('messages sent while Inlet was stopped appear after restart exactly once', async ({
  page,
}) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'mara.weaves',
  });
  await emulator.customerSends(customer.igsid, { text: 'Hello before the break' });
  await page.goto(setup.uiUrl);
  await page.getByTestId('conversation').filter({ hasText: 'mara.weaves' }).click();
  const thread = page.getByRole('log', { name: 'Messages' });
  await expect(thread.getByText('Hello before the break')).toBeVisible();

  await setup.stopInlet();
  // Meta's deliveries of these never arrive: only catch-up can bring them.
  await emulator.setFaults({ dropDeliveries: 1 });
  await emulator.customerSends(customer.igsid, { text: 'Are you open on Sunday?' });
  // This one's delivery fails while Inlet is down and is retried after the restart.
  await emulator.customerSends(customer.igsid, { text: 'And do you ship to Porto?' });
  await emulator.setFaults({});
  await setup.startInletAgain();
  await emulator.flushDeliveries();

  await page.goto(setup.uiUrl);
  await page.getByTestId('conversation').filter({ hasText: 'mara.weaves' }).click();
  for (const text of [
    'Hello before the break',
    'Are you open on Sunday?',
    'And do you ship to Porto?',
  ]) {
    await expect(thread.getByTestId('message').filter({ hasText: text })).toHaveCount(1);
  }
  await emulator.flushDeliveries();
  await page.reload();
  await page.getByTestId('conversation').filter({ hasText: 'mara.weaves' }).click();
  await expect(thread.getByTestId('message')).toHaveCount(3);
});
