import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Core, CoreDeps } from '../core/core-types';
import type { HealthCheck, HealthReport } from '../../shared/ipc/health-contract';
import { CommandError } from '../../shared/domain/command-error';
import { createLogger } from '../core/logger';
import type { TunnelProvider } from '../core/ports';
import { headlessCipher } from '../headless/passphrase-cipher';
import { nodeFileKv } from '../headless/node-file-kv';
import { consoleNotifier, nodeBrowser } from '../headless/node-adapters';
import type { RunCommand } from '../headless/keyring-key';
import { startSandbox } from '../sandbox/sandbox';
import { commandDataDir, parseCommandOptions } from './command-args';

export const DOCTOR_USAGE = `usage: inlet doctor [--json] [--fix] [--data-dir DIR] [--sandbox]
Runs every connection health check against the configured app and accounts: one line per check
(or --json), exit code 0 when all are ok and 1 otherwise. --fix applies the repairs Inlet can make.`;

/** How long the tunnel may take to come up before the checks run anyway (and say it is down). */
const TUNNEL_WAIT_MS = 20_000;

export type DoctorCommandDeps = {
  createCore: (deps: CoreDeps) => Core;
  env: Record<string, string | undefined>;
  defaultDataDir: () => string;
  tunnel: TunnelProvider;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  runCommand: RunCommand;
  fetch?: typeof globalThis.fetch;
};

/** `inlet doctor`: resolves with the exit code. */
export async function runDoctorCommand(args: string[], deps: DoctorCommandDeps): Promise<number> {
  const values = parseCommandOptions(
    'inlet doctor',
    args,
    {
      json: { type: 'boolean' },
      fix: { type: 'boolean' },
      'data-dir': { type: 'string' },
      sandbox: { type: 'boolean' },
    },
    DOCTOR_USAGE,
  );
  const dataDir = path.resolve(commandDataDir(values['data-dir'], deps.env, deps.defaultDataDir));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger(deps.stderr);
  let cipher;
  try {
    cipher = await headlessCipher(deps.env, dataDir, logger, deps.runCommand);
  } catch (error) {
    throw new CommandError(`inlet doctor: ${(error as Error).message}`, 1, { cause: error });
  }
  const core = deps.createCore({
    cipher,
    kv: nodeFileKv(dataDir, { logger }),
    browser: nodeBrowser(deps.stderr),
    notifier: consoleNotifier(logger),
    clock: Date,
    fetch: deps.fetch ?? globalThis.fetch,
    logger,
    tunnel: deps.tunnel,
    startSandbox,
    dataDir,
    env: deps.env,
    // A free listener port, so a running Inlet keeps its own; repairs only when asked.
    options: { sandbox: values.sandbox === true, webhookPort: 0, autoRepair: false },
  });
  try {
    await core.start();
    await tunnelSettled(core);
    let report = await core.handlers['health:runNow']();
    if (values.fix) report = await applyRepairs(core, report, logger);
    deps.stdout(values.json ? JSON.stringify(doctorJson(report)) : doctorLines(report).join('\n'));
    return report.checks.length > 0 && report.checks.every((check) => check.state === 'ok') ? 0 : 1;
  } finally {
    await core.stop();
  }
}

async function applyRepairs(
  core: Core,
  report: HealthReport,
  logger: ReturnType<typeof createLogger>,
): Promise<HealthReport> {
  let latest = report;
  for (const check of report.checks) {
    const fix = check.fix;
    if (check.state === 'ok' || fix?.kind !== 'repair' || fix.repair === 'reconnect-account')
      continue;
    try {
      latest = await core.handlers['health:fix']({ repair: fix.repair, account: check.account });
      logger.info('repaired', { check: check.id, repair: fix.repair, account: check.account });
    } catch (error) {
      logger.warn('repair failed', { check: check.id, error: String(error) });
    }
  }
  return latest;
}

function tunnelSettled(core: Core): Promise<void> {
  if (core.status().tunnel.state !== 'connecting') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, TUNNEL_WAIT_MS);
    const off = core.events.on('app:statusChanged', (status) => {
      if (status.tunnel.state !== 'connecting') done();
    });
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

/** What a check's fix says in words: the repair's name, or the owner's steps. */
function fixWords(check: HealthCheck): string | undefined {
  if (!check.fix) return undefined;
  return check.fix.kind === 'repair'
    ? `inlet doctor --fix (${check.fix.repair})`
    : check.fix.steps.text;
}

export function doctorJson(report: HealthReport) {
  return {
    checks: report.checks.map((check) => ({
      id: check.id,
      state: check.state,
      ...(check.account === null ? {} : { account: check.account }),
      message: check.reason.text,
      ...(check.fix ? { fix: fixWords(check) } : {}),
      ...(check.technical ? { technical: check.technical } : {}),
    })),
  };
}

export function doctorLines(report: HealthReport): string[] {
  return report.checks.map((check) => {
    const where = check.account === null ? '' : ` [${check.account}]`;
    const fix = fixWords(check);
    return `${check.state.padEnd(7)} ${check.id}${where}: ${check.reason.text}${fix ? ` Fix: ${fix}` : ''}`;
  });
}
