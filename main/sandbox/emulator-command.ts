import { parseArgs } from 'node:util';
import { installCrashHandlers, type ProcessEvents } from '../core/crash-handlers';
import { UsageError } from '../../shared/domain/command-error';
import { createLogger } from '../core/logger';
import { startEmulator } from './emulator';
import { EMULATOR_ADMIN_USAGE, runEmulatorAdminCommand } from './emulator-admin-command';
import { SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './sandbox';

export type EmulatorCommandIo = {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  onStop: (stop: () => Promise<void>) => void;
  /** Where unhandled rejections and uncaught exceptions are reported (crash-handlers.ts). */
  process?: ProcessEvents;
  exit?: (code: number) => void;
};

/**
 * `inlet emulator [--port N] [--app-id ID] [--app-secret S]`: the emulator as a standalone server;
 * `inlet emulator <verb> --url …` drives a running one (emulator-admin-command.ts).
 * stdout carries exactly one JSON line when ready (like `inlet serve`); logs go to stderr.
 */
export async function runEmulatorCommand(args: string[], io: EmulatorCommandIo): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(
      `usage: inlet emulator [--port N] [--app-id ID] [--app-secret S]\n${EMULATOR_ADMIN_USAGE}`,
    );
    return;
  }
  if (verb !== undefined && !verb.startsWith('-')) {
    return runEmulatorAdminCommand(verb, rest, { stdout: io.stdout, env: process.env });
  }
  let values: { port?: string; 'app-id'?: string; 'app-secret'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'app-id': { type: 'string' },
        'app-secret': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`emulator: ${(error as Error).message}`);
  }
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`emulator: invalid --port ${values.port}`);
  const appId = values['app-id'] ?? SANDBOX_APP_ID;
  const logger = createLogger(io.stderr);
  const emulator = await startEmulator({
    port,
    appId,
    appSecret: values['app-secret'] ?? SANDBOX_APP_SECRET,
    logger,
  });
  io.onStop(() => emulator.stop());
  if (io.process && io.exit) {
    installCrashHandlers({
      process: io.process,
      logger,
      shell: 'emulator',
      stop: () => emulator.stop(),
      exit: io.exit,
    });
  }
  io.stdout(JSON.stringify({ event: 'ready', url: emulator.url, appId }));
}
