import {
  createEmulatorClient,
  type ActionInput,
  type CustomerAction,
  type EmulatorClient,
} from '../../../main/sandbox/emulator-client';
import { startInlet, startServe, tempDataDir, type RunningProcess } from './processes';

export const APP_ID = '990602627938098';
export const APP_SECRET = 'e2e-instagram-app-secret';
export const VERIFY_TOKEN = 'e2e-verify-token';

type SentRequest = Awaited<ReturnType<EmulatorClient['sent']>>[number];
type MessageInput = Parameters<EmulatorClient['customerSends']>[1];

type CustomerOptions = Pick<Parameters<EmulatorClient['createCustomer']>[0], 'name' | 'picture'>;

/** A customer of the connected account, played through the emulator's admin API. */
export type Customer = {
  igsid: string;
  username: string;
  /** The customer writes to the account on Instagram: a signed webhook reaches Inlet. */
  sends: (message: string | MessageInput) => ReturnType<EmulatorClient['customerSends']>;
  /** The customer edits, unsends, reacts, marks seen… (or the owner replies from the phone: echo). */
  does: <A extends CustomerAction>(
    action: A,
    input: ActionInput[A],
  ) => ReturnType<EmulatorClient['customerDoes']>;
};

export type LiveSetup = {
  emulator: EmulatorClient;
  account: { igUserId: string; username: string; accessToken: string };
  inlet: RunningProcess;
  uiUrl: string;
  webhookUrl: string;
  dataDir: string;
  /** The INLET_* environment `inlet serve` runs with (for other `inlet` commands on `dataDir`). */
  env: Record<string, string>;
  /**
   * A new customer of the account, with `name` as their Instagram display name and `picture` as
   * what Instagram says of their profile picture (the emulator's CustomerInput).
   */
  customer: (username: string, options?: CustomerOptions) => Promise<Customer>;
  /** The Send API requests Instagram received for the account, oldest first. */
  sent: () => Promise<SentRequest[]>;
  /** Those of `sent()` whose body mentions `text` (a message text, an igsid, a comment id…). */
  sentWith: (text: string) => Promise<SentRequest[]>;
  /** Stops `inlet serve` (SIGTERM, or SIGKILL for a crash with nothing flushed); Meta's
   * deliveries then fail, the emulator keeps running. */
  stopInlet: (options?: { kill?: boolean }) => Promise<void>;
  /** Starts `inlet serve` again on the same data dir and registers its new webhook URL; `inlet`,
   * `uiUrl` and `webhookUrl` are updated in place. */
  startInletAgain: () => Promise<void>;
  /**
   * The machine sleeps: `inlet serve` is suspended (SIGSTOP: its timers stand still, the wall clock
   * goes on), `whileAsleep` plays what Instagram does meanwhile, and it resumes (SIGCONT) no sooner
   * than `forMs` after it fell asleep. With INLET_WAKE_CHECK_MS short, it then notices the jump.
   */
  sleep: (forMs: number, whileAsleep: () => Promise<void>) => Promise<void>;
  /** `stopInlet` then `startInletAgain`. */
  restart: (options?: { kill?: boolean }) => Promise<void>;
  close: () => Promise<void>;
};

/** `inlet emulator` as its own process, playing the fixture Meta app (APP_ID / APP_SECRET). */
export async function startEmulatorProcess(): Promise<{
  emulatorProcess: RunningProcess;
  emulatorUrl: string;
  emulator: EmulatorClient;
}> {
  const emulatorProcess = await startInlet([
    'emulator',
    '--port',
    '0',
    '--app-id',
    APP_ID,
    '--app-secret',
    APP_SECRET,
  ]);
  const emulatorUrl = String(emulatorProcess.ready.url);
  const emulator = createEmulatorClient(emulatorUrl);
  // An owner who finished Meta's dashboard: the app is published and Live. (A new app is neither
  // and is sent nothing; specs about that state configure it back.)
  await emulator.configureApp({ mode: 'live', published: true });
  return { emulatorProcess, emulatorUrl, emulator };
}

/**
 * The documented environment of `inlet serve` with a real Meta app (APP_ID / APP_SECRET), the
 * emulator at `emulatorUrl` standing in for Instagram's Graph, token and login hosts.
 */
export function metaAppEnvironment(emulatorUrl: string): Record<string, string> {
  return {
    INLET_APP_ID: APP_ID,
    INLET_APP_SECRET: APP_SECRET,
    INLET_GRAPH_URL: emulatorUrl,
    INLET_TOKEN_URL: emulatorUrl,
    INLET_OAUTH_URL: emulatorUrl,
  };
}

/**
 * The setup a developer has with a real Meta app, with the emulator standing in for Instagram:
 * `inlet emulator` and `inlet serve` as two real processes, Inlet configured only through the
 * documented environment variables, the webhook registered through Meta's verification handshake.
 */
export async function startInletAgainstEmulator(
  options: {
    tunnel?: boolean;
    env?: Record<string, string>;
    /** False: the account has no role on the app (error 100 while the app is in Development mode). */
    accountHasRole?: boolean;
  } = {},
): Promise<LiveSetup> {
  const { emulatorProcess, emulatorUrl, emulator } = await startEmulatorProcess();
  const account = await emulator.createAccount({
    username: 'acme.studio',
    name: 'Acme Studio',
    ...(options.accountHasRole === undefined ? {} : { hasRole: options.accountHasRole }),
  });
  const data = tempDataDir();
  const env = {
    ...metaAppEnvironment(emulatorUrl),
    INLET_VERIFY_TOKEN: VERIFY_TOKEN,
    INLET_IG_USER_ID: account.igUserId,
    INLET_ACCESS_TOKEN: account.accessToken,
    ...options.env,
  };
  const serve = () => startServe(data.path, env, { tunnel: options.tunnel ?? false });
  let inlet: RunningProcess;
  try {
    inlet = await serve();
  } catch (error) {
    await emulatorProcess.stop();
    data.remove();
    throw error;
  }
  const webhookUrl = String(inlet.ready.webhookUrl);
  await emulator.registerWebhook({ callbackUrl: webhookUrl, verifyToken: VERIFY_TOKEN });
  const sent = () => emulator.sent(account.igUserId);
  const setup: LiveSetup = {
    emulator,
    account,
    inlet,
    uiUrl: String(inlet.ready.uiUrl),
    webhookUrl,
    dataDir: data.path,
    env,
    customer: async (username, options = {}) => {
      const { igsid } = await emulator.createCustomer({
        accountId: account.igUserId,
        username,
        ...options,
      });
      return {
        igsid,
        username,
        sends: (message) =>
          emulator.customerSends(igsid, typeof message === 'string' ? { text: message } : message),
        does: (action, input) => emulator.customerDoes(igsid, action, input),
      };
    },
    sent,
    sentWith: async (text) =>
      (await sent()).filter((request) => JSON.stringify(request.body).includes(text)),
    stopInlet: async ({ kill = false } = {}) => {
      if (kill) {
        const exited = new Promise((resolve) => setup.inlet.child.once('exit', resolve));
        setup.inlet.child.kill('SIGKILL');
        await exited;
      } else {
        await setup.inlet.stop();
      }
    },
    sleep: async (forMs, whileAsleep) => {
      const fellAsleepAt = Date.now();
      setup.inlet.child.kill('SIGSTOP');
      try {
        await whileAsleep();
        const left = fellAsleepAt + forMs - Date.now();
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      } finally {
        setup.inlet.child.kill('SIGCONT');
      }
    },
    restart: async (options) => {
      await setup.stopInlet(options);
      await setup.startInletAgain();
    },
    startInletAgain: async () => {
      setup.inlet = await serve();
      setup.uiUrl = String(setup.inlet.ready.uiUrl);
      setup.webhookUrl = String(setup.inlet.ready.webhookUrl);
      await emulator.registerWebhook({ callbackUrl: setup.webhookUrl, verifyToken: VERIFY_TOKEN });
    },
    close: async () => {
      await setup.inlet.stop();
      await emulatorProcess.stop();
      data.remove();
    },
  };
  return setup;
}

/** The mid of the message an event created (the emulator answers `mid: null` only for events
 * that create none, such as a reaction). */
export function midOf(event: { mid: string | null }): string {
  if (event.mid === null) throw new Error('the emulator created no message');
  return event.mid;
}
