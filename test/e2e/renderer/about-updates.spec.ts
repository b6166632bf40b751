import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

/**
 * `inlet serve` has no updater: Settings says plainly that this copy does not update itself and
 * offers no update controls, About shows the version of the package that runs, and Copy
 * diagnostics brings the core's redacted report through the WebSocket to the clipboard.
 */

const { version } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8'),
) as { version: string };

test('headless Inlet says it does not update itself, and About shows its version', async ({
  sandboxInbox: inbox,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await inbox.open();
  await expect(page.getByTestId('conversation').first()).toBeVisible();
  await expect(page.getByTestId('update-notice')).toHaveCount(0);

  const { dialog } = await inbox.openSettings();
  const about = dialog.getByTestId('about');
  await expect(about.getByRole('heading', { name: 'About Inlet' })).toBeVisible();
  await expect(about.getByTestId('about-version')).toHaveText(version);
  await expect(about.getByTestId('update-status')).toHaveAttribute('data-unsupported', 'headless');
  await expect(about.getByTestId('update-status')).toContainText(
    "This Inlet runs in your browser from a copy on this computer, and that copy doesn't update itself.",
  );
  await expect(dialog.getByTestId('updates-settings')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Check now' })).toHaveCount(0);

  await about.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(about.getByText('Copied', { exact: true })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('Inlet diagnostics');
  expect(copied).toContain(`inlet: ${version}`);
  expect(copied).toContain('state: not by Inlet (headless)');
  expect(copied).toContain('mode: sandbox');
  // The sandbox's verify token is on screen in Settings, and never in what is copied.
  const verifyToken = await dialog
    .locator('xpath=.//dt[normalize-space()="Webhook verify token"]/following-sibling::dd[1]//code')
    .textContent();
  expect(verifyToken?.length).toBeGreaterThan(8);
  expect(copied).not.toContain(verifyToken);

  await about.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/settings-about-headless.png' });
  await expectNoViolations(page, 'settings with About');
});
