import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectNoViolations } from '../support/axe';
import { expect, ownSandbox, test } from '../support/fixtures';
import { png } from '../support/images';
import { Inbox } from '../support/inbox';
import { saveScreenshot } from '../support/screenshots';

/**
 * The screens worth showing, in both themes: the inbox with a thread open in each of the four
 * languages, and in English and German the snooze menu, the attachment tray, the comments on the
 * shop's posts, the connection health panel, Settings and the Developer deliveries view. Each is
 * checked by axe in the theme it is shown in and saved among the README's pictures
 * (docs/screenshots/screen-<language>-<theme>-<screen>.png, refreshed with UPDATE_SCREENSHOTS=1).
 * The sandbox is this file's own: the Developer switch and the staged files touch nobody else's.
 */

const THEMES = ['light', 'dark'] as const;

type Catalogue = {
  conversations: { title: string };
  thread: { messages: string };
  composer: { label: string };
  sending: { attach: string };
  tray: { label: string; caption: string };
  triage: { snooze: string };
  comments: { open: string; title: string };
  health: { panelTitle: string };
  settings: { open: string; title: string; close: string };
  developer: { enable: string; open: string; listLabel: string };
};
const catalogue = (language: string): Catalogue =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, `../../../renderer/src/i18n/${language}.json`), 'utf8'),
  ) as Catalogue;

const sandbox = ownSandbox();

/** Shows `screen` in each theme: axe finds nothing, and the picture is saved. */
async function showInBothThemes(page: Page, language: string, screen: string): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await expectNoViolations(page, `${screen} in ${language} (${theme})`);
    await saveScreenshot(page, `screen-${language}-${theme}-${screen}`);
  }
}

async function openLena(page: Page, words: Catalogue) {
  const inbox = new Inbox(page, sandbox.uiUrl);
  await inbox.open();
  await expect(page.getByRole('heading', { name: words.conversations.title })).toBeVisible();
  // The sandbox's checks all pass: the pictures show the light green, not "checking".
  await expect(page.getByTestId('health-light')).toHaveAttribute('data-state', 'ok');
  const thread = await inbox.openConversation('lena.k', {
    messages: words.thread.messages,
    composer: words.composer.label,
  });
  // Lena's photos are on screen, loaded from the archive, before any picture is taken.
  const photos = thread.log.locator('img[src^="/archive/media/"]');
  await expect(photos.first()).toBeVisible();
  await expect
    .poll(() => photos.first().evaluate((image: HTMLImageElement) => image.naturalWidth))
    .toBeGreaterThan(0);
  return { inbox, thread };
}

for (const language of ['en', 'pt-BR', 'es', 'de'] as const) {
  test.describe(`the inbox in ${language}`, () => {
    test.use({ locale: language, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });

    test(`a thread with photos, in light and dark (${language})`, async ({ page }) => {
      const words = catalogue(language);
      await openLena(page, words);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await showInBothThemes(page, language, 'inbox');
    });
  });
}

for (const language of ['en', 'de'] as const) {
  test.describe(`the screens in ${language}`, () => {
    test.use({ locale: language, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });

    test(`snooze menu, attachment tray, comments, health, Settings and deliveries (${language})`, async ({
      page,
    }) => {
      const words = catalogue(language);
      const { thread } = await openLena(page, words);

      await page.getByRole('button', { name: words.triage.snooze }).click();
      const snooze = page.getByRole('menu', { name: words.triage.snooze });
      await expect(snooze.getByRole('menuitem').first()).toBeVisible();
      await showInBothThemes(page, language, 'snooze');
      await page.keyboard.press('Escape');
      await expect(snooze).toHaveCount(0);

      await page.getByLabel(words.sending.attach).setInputFiles([
        {
          name: 'linen-shirt-beige.png',
          mimeType: 'image/png',
          buffer: png(480, 320, [214, 196, 168]),
        },
        {
          name: 'linen-shirt-navy.png',
          mimeType: 'image/png',
          buffer: png(320, 480, [40, 52, 92]),
        },
      ]);
      const tray = page.getByRole('group', { name: words.tray.label });
      await expect(tray.getByRole('img')).toHaveCount(2);
      await tray
        .getByRole('textbox', {
          name: words.tray.caption.replace('{{name}}', 'linen-shirt-beige.png'),
        })
        .fill(language === 'de' ? 'Beige, Größe M' : 'Beige, size M');
      await showInBothThemes(page, language, 'attachments');
      // Escape puts the files away again: nothing is sent.
      await thread.composer.press('Escape');
      await expect(tray).toHaveCount(0);

      await page.getByRole('button', { name: words.comments.open, exact: true }).click();
      await expect(page.getByRole('heading', { name: words.comments.title })).toBeVisible();
      await expect(page.getByRole('article').first()).toBeVisible();
      await showInBothThemes(page, language, 'comments');
      await page.getByRole('button', { name: words.comments.open, exact: true }).click();

      await page.getByTestId('health-light').click();
      const health = page.getByRole('dialog', { name: words.health.panelTitle });
      await expect(health).toBeVisible();
      // A panel longer than the window scrolls inside its frame: nothing spills over the page.
      const checks = health.getByTestId('health-checks').getByRole('listitem');
      await checks.last().scrollIntoViewIfNeeded();
      const frame = await health.boundingBox();
      const last = await checks.last().boundingBox();
      expect(last!.y + last!.height).toBeLessThanOrEqual(frame!.y + frame!.height + 1);
      await checks.first().scrollIntoViewIfNeeded();
      await showInBothThemes(page, language, 'health');
      await page.keyboard.press('Escape');
      await expect(health).toHaveCount(0);

      await page.getByRole('button', { name: words.settings.open, exact: true }).click();
      const settings = page.getByRole('dialog', { name: words.settings.title });
      await expect(settings).toBeVisible();
      await showInBothThemes(page, language, 'settings');
      const developer = settings.getByRole('checkbox', { name: words.developer.enable });
      if (!(await developer.isChecked())) await developer.click();
      await expect(developer).toBeChecked();
      await settings.getByRole('button', { name: words.settings.close }).click();

      await page.getByRole('button', { name: words.developer.open, exact: true }).click();
      const deliveries = page
        .getByRole('list', { name: words.developer.listLabel })
        .getByRole('button');
      await expect(deliveries.first()).toBeVisible();
      await deliveries.first().click();
      await expect(deliveries.first()).toHaveAttribute('aria-current', 'true');
      await showInBothThemes(page, language, 'deliveries');
    });
  });
}
