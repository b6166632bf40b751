import { expect, test } from '../support/fixtures';

const HOUR = 60 * 60 * 1000;

test('after 24 hours the composer explains the block; a Human Agent reply goes out tagged', async ({
  live,
  customerWrites,
  page,
}) => {
  await live.emulator.configureApp({ humanAgentEnabled: true });
  const { thread } = await customerWrites('late.lou', {
    text: 'Is the blue vase still available?',
    timestamp: Date.now() - 30 * HOUR,
  });
  const send = page.getByRole('button', { name: 'Send' });

  await thread.composer.fill('Yes, it is!');
  await expect(page.getByRole('status').filter({ hasText: 'More than 24 hours' })).toBeVisible();
  await expect(send).toBeDisabled();

  await page.getByLabel('My Meta app is approved for Human Agent replies').check();
  await page.getByLabel('Send as a human agent (Human Agent tag)').check();
  await expect(send).toBeEnabled();
  await send.click();
  await expect(thread.message('Yes, it is!')).toHaveDeliveryStatus('sent');
  const [request] = await live.sentWith('Yes, it is!');
  expect(request?.body).toMatchObject({ tag: 'HUMAN_AGENT' });
  expect(request?.response.status).toBe(200);
});

test('the owner reacts with ❤️ to a customer message, and quotes it in a reply', async ({
  live,
  customerWrites,
}) => {
  const { emulator, account } = live;
  const { customer: rosa, thread } = await customerWrites('rosa.r', 'Do you have it in green?');
  const bubble = thread.message('Do you have it in green?');

  // The bubble's actions show while the pointer is over it.
  await bubble.hover();
  await bubble.getByRole('button', { name: 'React ❤️' }).click();
  await expect(bubble.getByRole('img', { name: /❤️/ })).toBeVisible();
  await expect(bubble.getByRole('button', { name: 'Remove ❤️' })).toBeVisible();
  const reacts = (await live.sent()).filter((sent) => sent.body.sender_action === 'react');
  expect(reacts.at(-1)?.body).toMatchObject({
    recipient: { id: rosa.igsid },
    payload: { reaction: 'love' },
  });
  expect(reacts.at(-1)?.response.status).toBe(200);
  const quotedMid = (reacts.at(-1)?.body.payload as { message_id?: string } | undefined)
    ?.message_id;
  expect(quotedMid).toBeTruthy();

  await bubble.hover();
  await bubble.getByRole('button', { name: 'Reply' }).click();
  await thread.composer.fill('Yes, in green too.');
  // Reading the thread said "seen"; typing said "typing" (docs/platform.md#sender-actions), apart
  // from the sends.
  const presence = async () =>
    (await emulator.presence(account.igUserId))
      .filter((request) => JSON.stringify(request.body).includes(rosa.igsid))
      .map((request) => request.body.sender_action);
  await expect.poll(presence).toEqual(['mark_seen', 'typing_on']);
  await thread.composer.press('Enter');
  await expect(thread.message('Yes, in green too.')).toHaveDeliveryStatus('sent');
  const [request] = await live.sentWith('Yes, in green too.');
  expect(request?.body).toMatchObject({ reply_to: { mid: quotedMid } });
});
