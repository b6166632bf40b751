import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startInlet, tempDataDir, type RunningProcess } from '../support/processes';

/**
 * A tour of the main screens in each of the four languages, through headless mode and the
 * sandbox, taking the screenshots the README shows (docs/screenshots/tour-*.png, refreshed with
 * UPDATE_SCREENSHOTS=1). Selectors are
 * language-neutral (test ids, roles); each screen is checked against the language's own catalogue.
 */
const LANGUAGES = ['en', 'pt-BR', 'es', 'de'] as const;
/** The README's pictures are refreshed on request only, so a test run leaves the tree clean. */
const SCREENSHOTS = join(
  import.meta.dirname,
  '../../..',
  process.env['UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : 'test-results/screenshots',
);

type Catalogue = {
  conversations: { title: string };
  thread: { messages: string };
  search: { title: string };
  shortcuts: { title: string };
};
const catalogue = (language: string): Catalogue =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, `../../../renderer/src/i18n/${language}.json`), 'utf8'),
  ) as Catalogue;

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

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

for (const language of LANGUAGES) {
  test.describe(`tour in ${language}`, () => {
    test.use({ locale: language, viewport: { width: 1280, height: 800 } });

    test(`inbox, thread, search and shortcuts in ${language}`, async ({ page }) => {
      const words = catalogue(language);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(String(inlet.ready.uiUrl));
      await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await expect(page.getByRole('heading', { name: words.conversations.title })).toBeVisible();

      await page.getByTestId('conversation').filter({ hasText: 'lena.k' }).click();
      const thread = page.getByRole('log', { name: words.thread.messages });
      await expect(thread.getByTestId('message').first()).toBeVisible();
      await expect(page.getByTestId('reply-window').first()).toBeVisible();
      await shoot(page, `tour-${language}-inbox`);

      await page.keyboard.press('Control+k');
      await page
        .getByRole('dialog', { name: words.search.title })
        .getByRole('combobox')
        .fill('linen');
      await expect(page.getByTestId('search-hit').first()).toBeVisible();
      if (language === 'en') await shoot(page, 'tour-en-search');
      await page.getByTestId('search-hit').first().click();
      await expect(page.getByRole('dialog')).toHaveCount(0);

      await thread.focus();
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: words.shortcuts.title })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
    });
  });
}

test.describe('dark theme in a narrow window', () => {
  test.use({ locale: 'en', viewport: { width: 700, height: 640 } });

  test('follows the OS dark theme and still shows list and thread side by side', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(String(inlet.ready.uiUrl));
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
    await page.getByTestId('conversation').filter({ hasText: 'lena.k' }).click();
    await expect(page.getByRole('log').getByTestId('message').first()).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [red = 255, green = 255, blue = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(red + green + blue, `body background ${background} is dark`).toBeLessThan(3 * 80);
    // The thread keeps room for messages, and the composer does not sit on the customer panel.
    const log = await page.getByRole('log').boundingBox();
    expect(log?.height ?? 0).toBeGreaterThan(80);
    const composer = await page.locator('.composer').boundingBox();
    const panel = await page.getByRole('complementary', { name: 'Customer' }).boundingBox();
    expect((composer?.y ?? 0) + (composer?.height ?? 0)).toBeLessThanOrEqual((panel?.y ?? 0) + 1);
    // Nothing spills sideways: the page does not scroll horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      700,
    );
    await shoot(page, 'tour-en-dark-narrow');
  });
});
