import { expect, test } from '../support/fixtures';
import { Inbox } from '../support/inbox';
import {
  APP_SECRET,
  VERIFY_TOKEN,
  startInletAgainstEmulator,
  type LiveSetup,
} from '../support/inlet-against-emulator';
import { START_BUDGET_MS } from '../support/processes';

/**
 * Meta's material disagrees on which secret signs Instagram-Login webhooks. Here Inlet was given
 * an Instagram app secret that is not the one Meta signs with: every delivery arrives and is
 * refused. The Health panel says so and names the secrets to check; the owner adds the Meta app
 * secret in Settings, and Meta's next retry is accepted.
 */

let live: LiveSetup;

test.beforeAll(async () => {
  test.setTimeout(START_BUDGET_MS);
  live = await startInletAgainstEmulator({
    env: { INLET_APP_SECRET: 'the-instagram-app-secret-meta-does-not-sign-with' },
  });
});
test.afterAll(() => live?.close());

/** The address of the listener the last (re)start of the core opened, from its log. */
function listenerUrl(stderr: string): string {
  const ready = stderr
    .split('\n')
    .filter((line) => line.includes('"webhook listener ready"'))
    .at(-1);
  if (ready === undefined) throw new Error('inlet serve never said its listener was ready');
  return (JSON.parse(ready) as { url: string }).url;
}

test('refused signatures are named in the Health panel; the Meta app secret from Settings fixes them', async ({
  page,
}) => {
  const lena = await live.customer('lena.k');
  const refused = await lena.sends('do you ship to Porto?');
  expect(refused.delivery.status).toBe(401);

  const inbox = new Inbox(page, () => live.uiUrl);
  await inbox.open();
  await page.getByTestId('health-light').click();
  const panel = page.getByRole('dialog', { name: 'Connection health' });
  await panel.getByRole('button', { name: 'Check now' }).click();
  const signatures = panel.getByTestId('health-check-signatures-accepted');
  await expect(signatures).toHaveAttribute('data-state', 'failing');
  await expect(signatures).toContainText('did not match the Instagram app secret');
  await expect(signatures).toContainText('App settings → Basic for the Meta app secret');
  await panel.getByRole('button', { name: 'Close' }).click();

  const settings = await inbox.openSettings();
  // The Instagram app secret comes from the environment; the Meta one can still be added.
  await expect(settings.dialog.getByLabel('Instagram app secret')).toBeDisabled();
  await settings.dialog.getByLabel('Meta app secret (optional)').fill(APP_SECRET);
  await settings.dialog.getByRole('button', { name: 'Save' }).click();
  await expect(settings.dialog.getByText(/Saved\. Inlet reconnected/)).toBeVisible();
  await expect(settings.dialog.getByLabel('Meta app secret (optional)')).toHaveAttribute(
    'placeholder',
    'Saved (never shown)',
  );
  await settings.close();

  // Saving restarted the core on a new listener; Meta is told its address again, then retries.
  await expect.poll(() => listenerUrl(live.inlet.stderr())).not.toBe(live.webhookUrl);
  await live.emulator.registerWebhook({
    callbackUrl: listenerUrl(live.inlet.stderr()),
    verifyToken: VERIFY_TOKEN,
  });
  await live.emulator.advanceClock(10_000);
  await live.emulator.flushDeliveries();
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('do you ship to Porto?')).toBeVisible();
});
