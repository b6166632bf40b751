import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(import.meta.dirname, '../../..');
const INLET = join(REPO, 'bin/inlet.js');

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
 * process's own stderr when it exits or stays silent, so a broken start explains itself.
 */
export function startInlet(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RunningProcess> {
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
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(
          `inlet ${args[0]} printed no ready line within ${timeoutMs} ms. stderr:\n${logs}`,
        ),
      );
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`inlet ${args[0]} exited with ${code} before it was ready. stderr:\n${logs}`),
      );
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        const ready = JSON.parse(line) as ReadyLine;
        if (ready.event !== 'ready') throw new Error(`unexpected first line: ${line}`);
        resolveReady({ ready, child, stderr: () => logs, stop });
      } catch (error) {
        void stop();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
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
