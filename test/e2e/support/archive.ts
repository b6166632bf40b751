import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Inlet's archive in a data dir, read the way a developer would inspect it: read-only, beside the
 * running (or killed) process, so a test sees what is really on disk and not what the UI shows.
 */
function readArchive<T>(dataDir: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(dataDir, 'archive.sqlite'), { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The exact bytes of every delivery stored, oldest first, as text. */
export function storedDeliveries(dataDir: string): string[] {
  return readArchive(dataDir, (db) =>
    (db.prepare('SELECT body FROM deliveries ORDER BY id').all() as { body: Uint8Array }[]).map(
      (row) => Buffer.from(row.body).toString(),
    ),
  );
}

/** Every message stored (in and out), by mid and text. */
export function storedMessages(dataDir: string): { mid: string | null; text: string | null }[] {
  return readArchive(
    dataDir,
    (db) =>
      db.prepare('SELECT mid, text FROM messages').all() as {
        mid: string | null;
        text: string | null;
      }[],
  );
}

/** Why the archive holds no copy of each profile picture it could not keep, by owner id. */
export function refusedPictures(dataDir: string): Record<string, string> {
  return readArchive(dataDir, (db) =>
    Object.fromEntries(
      (
        db.prepare('SELECT owner_id, error FROM pictures WHERE error IS NOT NULL').all() as {
          owner_id: string;
          error: string;
        }[]
      ).map((row) => [row.owner_id, row.error]),
    ),
  );
}
