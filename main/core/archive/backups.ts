import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import type { Clock, Logger } from '../ports';
import { fsyncDirectory, PRIVATE_FILE_MODE, writeFileDurably } from './durable-file';
import { inspectArchive } from './integrity';

/** Backups kept per archive; older ones are removed once a newer one has passed its check. */
export const BACKUPS_KEPT = 3;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export type Backup = { path: string; takenAt: number };

export function backupsDirOf(archivePath: string): string {
  return join(dirname(archivePath), 'backups');
}

const stemOf = (archivePath: string) => basename(archivePath, '.sqlite');
/** 2026-12-05T08-48-13.123Z: sorts by time, and is a valid file name on every system. */
const stampOf = (ms: number) => new Date(ms).toISOString().replace(/:/g, '-');
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d\.\d{3}Z)\.sqlite$/;

/** The backups of one archive, newest first. */
export function listBackups(archivePath: string): Backup[] {
  const dir = backupsDirOf(archivePath);
  if (!existsSync(dir)) return [];
  const prefix = `${stemOf(archivePath)}-`;
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .flatMap((name) => {
      const match = STAMP.exec(name.slice(prefix.length));
      return match
        ? [{ path: join(dir, name), takenAt: Date.parse(`${match[1]}:${match[2]}:${match[3]}`) }]
        : [];
    })
    .sort((a, b) => b.takenAt - a.takenAt);
}

function removeDatabaseFile(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    rmSync(file, { force: true });
  }
}

/**
 * An online backup of the archive (SQLite's backup API, while Inlet keeps writing), checked with
 * quick_check before it counts, owner-only, durable; then only the newest BACKUPS_KEPT are kept.
 */
export async function writeBackup(archivePath: string, now: number): Promise<Backup> {
  const dir = backupsDirOf(archivePath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${stemOf(archivePath)}-${stampOf(now)}.sqlite`);
  await writeFileDurably(path, async (temporary) => {
    try {
      // Created owner-only first: SQLite keeps an existing file's mode.
      closeSync(openSync(temporary, 'wx', PRIVATE_FILE_MODE));
      const source = new DatabaseSync(archivePath, { readOnly: true });
      try {
        // Every page in one step: a backup taken in steps starts over whenever another
        // connection writes, so under steady deliveries it might never finish.
        await backup(source, temporary, { rate: 2 ** 31 - 1 });
      } finally {
        source.close();
      }
      const { problem } = inspectArchive(temporary);
      if (problem !== null) throw new Error(`the new backup failed its check: ${problem}`);
    } catch (error) {
      removeDatabaseFile(temporary);
      throw error;
    }
  });
  for (const old of listBackups(archivePath).slice(BACKUPS_KEPT)) removeDatabaseFile(old.path);
  return { path, takenAt: now };
}

export type Restored = {
  backup: Backup;
  /** Where the archive that was replaced now is (with its WAL), or null when there was none. */
  keptAside: string | null;
};

/**
 * Moves the archive and its WAL/SHM aside (renamed, never deleted; the names keep them paired,
 * so SQLite can still open the set) to archive-before-restore-<time>.sqlite.
 */
function setAside(archivePath: string, now: number): string | null {
  if (!existsSync(archivePath)) return null;
  const aside = join(
    dirname(archivePath),
    `${stemOf(archivePath)}-before-restore-${stampOf(now)}.sqlite`,
  );
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(`${archivePath}${suffix}`))
      renameSync(`${archivePath}${suffix}`, `${aside}${suffix}`);
  }
  fsyncDirectory(dirname(archivePath));
  return aside;
}

/**
 * Puts the newest backup that passes quick_check (or `from`, if it passes) back in place of the
 * archive. Inlet must not be running on this archive meanwhile.
 */
export async function restoreBackup(
  archivePath: string,
  options: { from?: string; now: number },
): Promise<Restored> {
  const candidates =
    options.from === undefined
      ? listBackups(archivePath)
      : [{ path: resolve(options.from), takenAt: NaN }];
  if (candidates.length === 0) {
    throw new Error(
      `There is no backup of ${archivePath} in ${backupsDirOf(archivePath)}: nothing was changed.`,
    );
  }
  const findings: string[] = [];
  const good = candidates.find((candidate) => {
    if (!existsSync(candidate.path)) {
      findings.push(`${candidate.path}: no such file`);
      return false;
    }
    const { problem } = inspectArchive(candidate.path);
    if (problem !== null) findings.push(`${candidate.path}: ${problem}`);
    return problem === null;
  });
  if (good === undefined) {
    throw new Error(
      `No backup passed SQLite's check, so nothing was changed. ${findings.join(' ')}`,
    );
  }
  const keptAside = setAside(archivePath, options.now);
  await writeFileDurably(archivePath, (temporary) => copyFileSync(good.path, temporary));
  return { backup: good, keptAside };
}

/**
 * A backup once a day while Inlet runs: checked at start and every hour, taken when the newest
 * is a day old. A failure is logged and tried again at the next check.
 */
export class DailyBackups {
  readonly #archivePath: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<Backup | null> | null = null;

  constructor(deps: { archivePath: string; clock: Clock; logger: Logger }) {
    this.#archivePath = deps.archivePath;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  start(): void {
    void this.runIfDue();
    this.#timer = setInterval(() => void this.runIfDue(), HOUR_MS);
    this.#timer.unref();
  }

  /** Takes a backup if the newest is a day old; resolves with it, or null when none was due or it failed. */
  runIfDue(): Promise<Backup | null> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(): Promise<Backup | null> {
    const now = this.#clock.now();
    const newest = listBackups(this.#archivePath)[0];
    if (newest !== undefined && now - newest.takenAt < DAY_MS) return null;
    try {
      const taken = await writeBackup(this.#archivePath, now);
      this.#logger.info('archive backed up', { path: taken.path });
      return taken;
    } catch (error) {
      this.#logger.error('the daily archive backup failed; trying again within the hour', {
        error: String(error),
      });
      return null;
    }
  }

  /** Stops the schedule and waits for a backup being written, so the archive can close. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
