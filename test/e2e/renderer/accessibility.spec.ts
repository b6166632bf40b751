import { expect, test } from '@playwright/test';
import { expectNoViolations } from '../support/axe';
import { startInlet, tempDataDir, type RunningProcess } from '../support/processes';

let inlet: RunningProcess;
let data: ReturnType<typeof tempDataDir>;

test.beforeAll(async () => {
  data = tempDataDir();
  inlet = await startInlet(['serve', '--sandbox', '--data-dir', data.path, '--port', '0']);
});

test.afterAll(async () => {
  await inlet?.stop();
  data?.remove();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violations on the main screens (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto(String(inlet.ready.uiUrl));
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
    await expect(page.getByTestId('conversation').first()).toBeVisible();
    await expectNoViolations(page, 'inbox');

    await page.getByTestId('conversation').filter({ hasText: 'lena.k' }).click();
    await expect(
      page.getByRole('log', { name: 'Messages' }).getByTestId('message').first(),
    ).toBeVisible();
    await expectNoViolations(page, 'thread');

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search all messages' }).fill('linen');
    await expect(page.getByTestId('search-hit').first()).toBeVisible();
    await expectNoViolations(page, 'search');
    await page.keyboard.press('Escape');

    await page.getByRole('log', { name: 'Messages' }).focus();
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
    await page.getByRole('button', { name: 'Comments' }).click();
    await page.getByRole('article', { name: '@noor.designs' }).getByRole('button').click();
    await expect(
      page.getByRole('textbox', { name: 'Private reply to @noor.designs' }),
    ).toBeFocused();
    await expectNoViolations(page, 'comments');
  });
}
