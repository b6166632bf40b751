/**
 * `inlet` as shipped (bin/inlet.js, its CLI and defaults) run as a child process, and the
 * emulator's admin surface: shared by the inbox and product suites.
 */
import { spawn } from 'node:child_process';
import { resolve, join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(import.meta.dirname, '..');
const INLET = join(REPO, 'bin/inlet.js');

export type RunningInlet = {
  pid: number;
  ready: Record<string, unknown>;
  stop: () => Promise<void>;
};

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

export async function admin(
  base: string,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}
