import { join } from 'node:path';
import type { Page } from '@playwright/test';

/**
 * Where the specs that take the README's pictures write them: docs/screenshots when refreshed on
 * request (UPDATE_SCREENSHOTS=1), test-results otherwise, so a test run leaves the tree clean.
 */
const SCREENSHOTS = join(
  import.meta.dirname,
  '../../..',
  process.env['UPDATE_SCREENSHOTS'] === '1' ? 'docs/screenshots' : 'test-results/screenshots',
);

/** Saves the page as `<name>.png` among the README's pictures (see above). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
