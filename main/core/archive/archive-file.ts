import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { listBackups, restoreBackup, writeBackup } from './backups';
import { inspectArchive } from './integrity';
import { MIGRATIONS } from './database';
import { fsyncDirectory, PRIVATE_FILE_MODE } from './durable-file';

/**
 * The archive's file on disk, before anything opens it for writing: is it there when it should
 * be, is it sound, does it need a backup before a migration. Nothing here writes to a file that
 * failed a check.
 */

export function archivePathIn(dataDir: string, sandbox: boolean): string {
  // Sandbox data never mixes with a real inbox's archive.
  return join(dataDir, sandbox ? 'sandbox.sqlite' : 'archive.sqlite');
}

/** Attachments kept beside the archive they belong to: received ones, and ones being sent. */
export function mediaDirsIn(
  dataDir: string,
  sandbox: boolean,
): { received: string; outgoing: string } {
  return sandbox
    ? { received: join(dataDir, 'sandbox-media'), outgoing: join(dataDir, 'sandbox-media-out') }
    : { received: join(dataDir, 'media'), outgoing: join(dataDir, 'media-out') };
}

/**
 * Written beside the archive once it exists: a missing or emptied archive where this file says
 * there was one is refused, instead of Inlet starting an empty one in its place.
 */
export function markerPathOf(archivePath: string): string {
  return `${archivePath}.known`;
}

export type ArchiveProblem = 'missing' | 'empty' | 'damaged';

/** `inlet restore` for this archive, as the owner would type it. */
export function restoreCommandFor(archivePath: string): string {
  const dir = dirname(archivePath);
  const quoted = /^[\w./:\\-]+$/.test(dir) ? dir : JSON.stringify(dir);
  const sandbox = basename(archivePath) === 'sandbox.sqlite' ? ' --sandbox' : '';
  return `inlet restore --data-dir ${quoted}${sandbox}`;
}

/** Start-up stops here: which file, what is wrong with it, and (in `message`) what to do. */
export class ArchiveRefusedError extends Error {
  readonly archivePath: string;
  readonly problem: ArchiveProblem;
  /** What is wrong, which file, and that Inlet left it as it was; no advice. */
  readonly summary: string;
  /** How many backups `inlet restore` could choose from. */
  readonly backupCount: number;

  constructor(archivePath: string, problem: ArchiveProblem, finding: string | null) {
    const backupCount = listBackups(archivePath).length;
    const summary = summarize(archivePath, problem, finding);
    const advice =
      backupCount > 0
        ? `To put back the last good backup (the ${problem === 'missing' ? 'current state' : 'damaged file'} is kept aside), run: ${restoreCommandFor(archivePath)}`
        : `There is no backup to restore. Keep a copy of the file before trying any repair (for example \`sqlite3 ${basename(archivePath)} .recover\`).`;
    super(`${summary} ${advice}`);
    this.name = 'ArchiveRefusedError';
    this.archivePath = archivePath;
    this.problem = problem;
    this.summary = summary;
    this.backupCount = backupCount;
  }
}

function summarize(path: string, problem: ArchiveProblem, finding: string | null): string {
  switch (problem) {
    case 'missing':
      return `Inlet did not start: its archive ${path} is missing, but Inlet kept one there before. It will not begin an empty archive in its place. If you moved your data folder, start Inlet with --data-dir (or INLET_DATA_DIR) pointing at it.`;
    case 'empty':
      return `Inlet did not start: its archive ${path} is empty (0 bytes), so its history was lost outside Inlet. Inlet has not changed the file.`;
    case 'damaged':
      return `Inlet did not start: its archive ${path} is damaged (${finding ?? 'unknown problem'}). Inlet has not changed the file.`;
  }
}

/** The archive and the WAL and SHM files SQLite gives the same mode, owner-only. */
function restrictModes(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}

function rememberArchive(path: string): void {
  const marker = markerPathOf(path);
  if (existsSync(marker)) return;
  writeFileSync(
    marker,
    `Inlet keeps its archive in ${basename(path)}. While this file exists, Inlet refuses to start without that archive instead of beginning an empty one.\n`,
    { mode: PRIVATE_FILE_MODE },
  );
  fsyncDirectory(dirname(path));
}

/**
 * Run before anything opens the archive for writing (so before `openDatabase`): creates a new
 * archive owner-only, refuses a missing, empty or damaged one with an ArchiveRefusedError, and
 * backs the archive up before a migration changes it.
 */
export async function prepareArchive(path: string, now: () => number): Promise<void> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) {
    if (existsSync(markerPathOf(path))) throw new ArchiveRefusedError(path, 'missing', null);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // SQLite keeps an existing file's mode and gives the WAL and SHM files the same one.
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL'); // writes the header: the file is never left at 0 bytes
    db.close();
    rememberArchive(path);
    return;
  }
  // Never a state Inlet leaves behind (the header is written on creation), marker or not.
  if (stat.size === 0) throw new ArchiveRefusedError(path, 'empty', null);
  const { problem, userVersion } = inspectArchive(path);
  if (problem !== null) throw new ArchiveRefusedError(path, 'damaged', problem);
  restrictModes(path);
  // Schema 0 holds nothing yet; anything later is the owner's history, kept before it changes.
  if (userVersion > 0 && userVersion < MIGRATIONS.length) await writeBackup(path, now());
  rememberArchive(path);
}

/** What the desktop shows when start-up failed; `restorePath` set when a backup can be put back. */
export type StartupFailure = { title: string; message: string; restorePath: string | null };

export const RESTORE_BUTTON = 'Restore the last backup';

export function describeStartupFailure(error: unknown): StartupFailure {
  if (!(error instanceof ArchiveRefusedError)) {
    return {
      title: 'Inlet could not start',
      message: error instanceof Error ? error.message : String(error),
      restorePath: null,
    };
  }
  if (error.backupCount === 0) {
    return { title: 'Inlet could not open its archive', message: error.message, restorePath: null };
  }
  return {
    title: 'Inlet could not open its archive',
    message: `${error.summary}\n\n“${RESTORE_BUTTON}” puts the newest backup that passes SQLite's check back in place and starts Inlet again; the ${error.problem === 'missing' ? 'current state' : 'damaged file'} is kept beside it, renamed.`,
    restorePath: error.archivePath,
  };
}

/** The desktop's restore button: the last good backup back in place, said in one sentence. */
export async function restoreForOwner(archivePath: string, now: number): Promise<string> {
  const { backup, keptAside } = await restoreBackup(archivePath, { now });
  const aside = keptAside === null ? '' : ` The file it replaced is kept at ${keptAside}.`;
  return `The backup taken ${new Date(backup.takenAt).toLocaleString()} is back in place.${aside} Messages received after that backup are not in it; Instagram retries recent ones, and catch-up reads the last ones of each conversation.`;
}
