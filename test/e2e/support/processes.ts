import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(import.meta.dirname, '../../..');
const INLET = join(REPO, 'bin/inlet.js');

/**
 * How long a process may take to print its ready line. It starts in about a second, but on a
 * loaded two-core machine (every spec's processes and Chromium at once) loading the bundle and
 * opening the archive can take many times that; only a process that is really stuck takes this.
 */
const READY_TIMEOUT_MS = 60_000;
/**
 * The time budget of a setup that starts the emulator and `inlet serve` (a fixture, or a
 * `beforeAll` that calls `test.setTimeout(START_BUDGET_MS)`): room for both to use their whole
 * ready timeout, so a slow start fails with the process's own explanation, not a hook timeout.
 */
export const START_BUDGET_MS = 2 * READY_TIMEOUT_MS + 30_000;
/** How much of a failed process's stderr its error quotes: the end, where the reason is. */
const STDERR_TAIL_LINES = 40;

export type ReadyLine = Record<string, unknown> & { event: 'ready' };

export type RunningProcess = {
  ready: ReadyLine;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (its logs). */
  stderr: () => string;
  stop: () => Promise<number | null>;
};

/**
 * Starts `inlet <args>` as a real process and resolves with its one JSON ready line. Fails with the
 * end of the process's own stderr when it exits, stays silent or prints something else first, so
 * a broken start explains itself.
 */
export function startInlet(
  args: string[],
  env: Record<string, string> = {},
): Promise<RunningProcess> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [INLET, ...args], {
    cwd: REPO,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const stop = () =>
    new Promise<number | null>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop(child.exitCode);
      child.once('exit', (code) => resolveStop(code));
      child.kill('SIGTERM');
    });
  const failure = (what: string) =>
    new Error(
      `inlet ${args.join(' ')} ${what} (pid ${child.pid ?? 'none'}, after ${Date.now() - startedAt} ms).\n` +
        `Last lines of its stderr:\n${stderrTail(logs)}`,
    );
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(failure(`printed no ready line within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(failure(`could not be started: ${error.message}`));
    });
    // 'close', not 'exit': by then stderr is read to the end, so the error quotes all of it.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(failure(`exited (code ${code}, signal ${signal}) before it was ready`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('close');
      const ready = parseReadyLine(line);
      if (ready === null) {
        void stop();
        reject(failure(`printed ${JSON.stringify(line)} instead of its ready line`));
        return;
      }
      resolveReady({ ready, child, stderr: () => logs, stop });
    });
  });
}

function parseReadyLine(line: string): ReadyLine | null {
  try {
    const parsed = JSON.parse(line) as Partial<ReadyLine> | null;
    return parsed?.event === 'ready' ? (parsed as ReadyLine) : null;
  } catch {
    return null;
  }
}

function stderrTail(logs: string): string {
  const lines = logs.trimEnd().split('\n');
  if (logs.trim() === '') return '(nothing)';
  const tail = lines.slice(-STDERR_TAIL_LINES).join('\n');
  return lines.length > STDERR_TAIL_LINES
    ? `[… ${lines.length - STDERR_TAIL_LINES} earlier lines]\n${tail}`
    : tail;
}

/** Runs `inlet <args>` to the end (a command such as `inlet doctor`) and gives back what it said. */
export function runInlet(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [INLET, ...args], {
      cwd: REPO,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/**
 * `inlet serve` on `dataDir` with its UI and webhook listener on free ports, configured like a
 * real installation through `env` (the documented INLET_* variables). No tunnel unless asked for:
 * the emulator and the tests reach the listener on 127.0.0.1.
 */
export function startServe(
  dataDir: string,
  env: Record<string, string>,
  { tunnel = false }: { tunnel?: boolean } = {},
): Promise<RunningProcess> {
  return startInlet(
    [
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--webhook-port',
      '0',
      ...(tunnel ? [] : ['--no-tunnel']),
    ],
    env,
  );
}

/** The test's own INLET_* settings must not leak into the processes it starts. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        !entry[0].startsWith('INLET_') && entry[1] !== undefined,
    ),
  );
}

export function tempDataDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'inlet-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The passphrase that seals secrets in a test's data dir (INLET_VAULT_KEY): without one, a Linux
 * machine with no keyring keeps secrets in memory only, and a restart would forget them.
 */
export const E2E_VAULT_KEY = 'e2e vault passphrase, not a real one';
