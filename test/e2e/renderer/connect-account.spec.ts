import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EmulatorClient } from '../../../main/sandbox/emulator-client';
import { expect, test } from '../support/fixtures';
import { Inbox } from '../support/inbox';
import {
  APP_SECRET,
  metaAppEnvironment,
  startEmulatorProcess,
  VERIFY_TOKEN,
} from '../support/inlet-against-emulator';
import {
  E2E_VAULT_KEY,
  START_BUDGET_MS,
  startServe,
  tempDataDir,
  type RunningProcess,
} from '../support/processes';

/**
 * What connecting must do: a business owner with their own Meta app (the emulator playing
 * Instagram) connects an account from the UI, through the consent page and the loopback listener,
 * then a DM for that account arrives. No account is configured by environment: only the login.
 */

let emulatorProcess: RunningProcess;
let emulator: EmulatorClient;
let inlet: RunningProcess;
let data: ReturnType<typeof tempDataDir>;

test.beforeAll(async () => {
  test.setTimeout(START_BUDGET_MS);
  const started = await startEmulatorProcess();
  ({ emulatorProcess, emulator } = started);
  const { emulatorUrl } = started;
  data = tempDataDir();
  inlet = await startServe(data.path, {
    ...metaAppEnvironment(emulatorUrl),
    INLET_VERIFY_TOKEN: VERIFY_TOKEN,
    INLET_VAULT_KEY: E2E_VAULT_KEY,
  });
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
  const inbox = new Inbox(page, () => String(inlet.ready.uiUrl));
  await inbox.open();

  const settings = await inbox.openSettings();
  // Without a tunnel, against a loopback OAuth host, the login comes back to the local listener.
  const redirectUri = await settings.redirectUri();
  expect(redirectUri).toBe(String(inlet.ready.webhookUrl).replace(/\/webhook$/, '/oauth/callback'));
  // What the developer does in Meta's dashboard.
  await emulator.configureApp({ redirectUris: [redirectUri] });

  await settings.dialog.getByRole('button', { name: 'Connect an account' }).click();
  const consent = await settings.allowOnInstagram('lisbon.ceramics');
  // The one-shot listener answered through the public (here: loopback) callback.
  expect(new URL(consent.url()).pathname).toBe('/oauth/callback');
  await consent.close();

  await expect(settings.dialog.getByText('@lisbon.ceramics is connected.')).toBeVisible();
  await expect(settings.account('lisbon.ceramics')).toHaveAttribute('data-state', 'connected');
  await settings.close();
  await expect(page.getByTestId('rail')).toContainText('@lisbon.ceramics');

  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'lena.k',
    name: 'Lena K',
  });
  const inbound = await emulator.customerSends(customer.igsid, { text: 'Is the blue vase sold?' });
  expect(inbound.delivery.status).toBe(200);
  await expect(inbox.conversation('lena.k')).toBeVisible();
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.log.getByText('Is the blue vase sold?')).toBeVisible();

  // Nothing secret in plain text under the data dir or in Inlet's log.
  const secrets = [APP_SECRET, E2E_VAULT_KEY];
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
