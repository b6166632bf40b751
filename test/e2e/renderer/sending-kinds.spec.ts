import { expect, test } from '@playwright/test';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';

const HOUR = 60 * 60 * 1000;

let setup: LiveSetup;

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

test('after 24 hours the composer explains the block; a Human Agent reply goes out tagged', async ({
  page,
}) => {
  const { emulator, account } = setup;
  await emulator.configureApp({ humanAgentEnabled: true });
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'late.lou',
  });
  await emulator.customerSends(customer.igsid, {
    text: 'Is the blue vase still available?',
    timestamp: Date.now() - 30 * HOUR,
  });
  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('conversation').filter({ hasText: 'late.lou' }).click();
  const composer = page.getByRole('textbox', { name: 'Message' });
  const send = page.getByRole('button', { name: 'Send' });

  await composer.fill('Yes, it is!');
  await expect(page.getByRole('status').filter({ hasText: 'More than 24 hours' })).toBeVisible();
  await expect(send).toBeDisabled();

  await page.getByLabel('My Meta app is approved for Human Agent replies').check();
  await page.getByLabel('Send as a human agent (Human Agent tag)').check();
  await expect(send).toBeEnabled();
  await send.click();
  const thread = page.getByRole('log', { name: 'Messages' });
  await expect(thread.getByTestId('message').filter({ hasText: 'Yes, it is!' })).toHaveAttribute(
    'data-status',
    'sent',
  );
  const request = (await emulator.sent(account.igUserId)).find((sent) =>
    JSON.stringify(sent.body).includes('Yes, it is!'),
  );
  expect(request?.body).toMatchObject({ tag: 'HUMAN_AGENT' });
  expect(request?.response.status).toBe(200);
});

test('the owner reacts with ❤️ to a customer message, and quotes it in a reply', async ({
  page,
}) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'rosa.r',
  });
  await emulator.customerSends(customer.igsid, { text: 'Do you have it in green?' });
  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('conversation').filter({ hasText: 'rosa.r' }).click();
  const bubble = page
    .getByRole('log', { name: 'Messages' })
    .getByTestId('message')
    .filter({ hasText: 'Do you have it in green?' });

  await bubble.getByRole('button', { name: 'React ❤️' }).click();
  await expect(bubble.getByRole('img', { name: /❤️/ })).toBeVisible();
  await expect(bubble.getByRole('button', { name: 'Remove ❤️' })).toBeVisible();
  const reacts = (await emulator.sent(account.igUserId)).filter(
    (sent) => sent.body.sender_action === 'react',
  );
  expect(reacts.at(-1)?.body).toMatchObject({
    recipient: { id: customer.igsid },
    payload: { reaction: 'love' },
  });
  expect(reacts.at(-1)?.response.status).toBe(200);
  const quotedMid = (reacts.at(-1)?.body.payload as { message_id?: string } | undefined)
    ?.message_id;
  expect(quotedMid).toBeTruthy();

  await bubble.getByRole('button', { name: 'Reply' }).click();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Yes, in green too.');
  // Reading the thread said "seen"; typing said "typing" (§3.5), apart from the sends.
  const presence = async () =>
    (await emulator.presence(account.igUserId))
      .filter((request) => JSON.stringify(request.body).includes(customer.igsid))
      .map((request) => request.body.sender_action);
  await expect.poll(presence).toEqual(['mark_seen', 'typing_on']);
  await composer.press('Enter');
  const reply = page
    .getByRole('log', { name: 'Messages' })
    .getByTestId('message')
    .filter({ hasText: 'Yes, in green too.' });
  await expect(reply).toHaveAttribute('data-status', 'sent');
  const request = (await emulator.sent(account.igUserId)).find((sent) =>
    JSON.stringify(sent.body).includes('Yes, in green too.'),
  );
  expect(request?.body).toMatchObject({ message: { reply_to: { mid: quotedMid } } });
});
