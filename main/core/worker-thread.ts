import { existsSync } from 'node:fs';
import { basename } from 'node:path';
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
 * Where a worker thread's program is, given its source path under main/core (e.g.
 * 'webhook/receiver-worker.ts'). Run from source (vitest, tsx) this module is a `.ts` file and the
 * thread loads the source through tsx. Built, each worker is an entry of its own in out/main
 * (electron.vite.config.ts), and this module is bundled either into an entry beside it or into a
 * shared chunk in out/main/chunks.
 */
export function workerEntry(sourcePath: string): { url: URL; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    return { url: new URL(`./${sourcePath}`, import.meta.url), execArgv: ['--import', 'tsx'] };
  }
  const built = basename(sourcePath).replace(/\.ts$/, '.js');
  for (const candidate of [`./${built}`, `../${built}`]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return { url, execArgv: [] };
  }
  throw new Error(`${built} is missing next to ${import.meta.url}; rebuild Inlet`);
}
