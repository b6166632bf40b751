import { expect as baseExpect, test as base, type Locator } from '@playwright/test';
import type { MessageStatus } from '../../../shared/domain/schemas';
import { Inbox, type Thread } from './inbox';
import { startInletAgainstEmulator, type Customer, type LiveSetup } from './inlet-against-emulator';
import { START_BUDGET_MS, startInlet, tempDataDir } from './processes';

/**
 * Fixtures for the specs in test/e2e/renderer: import `test` and `expect` from here, not from
 * '@playwright/test', and ask for what the test needs:
 *
 * - `live`: `inlet serve` against `inlet emulator` (two real processes, configured like a real
 *   Meta app), one connected account (`live.account`). `live.customer('lena.k')` makes a customer
 *   who `sends(…)` and `does(…)`; `live.sentWith(text)` is what Instagram received. One per spec
 *   file, like a `beforeAll`: the file's tests share it in order, no other file sees it, and the
 *   emulator's faults are cleared before each test. In a `beforeAll`, `liveFor(testInfo.file)`
 *   is the same setup (give that hook `test.setTimeout(START_BUDGET_MS)`).
 * - `inbox`: the page on `live`'s UI (support/inbox.ts): `inbox.open()`,
 *   `inbox.openConversation('lena.k')` → `thread.message(text)`, `thread.send(text)`,
 *   `inbox.openComments()`, `inbox.openSettings()`.
 * - `customerWrites('lena.k', 'Hi!')`: a new customer writes, the owner opens their conversation;
 *   resolves with `{ customer, first, thread }`.
 * - `sandbox` / `sandboxInbox`: `inlet serve --sandbox` with its seeded customers, one per worker
 *   (shared by every spec file), so specs only read it and add nothing others would see.
 * - `expect(bubble).toHaveDeliveryStatus('sent')`: waits for a message's delivery state.
 *
 * A spec whose Inlet is configured otherwise (no configuration at all, an ngrok authtoken, no
 * account) starts its own in a `beforeAll` with support/processes.ts (`startServe`, and
 * `START_BUDGET_MS` for the hook) and still drives it with `new Inbox(page, …)`. Webhooks posted
 * by hand go through support/webhook.ts; what is on disk is read with support/archive.ts.
 */

type WorkerFixtures = {
  /** The `live` setup of a spec file, started on first use and closed when the next file starts. */
  liveFor: (file: string) => Promise<LiveSetup>;
  sandbox: { uiUrl: string };
};

/**
 * The opening of most live stories: a new customer writes to the account, and the owner opens the
 * inbox and their conversation. `first` is what the emulator answered for that first message.
 */
type CustomerWrites = (
  username: string,
  message: Parameters<Customer['sends']>[0],
  options?: Parameters<LiveSetup['customer']>[1],
) => Promise<{ customer: Customer; first: Awaited<ReturnType<Customer['sends']>>; thread: Thread }>;

type TestFixtures = {
  live: LiveSetup;
  inbox: Inbox;
  customerWrites: CustomerWrites;
  sandboxInbox: Inbox;
};

export const test = base.extend<TestFixtures, WorkerFixtures>({
  liveFor: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      // Specs run one file after another in a worker, so one file's setup is open at a time.
      let current: { file: string; setup: Promise<LiveSetup> } | undefined;
      await use(async (file) => {
        if (current?.file !== file) {
          const previous = current?.setup;
          current = {
            file,
            setup: (async () => {
              await previous?.then((setup) => setup.close()).catch(() => undefined);
              return startInletAgainstEmulator();
            })(),
          };
        }
        return current.setup;
      });
      await current?.setup.then((setup) => setup.close());
    },
    { scope: 'worker' },
  ],
  sandbox: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      const sandbox = await startSandbox();
      try {
        await use({ uiUrl: sandbox.uiUrl });
      } finally {
        await sandbox.stop();
      }
    },
    { scope: 'worker', timeout: START_BUDGET_MS },
  ],
  live: [
    async ({ liveFor }, use, testInfo) => {
      const setup = await liveFor(testInfo.file);
      await setup.emulator.setFaults({});
      await use(setup);
    },
    // Starting the processes is the file's setup, not its first test's: like a beforeAll, it has
    // a time budget of its own.
    { timeout: START_BUDGET_MS },
  ],
  inbox: async ({ page, live }, use) => {
    await use(new Inbox(page, () => live.uiUrl));
  },
  customerWrites: async ({ live, inbox }, use) => {
    await use(async (username, message, options) => {
      const customer = await live.customer(username, options);
      const first = await customer.sends(message);
      await inbox.open();
      return { customer, first, thread: await inbox.openConversation(username) };
    });
  },
  sandboxInbox: async ({ page, sandbox }, use) => {
    await use(new Inbox(page, () => sandbox.uiUrl));
  },
});

export const expect = baseExpect.extend({
  /** The bubble's delivery state (`data-status`): received, queued, sending, sent, failed… */
  async toHaveDeliveryStatus(
    bubble: Locator,
    status: MessageStatus | RegExp,
    options?: { timeout?: number },
  ) {
    const name = 'toHaveDeliveryStatus';
    const assertion = this.isNot ? baseExpect(bubble).not : baseExpect(bubble);
    try {
      await assertion.toHaveAttribute('data-status', status, options);
      return { pass: !this.isNot, name, message: () => `delivery state ${String(status)}` };
    } catch (error) {
      return {
        pass: this.isNot,
        name,
        message: () => (error instanceof Error ? error.message : String(error)),
      };
    }
  },
});

/** `inlet serve --sandbox` on a data folder of its own, on a free port. */
async function startSandbox(): Promise<{ uiUrl: string; stop: () => Promise<void> }> {
  const data = tempDataDir();
  const inlet = await startInlet(['serve', '--sandbox', '--data-dir', data.path, '--port', '0']);
  return {
    uiUrl: String(inlet.ready.uiUrl),
    stop: async () => {
      await inlet.stop();
      data.remove();
    },
  };
}

/**
 * A sandbox for the calling spec file (or describe block) alone, for tests that change what other
 * files would see (the Developer switch, files sent): started before its first test, stopped after
 * its last. Read `uiUrl()` inside a test.
 */
export function ownSandbox(): { uiUrl: () => string } {
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  test.beforeAll(async () => {
    test.setTimeout(START_BUDGET_MS);
    sandbox = await startSandbox();
  });
  test.afterAll(async () => {
    await sandbox?.stop();
  });
  return {
    uiUrl: () => {
      if (!sandbox) throw new Error('the sandbox is not running (ownSandbox in a test?)');
      return sandbox.uiUrl;
    },
  };
}
