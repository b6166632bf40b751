import { expectNoViolationsInBothThemes } from '../support/axe';
import { expect, test } from '../support/fixtures';

test('triage: label, note, done, reopened by a new message; search jumps to the message', async ({
  live,
  inbox,
  page,
}) => {
  const joao = await live.customer('joao.p', { name: 'João P' });
  await joao.sends('Olá! Vocês têm o tênis azul no 42?');
  for (let index = 1; index <= 60; index += 1) {
    await joao.sends(`filler message ${index}`);
  }

  await inbox.open();
  const row = inbox.conversation('joao.p');
  const thread = await inbox.openConversation('joao.p');
  // A window with most of its day left is said in the customer panel, not in the list.
  await expect(row).not.toContainText('left to reply');
  await expect(page.getByRole('complementary', { name: 'Customer', exact: true })).toContainText(
    'left to reply',
  );

  // Labels and a private note, kept across a reload.
  const panel = page.getByRole('complementary', { name: 'Customer', exact: true });
  await panel.getByRole('textbox', { name: 'New label' }).fill('wholesale');
  await panel.getByRole('button', { name: 'Add' }).click();
  await expect(panel.getByRole('listitem').filter({ hasText: 'wholesale' })).toBeVisible();
  await panel.getByRole('textbox', { name: 'Private note' }).fill('Wants 20 pairs, size 42');
  await panel.getByRole('button', { name: 'Save note' }).click();
  await expect(panel.getByText('Note saved')).toBeVisible();
  await inbox.open();
  await row.click();
  await expect(panel.getByRole('textbox', { name: 'Private note' })).toHaveValue(
    'Wants 20 pairs, size 42',
  );
  await expect(row).toContainText('wholesale');

  // Done takes it off the open pile (keyboard: e); a new message brings it back.
  await thread.log.focus();
  await page.keyboard.press('e');
  await expect(row).toHaveCount(0);
  await page.getByRole('button', { name: 'Done', exact: true }).first().click();
  await expect(row).toBeVisible();
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  await joao.sends('Any news?');
  await expect(row).toBeVisible();

  // Ctrl+K: accent-insensitive prefix search, then jump to a message older than the first page.
  await page.keyboard.press('Control+k');
  const search = page.getByRole('combobox', { name: 'Search all messages' });
  await expect(search).toBeFocused();
  await search.fill('tenis az');
  const hit = page.getByRole('group', { name: 'João P' }).getByTestId('search-hit').first();
  await expect(hit.locator('mark')).toHaveText(['tênis', 'azul']);
  await page.screenshot({ path: 'test-results/screenshots/search.png' });
  await search.press('Enter');
  const target = thread.message('tênis azul');
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
  const { composer } = thread;
  await composer.fill('/st');
  await expect(page.getByTestId('saved-reply-option')).toHaveCount(1);
  await composer.press('Enter');
  await expect(composer).toHaveValue('Hi João, it is in stock!');

  // The shortcut sheet.
  await thread.log.focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test('rows keep one height whatever they carry; hovering one offers Done and Snooze', async ({
  live,
  inbox,
  page,
}) => {
  const ana = await live.customer('ana.quick', { name: 'Ana Quick' });
  await ana.sends('Do you ship to Lisbon?');
  const cara = await live.customer('cara.quick', { name: 'Cara Quick' });
  await cara.sends('Thanks, it arrived!');
  const ben = await live.customer('ben.quick', { name: 'Ben Quick' });
  await ben.sends('Is the navy one back in stock, and in which sizes?');
  await inbox.open();
  const anaRow = inbox.conversation('ana.quick');
  const benRow = inbox.conversation('ben.quick');
  const caraRow = inbox.conversation('cara.quick');
  await inbox.openConversation('ben.quick');
  const panel = page.getByRole('complementary', { name: 'Customer', exact: true });
  await panel.getByRole('textbox', { name: 'New label' }).fill('wholesale');
  await panel.getByRole('button', { name: 'Add' }).click();
  await expect(benRow).toContainText('wholesale');

  // DESIGN.md's row: 68–76 px, with labels or without.
  for (const row of [anaRow, benRow]) {
    const height = (await row.boundingBox())?.height ?? 0;
    expect(height).toBeGreaterThanOrEqual(68);
    expect(height).toBeLessThanOrEqual(76);
  }

  // The actions show only under the pointer, and not on the open conversation's row: its header
  // has them already.
  const done = page.getByRole('button', { name: 'Done: Ana Quick' });
  await page.mouse.move(900, 700);
  await expect(done).toBeHidden();
  await benRow.hover();
  await expect(page.getByRole('button', { name: 'Done: Ben Quick' })).toHaveCount(0);
  await anaRow.hover();
  await expect(done).toBeVisible();
  await expect(page.getByRole('button', { name: 'Snooze Ana Quick…' })).toBeVisible();
  await expectNoViolationsInBothThemes(page, 'a row with its quick actions');
  await page.emulateMedia({ colorScheme: 'light' });

  // Done from the row: it leaves the inbox; Ben's conversation stays open.
  await done.click();
  await expect(anaRow).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Ben Quick' })).toBeVisible();

  // Snooze from the row, with the header's times.
  await caraRow.hover();
  await page.getByRole('button', { name: 'Snooze Cara Quick…' }).click();
  await page.getByRole('menuitem', { name: 'For 1 hour' }).click();
  await expect(caraRow).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Ben Quick' })).toBeVisible();
  await page.getByRole('button', { name: 'Snoozed', exact: true }).click();
  await expect(caraRow).toBeVisible();
});
