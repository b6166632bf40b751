import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { Inbox } from '../support/inbox';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';
import { START_BUDGET_MS } from '../support/processes';

/**
 * The tunnel's status in the owner's language, through the real @ngrok/ngrok adapter: with an
 * authtoken and no internet (as here) its connect fails at once, and Settings → Connection says why
 * in German, ngrok's own English words apart and marked as English, and when it tries again.
 */

type Catalogue = {
  status: { tunnelStates: { error: string }; tunnelRetryIn: string; tunnelRetrying: string };
  app: { technicalDetail: string };
  settings: { open: string };
  errorDetail: { tunnelUnreachable: string; tunnelAuthtokenRefused: string };
};
const de = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../renderer/src/i18n/de.json'), 'utf8'),
) as Catalogue;

let live: LiveSetup;

test.beforeAll(async () => {
  test.setTimeout(START_BUDGET_MS);
  live = await startInletAgainstEmulator({
    tunnel: true,
    env: { INLET_NGROK_AUTHTOKEN: 'e2e-not-a-real-authtoken' },
  });
});
test.afterAll(() => live?.close());

test.use({ locale: 'de' });

test('a failed tunnel reads in German, with ngrok’s words only as a marked technical detail', async ({
  page,
}) => {
  await new Inbox(page, () => live.uiUrl).open();
  // The inbox shows the health light only; the tunnel's detail is in Settings → Connection.
  const strip = page.getByTestId('rail');
  await expect(strip.locator('.tunnel')).toHaveCount(0);
  await strip.getByRole('button', { name: de.settings.open }).click();
  const tunnel = page.getByTestId('connection-details').locator('.tunnel');
  await expect(tunnel).toContainText(de.status.tunnelStates.error);
  // Offline, ngrok cannot be reached; with internet, this bogus authtoken is refused.
  const headline = tunnel.locator('.tunnel__error');
  await expect(headline).toContainText(
    new RegExp(
      [de.errorDetail.tunnelUnreachable, de.errorDetail.tunnelAuthtokenRefused]
        .map((sentence) => sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
    ),
  );
  await expect(headline).not.toContainText('Could not reach ngrok');
  await expect(headline).not.toContainText('ngrok refused');
  // ngrok's own message: after the sentence, labelled in German, and the only English there.
  await expect(headline.locator('.technical-detail')).toContainText(de.app.technicalDetail);
  await expect(headline.locator('[lang="en"]')).toHaveCount(1);
  await expect(headline.locator('.technical-detail [lang="en"]')).not.toBeEmpty();
  await expect(tunnel.locator('.tunnel__retry')).toContainText(
    new RegExp(`^(${de.status.tunnelRetryIn.split('{{')[0]}|${de.status.tunnelRetrying})`),
  );
  await expectNoViolations(page, 'Settings → Connection with a failed tunnel, in German');
});
