import { expect, test } from '@playwright/test';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';

let setup: LiveSetup;

/** The emulator answers `mid: null` only for events that create no message. */
function midOf(event: { mid: string | null }): string {
  if (event.mid === null) throw new Error('the emulator created no message');
  return event.mid;
}

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

/**
 * What the customer does on Instagram reaches the open thread in place: edits, unsends, quotes,
 * reactions to the owner's reply, and the read receipt. Each step is a real signed webhook from
 * the emulator.
 */
test('edits, unsends, quotes, reactions and seen show up in the open thread', async ({ page }) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'priya.makes',
  });
  const question = await emulator.customerSends(customer.igsid, { text: 'Is it in stock?' });

  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('conversation').filter({ hasText: 'priya.makes' }).click();
  const thread = page.getByRole('log', { name: 'Messages' });
  const bubble = (text: string) => thread.getByTestId('message').filter({ hasText: text });

  await emulator.customerDoes(customer.igsid, 'edit', {
    mid: midOf(question),
    text: 'Is the navy one in stock?',
    numEdit: 1,
  });
  await expect(bubble('Is the navy one in stock?')).toContainText('Edited');

  const oops = await emulator.customerSends(customer.igsid, { text: 'oops, wrong chat' });
  await expect(bubble('oops, wrong chat')).toBeVisible();
  await emulator.customerDoes(customer.igsid, 'unsend', { mid: midOf(oops) });
  await expect(thread.getByText('oops, wrong chat')).toHaveCount(0);
  await expect(thread.getByText('Unsent', { exact: true })).toBeVisible();

  await page.getByRole('textbox', { name: 'Message' }).fill('Yes, navy M and L are in stock.');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const reply = bubble('navy M and L');
  await expect(reply).toHaveAttribute('data-status', 'sent');
  const [sent] = (await emulator.sent(account.igUserId)).slice(-1);
  const replyMid = (sent?.response.body as { message_id: string }).message_id;

  await emulator.customerDoes(customer.igsid, 'react', {
    mid: replyMid,
    reaction: 'love',
    emoji: '❤️',
  });
  await expect(reply.getByLabel('Reacted ❤️ by customer')).toBeVisible();
  await emulator.customerDoes(customer.igsid, 'seen', { mid: replyMid });
  await expect(reply).toContainText('Seen');

  await emulator.customerSends(customer.igsid, {
    text: 'Perfect, navy L please',
    replyToMid: replyMid,
  });
  await expect(bubble('Perfect, navy L please')).toContainText('navy M and L are in stock');
});

/**
 * Media is archived on arrival: the picture a customer sends is downloaded from the emulator's CDN
 * into the data folder and shown from there (`/archive/media/…`, served by `inlet serve`), so it
 * stays visible after Instagram's link expires.
 */
test('a received photo is shown from Inlet’s own archive', async ({ page }) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'noor.ceramics',
  });
  await emulator.customerSends(customer.igsid, {
    text: 'This glaze, please',
    attachments: [{ type: 'image' }],
  });

  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('conversation').filter({ hasText: 'noor.ceramics' }).click();
  const bubble = page
    .getByRole('log', { name: 'Messages' })
    .getByTestId('message')
    .filter({ hasText: 'This glaze, please' });
  const image = bubble.getByRole('img', { name: 'Image' });
  await expect(image).toHaveAttribute('src', /^\/archive\/media\/[0-9a-f-]{36}\.png$/);
  // Actually loaded (same-origin, allowed by the CSP), not only pointed at.
  await expect
    .poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBe(64);
});
