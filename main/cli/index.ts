/**
 * `inlet <command>`: the headless entry point (bundled to out/main/cli.js, launched by bin/inlet.js).
 * stdout carries machine-readable lines only (the ready line); everything else goes to stderr.
 */
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../core/config';
import { createCore } from '../core/create-core';
import { ngrokTunnel } from '../core/webhook/ngrok-tunnel';
import { nodeRunCommand } from '../headless/keyring-key';
import { runServeCommand } from '../headless/serve-command';
import { runDeliveriesCommand, runReplayCommand } from './deliveries-command';
import { runExportCommand } from './export-command';
import { commandDataDir } from './command-args';
import { findRunningInlet } from './running-inlet';
import { runRestoreCommand } from './restore-command';
import { runSelfTestCommand } from './self-test-command';
import { runDoctorCommand } from './doctor-command';
import { runEmulatorCommand } from '../sandbox/emulator-command';
import { runSimulateCommand } from '../sandbox/simulate-command';

const USAGE = `Usage: inlet <command> [options]

Commands:
  serve      Run Inlet headless and serve its UI on http://127.0.0.1 (sandbox when no Meta app is configured)
             [--data-dir DIR] [--port N] [--webhook-port N] [--sandbox] [--no-tunnel]
  emulator   Run the local Instagram emulator (OAuth, Graph API, webhook delivery) [--port N],
             or drive a running one: inlet emulator <verb> --url URL (see \`inlet emulator help\`)
  simulate   Fire one realistic signed Instagram webhook event at a running Inlet (see \`inlet simulate --help\`)
  deliveries List every request that reached the webhook listener, refused ones too, and prune old bodies
             [--data-dir DIR] [--sandbox] [--json] [--limit N] [--account ID] [--kind K] [--refused]
             [--signature S] [--outcome O] [--text TEXT] [--prune-days N]
  replay     Post a stored delivery (or --edit FILE) again to the running Inlet and say what it changed
             ID [--edit FILE] [--data-dir DIR] [--sandbox] [--secret SECRET] [--json]
  export     Write the archive to stdout (or --out FILE) as JSON or CSV [--data-dir DIR] [--account IG_ID] [--format json|csv] [--sandbox] [--out FILE]
  restore    Put back the newest good backup of the archive, keeping the current file aside [--data-dir DIR] [--sandbox] [--list] [--from FILE]
  doctor     Run the connection health checks (one line each, exit 1 unless all ok) [--json] [--fix] [--data-dir DIR] [--sandbox]
  self-test  Check this installation (archive engine, ngrok addon, UI files) without touching your data [--json]

Environment: see README.md (INLET_APP_ID, INLET_APP_SECRET, INLET_VERIFY_TOKEN, INLET_IG_USER_ID,
INLET_ACCESS_TOKEN, INLET_GRAPH_URL, INLET_TOKEN_URL, INLET_OAUTH_URL, INLET_GRAPH_VERSION, …)`;

// `inlet export | head` closes the pipe early: the reader has what it wanted, so end quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const stdout = (line: string) => void process.stdout.write(`${line}\n`);
const stderr = (line: string) => void process.stderr.write(`${line}\n`);

/** Stops on the first SIGINT/SIGTERM; a second one exits at once (the user really means it). */
function onSignal(handler: () => void): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      handler();
    });
  }
}

/** Whether a process with this id exists (signal 0 only asks; EPERM means it does, not ours). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(args, {
        createCore,
        env: process.env,
        defaultDataDir: () => defaultDataDir(),
        rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
        tunnel: ngrokTunnel,
        stdout,
        stderr,
        onSignal,
        runCommand: nodeRunCommand,
        process,
        exit: (code) => process.exit(code),
      });
    case 'emulator':
      return runEmulatorCommand(args, {
        stdout,
        stderr,
        onStop: (stop) => onSignal(() => void stop()),
        process,
        exit: (code) => process.exit(code),
      });
    case 'simulate':
      return runSimulateCommand(args, {
        stdout,
        stderr,
        env: process.env,
        findInlet: (dataDir, sandbox) =>
          findRunningInlet(
            commandDataDir(dataDir, process.env, defaultDataDir),
            sandbox,
            isRunning,
          ),
      });
    case 'export':
      return runExportCommand(args, {
        env: process.env,
        defaultDataDir: () => defaultDataDir(),
        write: (chunk) => void process.stdout.write(chunk),
        now: Date.now,
      });
    case 'deliveries':
      return runDeliveriesCommand(args, {
        env: process.env,
        defaultDataDir: () => defaultDataDir(),
        stdout,
        now: Date.now,
      });
    case 'replay':
      return runReplayCommand(args, {
        env: process.env,
        defaultDataDir: () => defaultDataDir(),
        stdout,
        now: Date.now,
        fetch: globalThis.fetch,
        isRunning,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
    case 'restore':
      return runRestoreCommand(args, {
        env: process.env,
        defaultDataDir: () => defaultDataDir(),
        stdout,
        now: Date.now,
      });
    case 'doctor':
      process.exitCode = await runDoctorCommand(args, {
        createCore,
        env: process.env,
        defaultDataDir: () => defaultDataDir(),
        tunnel: ngrokTunnel,
        stdout,
        stderr,
        runCommand: nodeRunCommand,
      });
      return;
    case 'self-test':
      process.exitCode = await runSelfTestCommand(args, {
        outDir: fileURLToPath(new URL('..', import.meta.url)),
        stdout,
      });
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      stdout(USAGE);
      return;
    default:
      stderr(`inlet: unknown command "${command}"\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number';
  stderr(`inlet: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = usage ? (error as { exitCode: number }).exitCode : 1;
});
