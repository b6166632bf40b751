import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Core, CoreDeps, CoreOptions } from '../core/core-types';
import { installCrashHandlers, type ProcessEvents } from '../core/crash-handlers';
import { parseForwardTarget } from '../core/deliveries/forwarder';
import { CommandError, UsageError } from '../../shared/domain/command-error';
import { describeError } from '../core/errors';
import { createLogger } from '../core/logger';
import type { Logger, SecretCipher, TunnelProvider } from '../core/ports';
import { HEADLESS_HOST, startHeadlessServer, type HeadlessServer } from './headless-server';
import { consoleNotifier, nodeBrowser } from './node-adapters';
import type { RunCommand } from './keyring-key';
import { startSandbox } from '../sandbox/sandbox';
import { simulatedEvents } from '../sandbox/simulate-command';
import { headlessCipher } from './passphrase-cipher';
import { nodeFileKv } from './node-file-kv';
import { INDEX_FILE } from '../core/security/renderer-files';
import { WAKE_TICK_MS, watchWallClock } from '../core/wall-clock-wake';

/** A stable default, so a bookmarked UI address keeps working across runs (token aside). */
export const DEFAULT_SERVE_PORT = 4870;

export const SERVE_USAGE = `Usage: inlet serve [options]

Runs Inlet without Electron and serves its UI on http://${HEADLESS_HOST} (sandbox when no Meta app
is configured). Prints one JSON line on stdout when ready; logs go to stderr.

Options:
  --data-dir DIR      where settings and the archive live (env INLET_DATA_DIR; default: the OS app-data folder)
  --port N            port of the UI (env INLET_PORT; default ${DEFAULT_SERVE_PORT}; 0 picks a free port)
  --webhook-port N    port of the local webhook listener (0 picks a free port)
  --sandbox           use the embedded Instagram emulator even when a Meta app is configured
  --no-tunnel         do not open the public tunnel to the webhook listener
  --forward-to URL    also POST every verified delivery, bytes and signature as Meta sent them, to
                      your handler at URL (repeatable; this machine only unless --forward-remote)
  --forward-remote    let --forward-to name another host (the bodies hold customers' messages)
  -h, --help          show this help

Environment: INLET_VAULT_KEY (a passphrase of 12 characters or more) keeps tokens and secrets
encrypted in the data dir. Without it the key comes from the OS keyring (secret-tool, libsecret)
when one is usable; otherwise they stay in memory for the run. INLET_WAKE_CHECK_MS (default
${WAKE_TICK_MS}) is how often the wall clock is compared with the timers: a jump of more than twice
that means the machine slept, and Inlet reconnects, checks its health and catches up.`;

// Function-typed fields, not methods: they are passed around detached (lint: unbound-method).
export type ServeCommandDeps = {
  createCore: (deps: CoreDeps) => Core;
  env: Record<string, string | undefined>;
  defaultDataDir: () => string;
  rendererDir: string;
  tunnel: TunnelProvider;
  /** Writes one line (the callee adds the newline). Reserved for the ready line and --help. */
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Registers the handler for SIGTERM and SIGINT. */
  onSignal: (handler: () => void) => void;
  /** Runs `secret-tool` for the vault key from the OS keyring (keyring-key.ts). */
  runCommand: RunCommand;
  /** Where unhandled rejections and uncaught exceptions are reported (crash-handlers.ts). */
  process: ProcessEvents;
  /** Ends the process after an uncaught exception, once the stop below has run. */
  exit: (code: number) => void;
};

export type ServeSettings = {
  dataDir: string;
  port: number;
  /** Which setting chose the port, so a "port busy" message names the knob to turn. */
  portSource: '--port' | 'INLET_PORT' | 'default';
  coreOptions: CoreOptions;
  /** How often the wall clock is compared with the timers, to notice a sleep (wall-clock-wake.ts). */
  wakeCheckMs: number;
};

/** Parses `inlet serve` arguments (without the word `serve`); null means --help was asked for. */
export function parseServeArgs(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultDataDir: () => string,
): ServeSettings | null {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'webhook-port': { type: 'string' },
        sandbox: { type: 'boolean' },
        'no-tunnel': { type: 'boolean' },
        'forward-to': { type: 'string', multiple: true },
        'forward-remote': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs appends advice about positionals after the first sentence; it only confuses here.
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(`inlet serve: ${message}\n\n${SERVE_USAGE}`, { cause: error });
  }
  if (values.help) return null;

  const envPort = nonEmpty(env.INLET_PORT);
  const port =
    values.port !== undefined
      ? { value: parsePort(values.port, '--port'), source: '--port' as const }
      : envPort !== undefined
        ? { value: parsePort(envPort, 'INLET_PORT'), source: 'INLET_PORT' as const }
        : { value: DEFAULT_SERVE_PORT, source: 'default' as const };

  const coreOptions: CoreOptions = {};
  if (values.sandbox) coreOptions.sandbox = true;
  if (values['no-tunnel']) coreOptions.noTunnel = true;
  if (values['webhook-port'] !== undefined) {
    coreOptions.webhookPort = parsePort(values['webhook-port'], '--webhook-port');
  }
  if (values['forward-to'] !== undefined) {
    const remote = values['forward-remote'] === true;
    for (const url of values['forward-to']) {
      try {
        parseForwardTarget(url, remote);
      } catch (error) {
        throw new UsageError(
          `inlet serve: --forward-to ${(error as Error).message}\n\n${SERVE_USAGE}`,
          {
            cause: error,
          },
        );
      }
    }
    coreOptions.forwardTo = values['forward-to'];
    coreOptions.forwardRemote = remote;
  }

  const dataDir = nonEmpty(values['data-dir']) ?? nonEmpty(env.INLET_DATA_DIR) ?? defaultDataDir();
  return {
    dataDir: path.resolve(dataDir),
    port: port.value,
    portSource: port.source,
    coreOptions,
    wakeCheckMs: parseWakeCheck(nonEmpty(env.INLET_WAKE_CHECK_MS)),
  };
}

/**
 * `inlet serve`: core up, UI server up, one ready line on stdout; on SIGTERM/SIGINT the UI server
 * stops first (no browser command can reach a core that is shutting down), then the core.
 */
export async function runServeCommand(args: string[], deps: ServeCommandDeps): Promise<void> {
  const settings = parseServeArgs(args, deps.env, deps.defaultDataDir);
  if (settings === null) {
    deps.stdout(SERVE_USAGE);
    return;
  }
  const logger = createLogger(deps.stderr);

  // Registered before anything starts, so a signal during start-up still ends in a clean stop.
  let isStopRequested = false;
  let requestStop = (): void => undefined;
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = () => {
      if (!isStopRequested) logger.info('stopping');
      isStopRequested = true;
      resolve();
    };
  });
  deps.onSignal(requestStop);
  let markStopped = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const removeCrashHandlers = installCrashHandlers({
    process: deps.process,
    logger,
    shell: 'serve',
    stop: () => {
      requestStop();
      return stopped;
    },
    exit: deps.exit,
  });
  try {
    await serveUntilStopped(settings, deps, logger, stopRequested, () => isStopRequested);
  } finally {
    markStopped();
    removeCrashHandlers();
  }
}

async function serveUntilStopped(
  settings: ServeSettings,
  deps: ServeCommandDeps,
  logger: Logger,
  stopRequested: Promise<void>,
  isStopRequested: () => boolean,
): Promise<void> {
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  let cipher: SecretCipher;
  try {
    cipher = await headlessCipher(deps.env, settings.dataDir, logger, deps.runCommand);
  } catch (error) {
    throw new CommandError(`inlet serve: ${(error as Error).message}`, 1, { cause: error });
  }
  const core = deps.createCore({
    cipher,
    kv: nodeFileKv(settings.dataDir, { logger }),
    browser: nodeBrowser(deps.stderr),
    notifier: consoleNotifier(logger),
    clock: Date,
    fetch: globalThis.fetch,
    logger,
    tunnel: deps.tunnel,
    startSandbox,
    simulatedEvents,
    dataDir: settings.dataDir,
    env: deps.env,
    options: settings.coreOptions,
  });

  let server: HeadlessServer;
  try {
    await core.start();
    server = await startHeadlessServer({
      core,
      rendererDir: deps.rendererDir,
      mediaFile: (name) => core.mediaFile(name),
      sandboxOrigin: () => core.sandboxOrigin(),
      port: settings.port,
      logger,
    }).catch((error: unknown) => {
      throw explainListenError(error, settings);
    });
  } catch (error) {
    await stopQuietly(core, logger);
    throw error;
  }

  if (!existsSync(path.join(deps.rendererDir, INDEX_FILE))) {
    logger.warn('the UI is not built: the page will say so until `npm run build:app` has run', {
      rendererDir: deps.rendererDir,
    });
  }
  // Headless Inlet has no powerMonitor: a jump of the wall clock is its wake signal, and it runs
  // the same wake sequence as the desktop (Core.woke).
  const stopWakeWatch = watchWallClock({
    now: () => Date.now(),
    tickMs: settings.wakeCheckMs,
    onWake: () => {
      logger.info('the wall clock jumped: the machine slept');
      core.woke();
    },
  });
  if (!isStopRequested()) {
    const status = core.status();
    deps.stdout(
      JSON.stringify({
        event: 'ready',
        uiUrl: server.uiUrl,
        webhookUrl: status.webhookUrl,
        mode: status.mode,
        dataDir: settings.dataDir,
      }),
    );
  }

  await stopRequested;
  stopWakeWatch();
  try {
    await server.stop();
  } finally {
    await core.stop();
  }
  logger.info('stopped');
}

function parsePort(text: string, name: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new UsageError(
      `inlet serve: ${name} expects a port from 0 to 65535, got "${text}"\n\n${SERVE_USAGE}`,
    );
  }
  return port;
}

function parseWakeCheck(text: string | undefined): number {
  if (text === undefined) return WAKE_TICK_MS;
  const ms = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= 100)) {
    throw new UsageError(
      `inlet serve: INLET_WAKE_CHECK_MS expects a number of milliseconds of at least 100, got "${text}"\n\n${SERVE_USAGE}`,
    );
  }
  return ms;
}

function explainListenError(error: unknown, settings: ServeSettings): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return error;
  const knob =
    settings.portSource === 'INLET_PORT'
      ? 'Set INLET_PORT to another port, or pass --port N'
      : 'Pass --port N to choose another';
  const problem =
    code === 'EADDRINUSE'
      ? `Port ${settings.port} on ${HEADLESS_HOST} is already in use (another inlet serve?).`
      : `Port ${settings.port} on ${HEADLESS_HOST} needs privileges this process does not have.`;
  return new CommandError(`${problem} ${knob} (--port 0 picks a free port).`, 1, { cause: error });
}

async function stopQuietly(core: Core, logger: Logger): Promise<void> {
  try {
    await core.stop();
  } catch (error) {
    // The start-up error is the one the user needs; this one only goes to the log.
    logger.error('core did not stop cleanly after a failed start', { error: describeError(error) });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
