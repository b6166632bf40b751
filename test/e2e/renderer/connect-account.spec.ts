import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { EmulatorClient } from '../../../main/sandbox/emulator-client';
import {
  APP_ID,
  APP_SECRET,
  startEmulatorProcess,
  VERIFY_TOKEN,
} from '../support/inlet-against-emulator';
import { startInlet, tempDataDir, type RunningProcess } from '../support/processes';

/**
 * Issue #4's "done when": a business owner with their own Meta app (the emulator playing
 * Instagram) connects an account from the UI, through the consent page and the loopback listener,
 * then a DM for that account arrives. No account is configured by environment: only the login.
 */

const VAULT_KEY = 'e2e vault passphrase, not a real one';

let emulatorProcess: RunningProcess;
let emulator: EmulatorClient;
let inlet: RunningProcess;
let data: ReturnType<typeof tempDataDir>;

test.beforeAll(async () => {
  const started = await startEmulatorProcess();
  ({ emulatorProcess, emulator } = started);
  const { emulatorUrl } = started;
  data = tempDataDir();
  inlet = await startInlet(
    ['serve', '--data-dir', data.path, '--port', '0', '--webhook-port', '0', '--no-tunnel'],
    {
      INLET_APP_ID: APP_ID,
      INLET_APP_SECRET: APP_SECRET,
      INLET_VERIFY_TOKEN: VERIFY_TOKEN,
      INLET_GRAPH_URL: emulatorUrl,
      INLET_TOKEN_URL: emulatorUrl,
      INLET_OAUTH_URL: emulatorUrl,
      INLET_VAULT_KEY: VAULT_KEY,
    },
  );
  const webhookUrl = String(inlet.ready.webhookUrl);
  await emulator.registerWebhook({ callbackUrl: webhookUrl, verifyToken: VERIFY_TOKEN });
});

test.afterAll(async () => {
  await inlet?.stop();
  await emulatorProcess?.stop();
  data?.remove();
});

test('connects an account through the consent page, then receives its DM', async ({ page }) => {
  const account = await emulator.createAccount({ username: 'lisbon.ceramics', name: 'Lisbon' });
  await page.goto(String(inlet.ready.uiUrl));
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();

  await page
    .getByTestId('status-strip')
    .getByRole('button', { name: /Settings/ })
    .click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  // Without a tunnel, against a loopback OAuth host, the login comes back to the local listener.
  const redirectUri = (await settings.getByTestId('redirect-uri').textContent()) ?? '';
  expect(redirectUri).toBe(String(inlet.ready.webhookUrl).replace(/\/webhook$/, '/oauth/callback'));
  // What the developer does in Meta's dashboard.
  await emulator.configureApp({ redirectUris: [redirectUri] });

  await settings.getByRole('button', { name: 'Connect an account' }).click();
  const popupOpened = page.waitForEvent('popup');
  await settings.getByRole('link', { name: 'Open the Instagram login' }).click();
  const consent = await popupOpened;
  await expect(consent.getByRole('heading', { level: 1 })).toContainText('wants to access');
  await consent.getByLabel('@lisbon.ceramics').check();
  await consent.getByRole('button', { name: 'Allow' }).click();
  // The one-shot listener answered through the public (here: loopback) callback.
  await expect(consent.getByRole('heading', { name: 'Connected' })).toBeVisible();
  expect(new URL(consent.url()).pathname).toBe('/oauth/callback');
  await consent.close();

  await expect(settings.getByText('@lisbon.ceramics is connected.')).toBeVisible();
  const row = settings.getByTestId('account').filter({ hasText: '@lisbon.ceramics' });
  await expect(row).toHaveAttribute('data-state', 'connected');
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('status-strip')).toContainText('@lisbon.ceramics');

  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'lena.k',
    name: 'Lena K',
  });
  const inbound = await emulator.customerSends(customer.igsid, { text: 'Is the blue vase sold?' });
  expect(inbound.delivery.status).toBe(200);
  const conversation = page.getByTestId('conversation').filter({ hasText: 'lena.k' });
  await expect(conversation).toBeVisible();
  await conversation.click();
  await expect(
    page.getByRole('log', { name: 'Messages' }).getByText('Is the blue vase sold?'),
  ).toBeVisible();

  // Nothing secret in plain text under the data dir or in Inlet's log.
  const secrets = [APP_SECRET, VAULT_KEY];
  for (const file of listFiles(data.path)) {
    const bytes = readFileSync(file);
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
  }
  for (const secret of secrets) expect(inlet.stderr()).not.toContain(secret);
  expect(inlet.stderr()).not.toMatch(/IGAA[\w-]{10,}/);
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
