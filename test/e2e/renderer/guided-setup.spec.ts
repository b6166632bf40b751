import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { EmulatorClient } from '../../../main/sandbox/emulator-client';
import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { Inbox } from '../support/inbox';
import { APP_ID, APP_SECRET, startEmulatorProcess } from '../support/inlet-against-emulator';
import {
  E2E_VAULT_KEY,
  START_BUDGET_MS,
  startServe,
  tempDataDir,
  type RunningProcess,
} from '../support/processes';
import { saveScreenshot } from '../support/screenshots';

/**
 * The guided setup walked end to end as a new owner would, against the emulator playing Meta: a
 * fresh Inlet in the sandbox, a Meta app that is new (Development mode, unpublished), and every
 * dashboard step done on the emulator with the values the assistant shows. Each step ticks as the
 * emulator reaches its state; the ticks survive a restart. In English and German, taking the
 * README's screenshots (docs/screenshots/setup-*.png, refreshed with UPDATE_SCREENSHOTS=1).
 */

/** Meta delivers the echo within seconds; the assistant waits up to a minute. */
const LOOP_BUDGET_MS = 70_000;

type Catalogue = {
  sandbox: { connectButton: string };
  settings: {
    open: string;
    title: string;
    app: { appId: string; appSecret: string };
    accounts: { connect: string; openLogin: string };
  };
  setup: {
    open: string;
    title: string;
    next: string;
    close: string;
    checkAgain: string;
    allDone: string;
    steps: {
      credentials: { save: string };
      'test-message': { button: string };
    };
  };
};
const catalogue = (language: string): Catalogue =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, `../../../renderer/src/i18n/${language}.json`), 'utf8'),
  ) as Catalogue;

/** The assistant as the owner drives it, in the words of `language`. */
class Assistant {
  constructor(
    readonly page: Page,
    readonly words: Catalogue,
  ) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: this.words.setup.title });
  }

  get current(): Locator {
    return this.dialog.getByTestId('setup-current');
  }

  step(id: string): Locator {
    return this.dialog.getByTestId(`setup-step-${id}`);
  }

  async expectAt(id: string): Promise<void> {
    await expect(this.current).toHaveAttribute('data-step', id);
  }

  /** Next, pressed from the keyboard: every control of the assistant is a real button. */
  async next(): Promise<void> {
    await this.current.getByRole('button', { name: this.words.setup.next, exact: true }).focus();
    await this.page.keyboard.press('Enter');
  }

  async checkAgain(): Promise<void> {
    await this.dialog
      .getByRole('button', { name: this.words.setup.checkAgain, exact: true })
      .click();
    await expect(
      this.dialog.getByRole('button', { name: this.words.setup.checkAgain, exact: true }),
    ).toBeEnabled();
  }

  async expectTicked(id: string, state: 'checked' | 'shown' = 'checked'): Promise<void> {
    await expect(this.step(id)).toHaveAttribute('data-state', state);
  }

  async value(testId: string): Promise<string> {
    return (await this.current.getByTestId(testId).textContent()) ?? '';
  }
}

for (const language of ['en', 'de'] as const) {
  test.describe(`the guided setup in ${language}`, () => {
    // The second test resumes what the first set up.
    test.describe.configure({ mode: 'serial' });
    test.use({ locale: language, timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });

    let emulatorProcess: RunningProcess;
    let emulator: EmulatorClient;
    let emulatorUrl: string;
    let inlet: RunningProcess;
    let data: ReturnType<typeof tempDataDir>;
    // Nothing configured but where Instagram is: the emulator stands in for its three hosts.
    const serve = () =>
      startServe(data.path, {
        INLET_GRAPH_URL: emulatorUrl,
        INLET_TOKEN_URL: emulatorUrl,
        INLET_OAUTH_URL: emulatorUrl,
        INLET_VAULT_KEY: E2E_VAULT_KEY,
      });

    test.beforeAll(async () => {
      test.setTimeout(START_BUDGET_MS);
      ({ emulatorProcess, emulator, emulatorUrl } = await startEmulatorProcess());
      // A Meta app as Meta creates it: in Development mode, unpublished, sent nothing.
      await emulator.configureApp({ mode: 'development', published: false });
      data = tempDataDir();
      inlet = await serve();
    });

    test.afterAll(async () => {
      await inlet?.stop();
      await emulatorProcess?.stop();
      data?.remove();
    });

    test('walks from the sandbox to a first customer message, each step ticking as Meta gets there', async ({
      page,
    }) => {
      test.setTimeout(START_BUDGET_MS + 2 * LOOP_BUDGET_MS);
      const words = catalogue(language);
      const setup = new Assistant(page, words);
      const account = await emulator.createAccount({ username: 'acme.studio', name: 'Acme' });
      expect(inlet.ready).toMatchObject({ mode: 'sandbox' });
      await page.emulateMedia({ colorScheme: 'light' });
      await new Inbox(page, () => String(inlet.ready.uiUrl)).open();

      await page
        .getByTestId('sandbox-banner')
        .getByRole('button', { name: words.sandbox.connectButton })
        .click();
      await setup.expectAt('create-app');
      await expect(setup.step('credentials')).toHaveAttribute('data-state', 'open');
      await expectNoViolations(page, `the guided setup (${language})`);
      await saveScreenshot(page, `setup-${language}-start`);

      // The app id and secret from the dashboard, typed into the assistant: Inlet leaves the
      // sandbox and runs against the owner's app.
      await setup.next();
      await setup.next();
      await setup.expectAt('credentials');
      await setup.current.getByLabel(words.settings.app.appId).fill(APP_ID);
      await setup.current.getByLabel(words.settings.app.appSecret).fill(APP_SECRET);
      await setup.current.getByRole('button', { name: words.setup.steps.credentials.save }).click();
      await setup.expectTicked('credentials');
      await setup.expectTicked('create-app', 'shown');
      await expect(page.getByTestId('sandbox-banner')).toHaveCount(0);

      // The redirect URI, pasted into the dashboard's Business login settings.
      await setup.next();
      await setup.next();
      await setup.expectAt('redirect-uri');
      const redirectUri = await setup.value('setup-redirect-uri');
      expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
      await emulator.configureApp({ redirectUris: [redirectUri] });

      // The callback URL and verify token: Meta's "Verify and save" calls Inlet at once.
      await setup.next();
      await setup.expectAt('webhook');
      const callbackUrl = await setup.value('setup-callback-url');
      const verifyToken = await setup.value('setup-verify-token');
      expect(callbackUrl).toMatch(/\/webhook$/);
      expect(verifyToken.length).toBeGreaterThan(16);
      await expect(setup.step('webhook')).toHaveAttribute('data-state', 'open');
      await saveScreenshot(page, `setup-${language}-webhook`);
      await emulator.registerWebhook({ callbackUrl, verifyToken });
      await setup.checkAgain();
      await setup.expectTicked('webhook');

      // The fields, then publishing: nothing Inlet can see yet.
      await setup.next();
      await setup.next();
      await setup.expectAt('publish');
      await emulator.configureApp({ mode: 'live', published: true });
      await expect(setup.step('publish')).toHaveAttribute('data-state', 'open');

      // Connecting: the consent page in the browser, back through the loopback listener.
      await setup.next();
      await setup.expectAt('connect');
      await setup.current.getByRole('button', { name: words.settings.accounts.connect }).click();
      const popup = page.waitForEvent('popup');
      await setup.current.getByRole('link', { name: words.settings.accounts.openLogin }).click();
      const consent = await popup;
      await consent.getByLabel('@acme.studio').check();
      await consent.getByRole('button', { name: 'Allow' }).click();
      await expect(consent.getByRole('heading', { name: 'Connected' })).toBeVisible();
      await consent.close();
      await setup.expectTicked('connect');
      // The login proves the role and the redirect URI; Inlet subscribed the account itself.
      await setup.expectTicked('tester-role', 'shown');
      await setup.expectTicked('redirect-uri', 'shown');
      await setup.expectTicked('subscription');
      expect((await emulator.subscription(account.igUserId)).subscribedFields).toContain(
        'messages',
      );

      // The self-test: Meta's echo comes back through the webhook.
      await setup.next();
      await setup.next();
      await setup.expectAt('test-message');
      await setup.current
        .getByRole('button', {
          name: words.setup.steps['test-message'].button.replace('{{username}}', 'acme.studio'),
        })
        .click();
      await expect(setup.step('test-message')).toHaveAttribute('data-state', 'checked', {
        timeout: LOOP_BUDGET_MS,
      });
      await setup.expectTicked('fields', 'shown');
      await setup.expectTicked('publish', 'shown');

      // A customer writes: the first delivery lands in the inbox and ticks the last step.
      const customer = await emulator.createCustomer({
        accountId: account.igUserId,
        username: 'lena.k',
        name: 'Lena K',
      });
      const delivered = await emulator.customerSends(customer.igsid, { text: 'Hello Acme!' });
      expect(delivered.delivery.status).toBe(200);
      await setup.next();
      await setup.expectAt('first-delivery');
      await setup.expectTicked('first-delivery');
      await expect(setup.dialog).toContainText(words.setup.allDone);
      await expectNoViolations(page, `the finished guided setup (${language}, light)`);
      await saveScreenshot(page, `setup-${language}-done`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await expectNoViolations(page, `the finished guided setup (${language}, dark)`);
      if (language === 'en') await saveScreenshot(page, 'setup-en-dark');
      await page.emulateMedia({ colorScheme: 'light' });
    });

    test('resumes after a restart: every tick comes back from what Inlet checks', async ({
      page,
    }) => {
      test.setTimeout(START_BUDGET_MS);
      const words = catalogue(language);
      await inlet.stop();
      inlet = await serve();
      expect(inlet.ready).toMatchObject({ mode: 'live' });
      const setup = new Assistant(page, words);
      await new Inbox(page, () => String(inlet.ready.uiUrl)).open();
      await page
        .getByTestId('rail')
        .getByRole('button', { name: new RegExp(words.settings.open) })
        .click();
      await page
        .getByRole('dialog', { name: words.settings.title })
        .getByRole('button', { name: words.setup.open })
        .click();
      await expect(setup.dialog).toContainText(words.setup.allDone);
      for (const step of ['credentials', 'webhook', 'connect', 'test-message', 'first-delivery'])
        await setup.expectTicked(step);
      await expect(setup.dialog.locator('[data-state="open"]')).toHaveCount(0);
    });
  });
}
