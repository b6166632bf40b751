import { expect, test } from '@playwright/test';
import { startInlet, tempDataDir, type RunningProcess } from '../support/processes';

let inlet: RunningProcess;
let data: ReturnType<typeof tempDataDir>;

test.beforeAll(async () => {
  data = tempDataDir();
  // No INLET_* configuration at all: what a new user gets.
  inlet = await startInlet(['serve', '--data-dir', data.path, '--port', '0']);
});

test.afterAll(async () => {
  await inlet?.stop();
  data?.remove();
});

test('with no Meta app configured, Inlet opens a working sandbox inbox', async ({ page }) => {
  expect(inlet.ready).toMatchObject({ mode: 'sandbox', dataDir: data.path });
  await page.goto(String(inlet.ready.uiUrl));
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.getByTestId('sandbox-banner')).toBeVisible();
  await expect(page.getByTestId('sandbox-banner')).toContainText('INLET_APP_SECRET');

  // The seeded customers arrived as signed webhooks and were looked up by profile.
  for (const username of ['lena.k', 'yuki.t', 'marco.rossi']) {
    await expect(page.getByTestId('conversation').filter({ hasText: username })).toBeVisible();
  }
  const lena = page.getByTestId('conversation').filter({ hasText: 'lena.k' });
  await lena.click();
  const thread = page.getByRole('log', { name: 'Messages' });
  await expect(
    thread.getByTestId('message').filter({ hasText: 'linen shirt in size M' }),
  ).toBeVisible();
  await expect(
    thread.getByTestId('message').filter({ hasText: 'We have M in beige and navy' }),
  ).toHaveAttribute('data-direction', 'out');
  await page.screenshot({ path: 'test-results/screenshots/sandbox-inbox.png' });

  // A reply goes through the embedded emulator's Send API and comes back confirmed.
  await page.getByRole('textbox', { name: 'Message' }).fill('Thanks Lena, shipping today!');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = thread.getByTestId('message').filter({ hasText: 'shipping today' });
  await expect(reply).toHaveAttribute('data-status', 'sent');
  await expect(reply).toHaveCount(1);
});

test('a restart keeps the archive and does not duplicate the seeded conversations', async ({
  page,
}) => {
  await inlet.stop();
  inlet = await startInlet(['serve', '--data-dir', data.path, '--port', '0']);
  await page.goto(String(inlet.ready.uiUrl));
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.getByTestId('conversation').filter({ hasText: 'lena.k' })).toHaveCount(1);
  await page.getByTestId('conversation').filter({ hasText: 'lena.k' }).click();
  const thread = page.getByRole('log', { name: 'Messages' });
  await expect(thread.getByTestId('message').filter({ hasText: 'shipping today' })).toHaveCount(1);
  await expect(
    thread.getByTestId('message').filter({ hasText: 'linen shirt in size M' }),
  ).toHaveCount(1);
});
