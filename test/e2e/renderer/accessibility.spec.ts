import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violations on the main screens (${colorScheme})`, async ({
    sandboxInbox: inbox,
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await inbox.open();
    await expect(page.getByTestId('conversation').first()).toBeVisible();
    await expectNoViolations(page, 'inbox');

    const thread = await inbox.openConversation('lena.k');
    await expect(thread.messages.first()).toBeVisible();
    await expectNoViolations(page, 'thread');

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search all messages' }).fill('linen');
    await expect(page.getByTestId('search-hit').first()).toBeVisible();
    await expectNoViolations(page, 'search');
    await page.keyboard.press('Escape');

    await thread.log.focus();
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await expectNoViolations(page, 'shortcut sheet');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Saved replies' }).click();
    await expect(page.getByRole('dialog', { name: 'Saved replies' })).toBeVisible();
    await expectNoViolations(page, 'saved replies');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Notifications' }).click();
    await expect(page.getByRole('dialog', { name: 'Notifications' })).toBeVisible();
    await expectNoViolations(page, 'notification settings');
    await page.keyboard.press('Escape');

    // comments: the sandbox seeds two; one with its private-reply composer open
    await inbox.openComments();
    await page.getByRole('article', { name: '@noor.designs' }).getByRole('button').click();
    await expect(
      page.getByRole('textbox', { name: 'Private reply to @noor.designs' }),
    ).toBeFocused();
    await expectNoViolations(page, 'comments');
  });
}
