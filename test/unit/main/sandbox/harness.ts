import { createGraphClient, type GraphClient } from '../../../../main/core/graph/graph-client';
import type { Logger } from '../../../../main/core/ports';
import { startEmulator, type RunningEmulator } from '../../../../main/sandbox/emulator';
import {
  createEmulatorClient,
  type EmulatorClient,
} from '../../../../main/sandbox/emulator-client';
import { manualClock, startReceiver } from './webhook-receiver';

export const APP_ID = '990602627938098';
export const APP_SECRET = 'harness-app-secret';
export const VERIFY_TOKEN = 'harness-verify-token';

export type GraphAnswer = { status: number; text: string; json: unknown; headers: Headers };
export type GraphErrorJson = {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  fbtrace_id: string;
};

/**
 * The `error` object of a Graph failure (docs/platform.md#error-envelopes); throws if there is
 * none.
 */
export function graphError(answer: GraphAnswer): GraphErrorJson {
  const error = (answer.json as { error?: GraphErrorJson }).error;
  if (!error) throw new Error(`expected a Graph error, got ${answer.status} ${answer.text}`);
  return error;
}

/** Narrows a JSON answer to the shape a test expects (the test then asserts on it). */
export function body<T>(answer: GraphAnswer): T {
  return answer.json as T;
}

/**
 * One emulator, one webhook receiver, one business account with a long-lived token and one
 * customer: the starting point of most emulator tests. Everything goes through HTTP.
 */
export async function startHarness(
  options: {
    fetch?: typeof fetch;
    subscribeEveryone?: boolean;
    app?: { mode?: 'development' | 'live'; published?: boolean };
  } = {},
) {
  const clock = manualClock();
  const emulator: RunningEmulator = await startEmulator({
    appId: APP_ID,
    appSecret: APP_SECRET,
    clock,
    fetch: options.fetch,
    // Most emulator tests run without Inlet, which is what subscribes accounts; tests of Inlet's
    // own subscribing pass false (Meta's behaviour).
    subscribeEveryone: options.subscribeEveryone ?? true,
    // An owner who finished the dashboard: published and Live, so every customer's events are
    // sent. Tests of the stricter states (Meta's default for a new app) pass their own.
    app: options.app ?? { mode: 'live', published: true },
  });
  const receiver = await startReceiver({ verifyToken: VERIFY_TOKEN });
  const client: EmulatorClient = createEmulatorClient(emulator.url);
  const account = await client.createAccount({ username: 'acme.studio', name: 'Acme Studio' });
  await client.registerWebhook({ callbackUrl: receiver.url, verifyToken: VERIFY_TOKEN });
  const customer = await client.createCustomer({
    accountId: account.igUserId,
    username: 'lena.k',
    name: 'Lena K',
  });

  async function graph(
    path: string,
    init: {
      method?: string;
      token?: string | null;
      json?: unknown;
      form?: Record<string, string>;
    } = {},
  ): Promise<GraphAnswer> {
    const token = init.token === undefined ? account.accessToken : init.token;
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(`${emulator.url}${path}`, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (a consent page, a redirect): tests read `text`.
    }
    return { status: response.status, text, json, headers: response.headers };
  }

  /** POST /v24.0/{IG_ID}/messages with the account's token. */
  const sendMessage = (payload: unknown, token?: string) =>
    graph(`/v24.0/${account.igUserId}/messages`, { json: payload, token });

  return {
    clock,
    emulator,
    receiver,
    client,
    account,
    customer,
    graph,
    sendMessage,
    async stop() {
      await emulator.stop();
      await receiver.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Inlet's own Graph client against the emulator, noting the path of every call in `paths`. */
export function emulatorGraph(
  emulatorUrl: string,
  options: { paths: string[]; logger: Logger },
): GraphClient {
  return createGraphClient({
    fetch: (input, init) => {
      options.paths.push(new URL(input instanceof Request ? input.url : input).pathname);
      return globalThis.fetch(input, init);
    },
    graphUrl: emulatorUrl,
    tokenUrl: emulatorUrl,
    version: 'v24.0',
    logger: options.logger,
  });
}
