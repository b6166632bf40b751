import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from './ports';

/** A log line written on a worker thread, relayed to the main thread's logger. */
export type ThreadLogLine = {
  kind: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
};

/** A logger for a worker thread: each line goes to `send`, for the main thread to write. */
export function threadLogger(send: (line: ThreadLogLine) => void): Logger {
  const log =
    (level: ThreadLogLine['level']) =>
    (message: string, fields?: Record<string, unknown>): void =>
      send({ kind: 'log', level, message, fields });
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * The programs Inlet runs on worker threads, by their source path under main/core; each is an entry
 * of its own in the build (electron.vite.config.ts).
 */
export const WORKER_PROGRAMS = {
  receiver: 'webhook/receiver-worker.ts',
  processing: 'inbox/processing-worker.ts',
} as const;
export type WorkerProgram = keyof typeof WORKER_PROGRAMS;

/** `execArgv` undefined: the thread inherits the process's Node options (e.g. `--cpu-prof`). */
export type WorkerEntry = { url: URL; execArgv: string[] | undefined };

/**
 * Where a worker thread's program is. Run from source (vitest, tsx) this module is a `.ts` file
 * and the thread loads the source through tsx. Built, each worker is an entry of its own in
 * out/main, and this module is bundled either into an entry beside it or into a shared chunk in
 * out/main/chunks.
 */
export function workerEntry(program: WorkerProgram): WorkerEntry {
  const sourcePath = WORKER_PROGRAMS[program];
  if (import.meta.url.endsWith('.ts')) {
    return { url: new URL(`./${sourcePath}`, import.meta.url), execArgv: ['--import', 'tsx'] };
  }
  const built = basename(sourcePath).replace(/\.ts$/, '.js');
  for (const candidate of [`./${built}`, `../${built}`]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return { url, execArgv: undefined };
  }
  throw new Error(`${built} is missing next to ${import.meta.url}; rebuild Inlet`);
}

/** The workerData of a thread started only to show that its program loads. */
const LOAD_PROBE = { loadProbe: true };

/**
 * The first statement of every worker program: a thread started by `probeWorker` ends here, its
 * imports loaded (and, packaged, read from app.asar), which is all it had to show.
 */
export function endIfLoadProbe(data: unknown): void {
  if ((data as { loadProbe?: unknown } | null)?.loadProbe === true) process.exit(0);
}

/**
 * Starts a worker program as a load probe (the packaged app's self-test does, on each OS): resolves
 * when it loaded and ended, rejects with the reason it could not load.
 */
export function probeWorker(entry: WorkerEntry, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.url, { workerData: LOAD_PROBE, execArgv: entry.execArgv });
    let failure: Error | null = null;
    const timer = setTimeout(() => {
      failure = new Error(`${basename(entry.url.pathname)} did not load within ${timeoutMs} ms`);
      void worker.terminate();
    }, timeoutMs);
    worker.once('error', (error: Error) => {
      failure ??= error;
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      if (failure === null && code === 0) resolve();
      else reject(failure ?? new Error(`${basename(entry.url.pathname)} ended with code ${code}`));
    });
  });
}
