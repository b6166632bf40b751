import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphClient, type GraphClient } from '../../../../../main/core/graph/graph-client';
import type {
  ExternalBrowser,
  Fetch,
  KeyValueStore,
  SecretCipher,
} from '../../../../../main/core/ports';
import { startEmulator, type RunningEmulator } from '../../../../../main/sandbox/emulator';
import {
  createEmulatorClient,
  type EmulatorClient,
} from '../../../../../main/sandbox/emulator-client';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { memoryKv } from '../../../../fakes/memory-kv';

export const APP_ID = '990602627938098';
export const APP_SECRET = 'auth-test-app-secret-5f1c';

/** A real cipher (AES-256-GCM, per-test key), so "no plaintext on disk" is a meaningful check. */
export function testCipher(): SecretCipher & { sealCalls: number } {
  const key = randomBytes(32);
  const cipher = {
    sealCalls: 0,
    isAvailable: () => true,
    seal: async (plain: string) => {
      cipher.sealCalls += 1;
      const iv = randomBytes(12);
      const gcm = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([gcm.update(plain, 'utf8'), gcm.final()]);
      return Promise.resolve(Buffer.concat([iv, gcm.getAuthTag(), body]).toString('base64'));
    },
    open: async (sealed: string) => {
      const raw = Buffer.from(sealed, 'base64');
      const gcm = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      gcm.setAuthTag(raw.subarray(12, 28));
      return Promise.resolve(
        Buffer.concat([gcm.update(raw.subarray(28)), gcm.final()]).toString('utf8'),
      );
    },
  };
  return cipher;
}

/** Linux `basic_text`: no real protection, so the vault must not use it at all. */
export function unavailableCipher(): SecretCipher & { calls: number } {
  const cipher = {
    calls: 0,
    isAvailable: () => false,
    seal: async (plain: string) => {
      cipher.calls += 1;
      return Promise.resolve(plain);
    },
    open: async (sealed: string) => {
      cipher.calls += 1;
      return Promise.resolve(sealed);
    },
  };
  return cipher;
}

/** A memory KV that remembers every value ever written, for the plaintext scan. */
export function recordingKv(): KeyValueStore & {
  data: Map<string, unknown>;
  writes: { key: string; value: unknown }[];
} {
  const kv = memoryKv();
  const writes: { key: string; value: unknown }[] = [];
  return {
    data: kv.data,
    writes,
    get: (key) => kv.get(key),
    set: (key, value) => {
      writes.push({ key, value: structuredClone(value) });
      kv.set(key, value);
    },
    delete: (key) => kv.delete(key),
  };
}

/**
 * Stands in for ngrok: a public base URL (here another loopback port) whose requests are forwarded
 * to the flow's listener with the public Host kept, as ngrok does by default.
 */
export async function startFakeTunnel() {
  let target: URL | null = null;
  const server: Server = createServer((req, res) => {
    if (target === null) {
      res.writeHead(502).end('tunnel has no target');
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('tunnel target unreachable'));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    forwardTo(localUrl: string) {
      target = new URL(localUrl);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PageAnswer = { status: number; text: string };

/** Plain HTTP GET with a chosen Host header (fetch does not let a caller set it). */
export function getWithHost(url: string, host: string): Promise<PageAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { host },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function getPage(url: string): Promise<PageAnswer> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

const unescapeHtml = (text: string) =>
  text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The consent page's form fields, read from the HTML the emulator served. */
function consentForm(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.append(match[1]!, unescapeHtml(match[2]!));
  const account = /<input type="radio" name="account" value="(\d+)" checked>/.exec(html);
  if (account) form.set('account', account[1]!);
  return form;
}

export type ConsentChoice = {
  decision: 'approve' | 'deny';
  /** Which of the emulator's accounts logs in; default: the first one offered. */
  account?: string;
  /** Optional scopes left ticked; default: every box stays ticked. */
  grant?: string[];
  /** Runs between the consent and following the redirect (advance the clock, tamper…). */
  beforeRedirect?: (location: string) => Promise<void> | void;
  /** Follow the redirect this many times at once (a double submit); default 1. */
  follow?: number;
};

export type BrowserVisit = { location: string; answers: PageAnswer[] };

/**
 * The system browser and the person in front of it: loads the real consent page, submits it as its
 * buttons do, then follows the redirect (through the fake tunnel) back to Inlet.
 */
export function consentBrowser(choice: ConsentChoice): ExternalBrowser & {
  opened: URL[];
  visit: Promise<BrowserVisit>;
} {
  let done!: (visit: BrowserVisit) => void;
  let failed!: (error: unknown) => void;
  const visit = new Promise<BrowserVisit>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  visit.catch(() => {});
  const browser = {
    opened: [] as URL[],
    visit,
    open: async (url: URL) => {
      browser.opened.push(url);
      void run(url).then(done, failed);
      return Promise.resolve();
    },
  };
  async function run(url: URL): Promise<BrowserVisit> {
    const page = await getPage(url.toString());
    if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${page.text}`);
    const form = consentForm(page.text);
    const boxes = [...page.text.matchAll(/<input type="checkbox" name="grant" value="([^"]+)"/g)];
    form.set('scope_choice', '1');
    for (const [, scope] of boxes)
      if (choice.grant === undefined || choice.grant.includes(scope!)) form.append('grant', scope!);
    form.set('decision', choice.decision);
    if (choice.account !== undefined) form.set('account', choice.account);
    const consent = await fetch(new URL('/oauth/authorize', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    const location = consent.headers.get('location');
    if (consent.status !== 302 || location === null)
      throw new Error(`consent answered ${consent.status}: ${await consent.text()}`);
    await choice.beforeRedirect?.(location);
    // A browser never sends the fragment (`#_`, docs/platform.md#oauth); fetch drops it the same
    // way.
    const answers = await Promise.all(
      Array.from({ length: choice.follow ?? 1 }, () => getPage(location)),
    );
    return { location, answers };
  }
  return browser;
}

/** A fetch that counts requests by path, and can fail the next n of one path at the network. */
export function countingFetch(): Fetch & {
  count(pathname: string): number;
  failNext(pathname: string, times: number): void;
} {
  const counts = new Map<string, number>();
  const failures = new Map<string, number>();
  const wrapped = (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    const failing = failures.get(url.pathname) ?? 0;
    if (failing > 0) {
      failures.set(url.pathname, failing - 1);
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }
    return globalThis.fetch(input, init);
  }) as Fetch & {
    count(pathname: string): number;
    failNext(pathname: string, times: number): void;
  };
  wrapped.count = (pathname) => counts.get(pathname) ?? 0;
  wrapped.failNext = (pathname, times) => void failures.set(pathname, times);
  return wrapped;
}

/**
 * The emulator on 127.0.0.1:0 with one business account, a graph client pointed at it, and two
 * clocks kept in step: the emulator's (moved through its admin API) and Inlet's.
 */
export async function startAuthHarness() {
  const start = Date.UTC(2026, 2, 18, 14, 0, 0);
  const emulator: RunningEmulator = await startEmulator({
    appId: APP_ID,
    appSecret: APP_SECRET,
    clock: fixedClock(start),
  });
  const client: EmulatorClient = createEmulatorClient(emulator.url);
  const account = await client.createAccount({ username: 'acme.studio', name: 'Acme Studio' });
  const clock = fixedClock(start);
  const logger = memoryLogger();
  const fetch = countingFetch();
  const graph: GraphClient = createGraphClient({
    fetch,
    graphUrl: emulator.url,
    tokenUrl: emulator.url,
    logger,
    clock,
  });
  return {
    emulator,
    client,
    account,
    clock,
    logger,
    fetch,
    graph,
    /** Moves both clocks: Meta's notion of now and Inlet's. */
    async advance(ms: number) {
      await client.advanceClock(ms);
      clock.advance(ms);
    },
    stop: () => emulator.stop(),
  };
}

export type AuthHarness = Awaited<ReturnType<typeof startAuthHarness>>;
