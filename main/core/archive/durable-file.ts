import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The archive, its WAL and SHM, backups and exports hold the owner's messages: owner-only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes a file's new directory entry (a rename, a creation) survive power loss. Windows cannot
 * open a directory, and its NTFS journals metadata itself.
 */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Puts a file at `path` so that `path` only ever holds its previous content or the whole new one:
 * `fill` writes a temporary file beside it, which is made owner-only, fsynced, renamed into place,
 * and then the directory is fsynced. If `fill` throws, the temporary file is removed and `path`
 * is untouched.
 */
export async function writeFileDurably(
  path: string,
  fill: (temporaryPath: string) => void | Promise<void>,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.partial`);
  rmSync(temporary, { force: true });
  try {
    await fill(temporary);
    chmodSync(temporary, PRIVATE_FILE_MODE);
    fsyncFile(temporary);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(path));
}
