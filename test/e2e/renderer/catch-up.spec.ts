import { expect, test } from '../support/fixtures';

/**
 * Messages a customer sends while Inlet is stopped, whose webhooks Meta then gives up on, are
 * fetched from the Conversations API when Inlet starts again, and each appears exactly once,
 * even when a late delivery of the same message arrives after all.
 */
test('messages sent while Inlet was stopped appear after restart exactly once', async ({
  live,
  inbox,
  customerWrites,
}) => {
  const { emulator } = live;
  const { customer: mara, thread } = await customerWrites('mara.weaves', 'Hello before the break');
  await expect(thread.log.getByText('Hello before the break')).toBeVisible();

  await live.stopInlet();
  // Meta's deliveries of these never arrive: only catch-up can bring them.
  await emulator.setFaults({ dropDeliveries: 1 });
  await mara.sends('Are you open on Sunday?');
  // This one's delivery fails while Inlet is down and is retried after the restart.
  await mara.sends('And do you ship to Porto?');
  await emulator.setFaults({});
  await live.startInletAgain();
  await emulator.flushDeliveries();

  await inbox.open();
  await inbox.openConversation('mara.weaves');
  for (const text of [
    'Hello before the break',
    'Are you open on Sunday?',
    'And do you ship to Porto?',
  ]) {
    await expect(thread.message(text)).toHaveCount(1);
  }
  await emulator.flushDeliveries();
  await inbox.open();
  await inbox.openConversation('mara.weaves');
  await expect(thread.messages).toHaveCount(3);
});
