import { expect, test } from '../support/fixtures';

test('a throttled send is retried on its own; a refused one shows why and goes out after Retry', async ({
  live,
  customerWrites,
}) => {
  const { thread } = await customerWrites('tom.builds', 'Do you ship to Canada?');

  // 613 (call-rate limit): Meta refused it, so sending again cannot duplicate it
  // (docs/platform.md#error-codes).
  await live.emulator.setFaults({ sendFailures: { count: 1, code: 613, regainAccessMinutes: 0 } });
  await thread.send('Yes, we ship to Canada.');
  await expect(thread.message('ship to Canada.')).toHaveDeliveryStatus('sent');
  const attempts = await live.sentWith('ship to Canada.');
  expect(attempts.map((request) => request.response.status)).toEqual([400, 200]);

  // 551 (person not available): permanent, never retried alone; the owner decides.
  await live.emulator.setFaults({ sendFailures: { count: 1, code: 551, subcode: 1545041 } });
  await thread.send('Shipping takes 5 days.');
  const bubble = thread.message('Shipping takes 5 days.');
  await expect(bubble).toHaveDeliveryStatus('failed');
  await expect(bubble).toContainText('Not sent');
  await bubble.getByRole('button', { name: 'Retry' }).click();
  await expect(bubble).toHaveDeliveryStatus('sent');
  const tries = await live.sentWith('5 days');
  expect(tries.map((request) => request.response.status)).toEqual([400, 200]);
});
