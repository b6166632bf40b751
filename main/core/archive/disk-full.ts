import { statfsSync } from 'node:fs';
import type { Clock, Logger } from '../ports';

/** SQLite's primary result code for "database or disk is full". */
const SQLITE_FULL = 13;
const LOG_EVERY_MS = 60_000;
const PROBE_EVERY_MS = 30_000;
/** Free space at which a full disk counts as having room again (SQLite needs room for its WAL). */
const ENOUGH_FREE_BYTES = 16 * 1024 * 1024;

/** A write refused because the disk (or the archive's file system) has no room left. */
export function isDiskFull(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const { errcode, code } = cause as { errcode?: unknown; code?: unknown };
    if (typeof errcode === 'number' && (errcode & 0xff) === SQLITE_FULL) return true;
    if (code === 'ENOSPC') return true;
  }
  return false;
}

/** Whether the file system holding `dir` has room again. */
export function hasRoom(dir: string): boolean {
  const { bavail, bsize } = statfsSync(dir);
  return bavail * bsize >= ENOUGH_FREE_BYTES;
}

export type DiskFullWatchDeps = {
  clock: Clock;
  logger: Logger;
  hasRoom: () => boolean;
  onChange: (full: boolean) => void;
};

/**
 * Keeps track of a full disk: said in the log once a minute however many deliveries it refuses
 * (with the count and SQLite's own words), announced through `onChange` when it starts and when
 * a write succeeds again or the disk has room again (checked every 30 s while full).
 */
export class DiskFullWatch {
  readonly #deps: DiskFullWatchDeps;
  #full = false;
  #loggedAt = -Infinity;
  #unlogged = 0;
  #probe: ReturnType<typeof setInterval> | null = null;

  constructor(deps: DiskFullWatchDeps) {
    this.#deps = deps;
  }

  get full(): boolean {
    return this.#full;
  }

  /** A delivery could not be stored: logs it (a full disk once a minute), then tells if it is a full disk. */
  failed(error: unknown): void {
    if (!isDiskFull(error)) {
      this.#deps.logger.error('webhook delivery could not be stored', { error: String(error) });
      return;
    }
    this.#unlogged += 1;
    const now = this.#deps.clock.now();
    if (now - this.#loggedAt >= LOG_EVERY_MS) {
      this.#deps.logger.error(
        'the disk is full: deliveries are refused (503) so Instagram retries them later',
        { error: String(error), refusedSinceLastLine: this.#unlogged },
      );
      this.#loggedAt = now;
      this.#unlogged = 0;
    }
    if (this.#full) return;
    this.#full = true;
    this.#probe = setInterval(() => {
      if (this.#deps.hasRoom()) this.stored();
    }, PROBE_EVERY_MS);
    this.#probe.unref();
    this.#deps.onChange(true);
  }

  /** A write succeeded (or the disk has room): the disk is no longer full. */
  stored(): void {
    if (!this.#full) return;
    this.stop();
    this.#full = false;
    this.#loggedAt = -Infinity;
    this.#unlogged = 0;
    this.#deps.logger.info('the disk has room again: deliveries are stored again');
    this.#deps.onChange(false);
  }

  stop(): void {
    if (this.#probe !== null) clearInterval(this.#probe);
    this.#probe = null;
  }
}
