import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';

/** SQLite's file header says how long the file must be; a shorter one was cut off. */
function truncation(path: string, size: number): string | null {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') {
    return 'it does not start like an SQLite database';
  }
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
  // The page count in the header is valid only while these two counters agree (SQLite file format
  // docs/platform.md#redirect-uri.7).
  const pages = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : 0;
  return pages * pageSize > size
    ? `it was cut off: ${size} bytes where its header says ${pages * pageSize}`
    : null;
}

export type Inspection = { problem: string | null; userVersion: number };

/**
 * SQLite's quick_check (every page and index entry's structure, without cross-checking index
 * content: about 1 s for 250,000 messages, README "Archive safety") on a connection that cannot
 * write. Without a WAL the main file is the whole archive, and `immutable` reads it without even
 * creating -wal/-shm files; with one, the WAL's commits are part of the archive and are checked
 * too (a read-only connection never copies them into the main file).
 */
export function inspectArchive(path: string): Inspection {
  const size = statSync(path).size;
  const cut = truncation(path, size);
  if (cut !== null) return { problem: cut, userVersion: 0 };
  const hasWal = (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(hasWal ? path : new URL(`${pathToFileURL(path).href}?immutable=1`), {
      readOnly: true,
    });
    const rows = db.prepare('PRAGMA quick_check(20)').all() as { quick_check: string }[];
    const findings = rows.map((row) => row.quick_check).filter((finding) => finding !== 'ok');
    if (findings.length > 0) {
      return { problem: `SQLite's check found: ${findings.join('; ')}`, userVersion: 0 };
    }
    const { user_version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    return { problem: null, userVersion: user_version };
  } catch (error) {
    return { problem: `SQLite could not read it: ${(error as Error).message}`, userVersion: 0 };
  } finally {
    db?.close();
  }
}
