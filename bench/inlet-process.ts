/**
 * `inlet` as shipped (bin/inlet.js, its CLI and defaults) run as a child process, and the
 * emulator's admin surface: shared by the inbox and product suites.
 */
import { spawn } from 'node:child_process';
import { resolve, join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { createEmulatorClient, type EmulatorClient } from '../main/sandbox/emulator-client';

const REPO = resolve(import.meta.dirname, '..');
const INLET = join(REPO, 'bin/inlet.js');

export type RunningInlet = {
  pid: number;
  ready: Record<string, unknown>;
  stop: () => Promise<void>;
};

/** `inlet serve` on `dataDir` as a user runs it, its UI and webhook listener on free ports, no tunnel. */
export function serveArgs(dataDir: string): string[] {
  return ['serve', '--data-dir', dataDir, '--port', '0', '--webhook-port', '0', '--no-tunnel'];
}

/** Starts `inlet <args>` with a clean INLET_* environment; resolves on its ready line. */
export function startInlet(
  args: string[],
  env: Record<string, string> = {},
): Promise<RunningInlet> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('INLET_')),
  );
  // e.g. BENCH_INLET_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (not allowed in NODE_OPTIONS)
  const nodeArgs = process.env.BENCH_INLET_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, INLET, ...args], {
    cwd: REPO,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`inlet ${args[0]} exited ${code}:\n${logs}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      child.removeAllListeners('exit');
      // Only the tail of the logs is kept: a long run must not grow this process without end.
      child.stderr.removeAllListeners('data');
      child.stderr.resume();
      ready({ pid: child.pid ?? 0, ready: JSON.parse(line) as Record<string, unknown>, stop });
    });
  });
}

/** The Meta app every bench plays: its secret signs the deliveries the benches post. */
export const BENCH_APP = {
  appId: '990602627938098',
  appSecret: 'bench-instagram-app-secret',
  verifyToken: 'bench-verify-token',
};

export type BenchWorld = {
  emulator: RunningInlet;
  emulatorUrl: string;
  client: EmulatorClient;
  account: { igUserId: string; accessToken: string };
  /** `inlet serve`'s documented environment for this app and account, Graph at the emulator. */
  env: Record<string, string>;
};

/**
 * `inlet emulator` as the bench's Meta app with one business account. The app is published and
 * Live: a new app is sent nothing, and a bench measures an owner whose setup is done.
 */
export async function startBenchWorld(): Promise<BenchWorld> {
  const emulator = await startInlet([
    'emulator',
    '--port',
    '0',
    '--app-id',
    BENCH_APP.appId,
    '--app-secret',
    BENCH_APP.appSecret,
  ]);
  const emulatorUrl = String(emulator.ready['url']);
  const client = createEmulatorClient(emulatorUrl);
  await client.configureApp({ mode: 'live', published: true });
  const account = await client.createAccount({ username: 'bench.shop' });
  return {
    emulator,
    emulatorUrl,
    client,
    account,
    env: {
      INLET_APP_ID: BENCH_APP.appId,
      INLET_APP_SECRET: BENCH_APP.appSecret,
      INLET_VERIFY_TOKEN: BENCH_APP.verifyToken,
      INLET_IG_USER_ID: account.igUserId,
      INLET_ACCESS_TOKEN: account.accessToken,
      INLET_GRAPH_URL: emulatorUrl,
      INLET_TOKEN_URL: emulatorUrl,
      INLET_OAUTH_URL: emulatorUrl,
    },
  };
}

/**
 * Debian's Chromium, headless and quiet (no background traffic, no component updates), with
 * `performance.memory` precise enough for the heap figures. INLET_CHROMIUM overrides the path.
 */
export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['INLET_CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--enable-precise-memory-info',
    ],
  });
}
