import { expect, test } from '@playwright/test';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';

let setup: LiveSetup;

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

test('triage: label, note, done, reopened by a new message; search jumps to the message', async ({
  page,
}) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'joao.p',
    name: 'João P',
  });
  await emulator.customerSends(customer.igsid, { text: 'Olá! Vocês têm o tênis azul no 42?' });
  for (let index = 1; index <= 60; index += 1) {
    await emulator.customerSends(customer.igsid, { text: `filler message ${index}` });
  }

  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  const row = page.getByTestId('conversation').filter({ hasText: 'joao.p' });
  await row.click();
  await expect(row).toContainText('left to reply');

  // Labels and a private note, kept across a reload.
  const panel = page.getByRole('complementary', { name: 'Customer' });
  await panel.getByRole('textbox', { name: 'New label' }).fill('wholesale');
  await panel.getByRole('button', { name: 'Add' }).click();
  await expect(panel.getByRole('listitem').filter({ hasText: 'wholesale' })).toBeVisible();
  await panel.getByRole('textbox', { name: 'Private note' }).fill('Wants 20 pairs, size 42');
  await panel.getByRole('button', { name: 'Save note' }).click();
  await expect(panel.getByText('Note saved')).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await row.click();
  await expect(panel.getByRole('textbox', { name: 'Private note' })).toHaveValue(
    'Wants 20 pairs, size 42',
  );
  await expect(row).toContainText('wholesale');

  // Done takes it off the open pile (keyboard: e); a new message brings it back.
  await page.getByRole('log', { name: 'Messages' }).focus();
  await page.keyboard.press('e');
  await expect(row).toHaveCount(0);
  await page.getByRole('button', { name: 'Done', exact: true }).first().click();
  await expect(row).toBeVisible();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await emulator.customerSends(customer.igsid, { text: 'Any news?' });
  await expect(row).toBeVisible();

  // Ctrl+K: accent-insensitive prefix search, then jump to a message older than the first page.
  await page.keyboard.press('Control+k');
  const search = page.getByRole('combobox', { name: 'Search all messages' });
  await expect(search).toBeFocused();
  await search.fill('tenis az');
  const hit = page.getByTestId('search-hit').first();
  await expect(hit).toContainText('João P');
  await expect(hit.locator('mark')).toHaveText(['tênis', 'azul']);
  await page.screenshot({ path: 'test-results/screenshots/search.png' });
  await search.press('Enter');
  const target = page
    .getByRole('log', { name: 'Messages' })
    .getByTestId('message')
    .filter({ hasText: 'tênis azul' });
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();

  // Saved replies: create one, insert it with "/" and the customer's first name filled in.
  await page.getByRole('button', { name: 'Saved replies' }).click();
  const dialog = page.getByRole('dialog', { name: 'Saved replies' });
  await dialog.getByRole('textbox', { name: 'Shortcut' }).fill('stock');
  await dialog
    .getByRole('textbox', { name: 'Reply text' })
    .fill('Hi {first_name}, it is in stock!');
  await dialog.getByRole('button', { name: 'Save reply' }).click();
  await expect(dialog.getByTestId('saved-reply')).toContainText('/stock');
  await dialog.press('Escape');
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('/st');
  await expect(page.getByTestId('saved-reply-option')).toHaveCount(1);
  await composer.press('Enter');
  await expect(composer).toHaveValue('Hi João, it is in stock!');

  // The shortcut sheet.
  await page.getByRole('log', { name: 'Messages' }).focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});
