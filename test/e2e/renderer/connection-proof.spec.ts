import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

/**
 * The owner proving that Instagram reaches Inlet, against the emulator as strict as Meta:
 * `inlet serve` with an account from the environment, the webhook registered through Meta's
 * handshake. The self-test goes the whole way round; a subscription Meta dropped is found and
 * repaired, and messages arrive again.
 */

test('a test message goes out and comes back; the panel says so, axe-clean', async ({
  live,
  inbox,
  page,
}) => {
  await inbox.open();
  const panel = await inbox.openHealth();
  await panel
    .getByRole('button', { name: `Send a test message (@${live.account.username})` })
    .click();
  const loop = panel.getByTestId('health-check-loop-proven');
  await expect(loop).toHaveAttribute('data-state', 'ok');
  await expect(loop).toContainText('came back through Inlet’s webhook');
  await expectNoViolations(page, 'the health panel after a test message');
  // The self-message made no conversation.
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(inbox.conversation(live.account.username)).toHaveCount(0);
});

test('a subscription Meta dropped is found and repaired; the missed message is caught up, new ones arrive', async ({
  live,
  inbox,
}) => {
  const lena = await live.customer('lena.k');
  await live.emulator.dropSubscription(live.account.igUserId);
  // Meta says nothing: the customer's message is simply not sent.
  const lost = await lena.sends('is anyone there?');
  expect(lost.delivery.error).toBe('the account is not subscribed to this field');

  await inbox.open();
  const panel = await inbox.openHealth();
  await panel.getByRole('button', { name: 'Check now' }).click();
  const subscription = panel.getByTestId('health-check-subscription-complete');
  await expect(subscription).toContainText('Inlet asked for them again');
  await expect(subscription).toHaveAttribute('data-state', 'ok');
  expect((await live.emulator.subscription(live.account.igUserId)).subscribedFields).toContain(
    'messages',
  );

  // What Meta never sent while the subscription was gone is caught up after the repair.
  await panel.getByRole('button', { name: 'Close' }).click();
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('is anyone there?')).toBeVisible();
  await lena.sends('hello again');
  await expect(thread.message('hello again')).toBeVisible();
});
