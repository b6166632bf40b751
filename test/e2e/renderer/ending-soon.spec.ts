import { expect, test } from '../support/fixtures';

const HOUR = 60 * 60 * 1000;

test('"Ending soon" holds only conversations waiting for an answer; a reply takes one off', async ({
  live,
  inbox,
  page,
}) => {
  // Asked 22 hours ago: two hours are left to answer. The other asked just now.
  const late = await live.customer('late.asker', { name: 'Late Asker' });
  await late.sends({ text: 'Is the mug still available?', timestamp: Date.now() - 22 * HOUR });
  const fresh = await live.customer('fresh.asker', { name: 'Fresh Asker' });
  await fresh.sends('Hello!');

  await inbox.open();
  await page.getByRole('button', { name: 'Ending soon' }).click();
  await expect(inbox.conversation('late.asker')).toBeVisible();
  await expect(inbox.conversation('fresh.asker')).toHaveCount(0);

  // The owner answers: nothing is waiting any more, so it leaves the list.
  const thread = await inbox.openConversation('late.asker');
  await thread.send('Yes, two left!');
  await expect(thread.message('Yes, two left!')).toHaveDeliveryStatus('sent');
  await expect(inbox.conversation('late.asker')).toHaveCount(0);
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  await expect(inbox.conversation('late.asker')).toBeVisible();
});
