import { expect, test } from '../support/fixtures';

test('a held send says why and until when, is marked in the list, and can be sent now or cancelled', async ({
  live,
  inbox,
  page,
}) => {
  const ana = await live.customer('ana.held', { name: 'Ana Held' });
  await ana.sends('Is the vase back?');
  const bo = await live.customer('bo.held', { name: 'Bo Held' });
  await bo.sends('Do you ship to Oslo?');
  await inbox.open();

  // 613 with five minutes to regain access: every send of the account is held that long.
  await live.emulator.setFaults({ sendFailures: { count: 1, code: 613, regainAccessMinutes: 5 } });
  const anaThread = await inbox.openConversation('ana.held');
  await anaThread.send('Yes, since Monday!');
  const first = anaThread.message('Yes, since Monday!');
  await expect(first).toHaveDeliveryStatus('queued');
  await expect(first).toContainText('Waiting: Instagram is limiting how fast this account');
  await expect(first).toContainText(/Inlet tries again at \d/);
  await expect(inbox.conversation('ana.held').getByTestId('send-problem')).toContainText(
    'Waiting to send',
  );

  // The account's other conversation waits too, and says so; the owner cancels that reply.
  const boThread = await inbox.openConversation('bo.held');
  await boThread.send('We do, 4 days.');
  const second = boThread.message('We do, 4 days.');
  await expect(second).toContainText(/Inlet tries again at \d/);
  await expect(inbox.conversation('bo.held').getByTestId('send-problem')).toBeVisible();
  await second.getByRole('button', { name: 'Cancel' }).click();
  await expect(second).toHaveCount(0);
  await expect(inbox.conversation('bo.held').getByTestId('send-problem')).toHaveCount(0);
  await expect(inbox.conversation('bo.held')).toContainText('Do you ship to Oslo?');

  // "Send now when allowed": Instagram allows it again, so it goes out now, not in five minutes.
  await inbox.openConversation('ana.held');
  await first.getByRole('button', { name: 'Send now when allowed' }).click();
  await expect(first).toHaveDeliveryStatus('sent');
  await expect(first.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(inbox.conversation('ana.held').getByTestId('send-problem')).toHaveCount(0);
  const attempts = await live.sentWith('since Monday');
  expect(attempts.map((request) => request.response.status)).toEqual([400, 200]);
  expect(await live.sentWith('4 days')).toEqual([]);

  // A refused reply marks its conversation too.
  await live.emulator.setFaults({ sendFailures: { count: 1, code: 551, subcode: 1545041 } });
  await anaThread.send('Shall I reserve one?');
  await expect(anaThread.message('reserve one')).toHaveDeliveryStatus('failed');
  await expect(inbox.conversation('ana.held').getByTestId('send-problem')).toContainText(
    'Not sent',
  );
  await page.screenshot({ path: 'test-results/screenshots/held-sends.png' });
});
