import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { expectReady } from '../support/inbox';
import { tempDataDir } from '../support/processes';

const REPO = resolve(import.meta.dirname, '../../..');

/** The Electron binary, if this machine has one (Electron fetches it on first use, which fails offline). */
function electronBinary(): string | null {
  const pathFile = join(REPO, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(REPO, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (binary === null) {
  console.log(
    'app e2e skipped: no Electron binary on this machine (node_modules/electron/dist is empty)',
  );
}

test.describe('desktop app', () => {
  test.skip(binary === null, 'no Electron binary on this machine');

  test('opens the sandbox inbox securely and never navigates to external links', async () => {
    const data = tempDataDir();
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [REPO, `--user-data-dir=${data.path}`],
      env: { ...process.env, INLET_DATA_DIR: data.path },
    });
    try {
      const opened: string[] = [];
      await app.evaluate(({ shell }) => {
        // Record instead of opening a real browser.
        (shell as { openExternal: (url: string) => Promise<void> }).openExternal = async (
          url: string,
        ) => {
          (globalThis as { __opened?: string[] }).__opened ??= [];
          (globalThis as unknown as { __opened: string[] }).__opened.push(url);
        };
      });
      const page = await app.firstWindow();
      await expectReady(page);
      await expect(page.getByTestId('sandbox-banner')).toBeVisible();
      expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(
        await page.evaluate(() =>
          Object.keys((window as unknown as { inbox: object }).inbox).sort(),
        ),
      ).toEqual(['invoke', 'on']);
      const before = page.url();
      await page.evaluate(() => {
        const link = document.createElement('a');
        link.href = 'https://example.com/';
        link.target = '_blank';
        document.body.append(link);
        link.click();
        window.location.href = 'https://example.com/navigated';
      });
      await expect
        .poll(() => app.evaluate(() => (globalThis as { __opened?: string[] }).__opened ?? []))
        .toContain('https://example.com/');
      expect(page.url()).toBe(before);
      opened.push(
        ...(await app.evaluate(() => (globalThis as { __opened?: string[] }).__opened ?? [])),
      );
      expect(opened.every((url) => url.startsWith('https://'))).toBe(true);
    } finally {
      await app.close();
      data.remove();
    }
  });
});
