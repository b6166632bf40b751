import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { Inbox } from '../support/inbox';
import {
  START_BUDGET_MS,
  startInlet,
  tempDataDir,
  type RunningProcess,
} from '../support/processes';
import { saveScreenshot } from '../support/screenshots';

let inlet: RunningProcess;
let data: ReturnType<typeof tempDataDir>;

test.beforeAll(async () => {
  test.setTimeout(START_BUDGET_MS);
  data = tempDataDir();
  // No INLET_* configuration at all: what a new user gets.
  inlet = await startInlet(['serve', '--data-dir', data.path, '--port', '0']);
});

/** This file's own Inlet, restarted by the second test. */
const inboxOf = (page: Page) => new Inbox(page, () => String(inlet.ready.uiUrl));

test.afterAll(async () => {
  await inlet?.stop();
  data?.remove();
});

test('with no Meta app configured, Inlet opens a working sandbox inbox', async ({ page }) => {
  expect(inlet.ready).toMatchObject({ mode: 'sandbox', dataDir: data.path });
  const inbox = inboxOf(page);
  await inbox.open();
  await expect(page.getByTestId('sandbox-banner')).toBeVisible();
  const banner = page.getByTestId('sandbox-banner');
  await expect(banner).toContainText('This is the sandbox: simulated customers');
  await expect(banner.getByRole('button', { name: 'Connect your Instagram' })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Explore the sandbox' })).toBeVisible();

  // The seeded customers arrived as signed webhooks and were looked up by profile.
  for (const username of ['lena.k', 'yuki.t', 'marco.rossi']) {
    await expect(inbox.conversation(username)).toBeVisible();
  }
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('linen shirt in size M')).toBeVisible();
  await expect(thread.message('We have M in beige and navy')).toHaveAttribute(
    'data-direction',
    'out',
  );
  await saveScreenshot(page, 'sandbox-inbox');

  // A reply goes through the embedded emulator's Send API and comes back confirmed.
  await thread.composer.fill('Thanks Lena, shipping today!');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = thread.message('shipping today');
  await expect(reply).toHaveDeliveryStatus('sent');
  await expect(reply).toHaveCount(1);
});

test('a restart keeps the archive and does not duplicate the seeded conversations', async ({
  page,
}) => {
  await inlet.stop();
  inlet = await startInlet(['serve', '--data-dir', data.path, '--port', '0']);
  const inbox = inboxOf(page);
  await inbox.open();
  await expect(inbox.conversation('lena.k')).toHaveCount(1);
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('shipping today')).toHaveCount(1);
  await expect(thread.message('linen shirt in size M')).toHaveCount(1);
});
