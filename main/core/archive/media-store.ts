import { ARCHIVED_MEDIA_PATH } from '../../../shared/domain/schemas';
import { openDatabase, transaction, transactionWhenFree, type Database } from './database';
import { withoutFsync } from './without-fsync';

export { ARCHIVED_MEDIA_PATH };

/**
 * The media row of the story a message replies to or mentions (its picture, kept like an
 * attachment's since the story and its link expire after a day); attachments count from 0.
 */
export const STORY_IDX = -1;

/** Archived file names are random (a UUID) plus an extension chosen from the content type. */
const FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[a-z0-9]{1,5}$/;

/**
 * The file name a request path asks for under ARCHIVED_MEDIA_PATH, or null when the path is not
 * there. The name is not decoded: archived names are plain ASCII and anything else is unknown.
 */
export function archivedMediaName(pathname: string): string | null {
  return pathname.startsWith(ARCHIVED_MEDIA_PATH)
    ? pathname.slice(ARCHIVED_MEDIA_PATH.length)
    : null;
}

export type ArchivedFile = { path: string; contentType: string };

export type PendingMedia = { messageId: string; idx: number; url: string };

export type StoredMedia = { file: string; contentType: string; size: number };

/**
 * A customer's or account's profile picture: the link Instagram gave last, the file of the newest
 * copy Inlet holds (null until one downloaded), and why the last link could not be kept.
 */
export type ProfilePicture = { url: string; file: string | null; error: string | null };

export type MediaRecord = {
  messageId: string;
  idx: number;
  url: string;
  state: 'pending' | 'stored' | 'failed';
  file: string | null;
  contentType: string | null;
  error: string | null;
};

type MediaRow = {
  message_id: string;
  idx: number;
  url: string;
  state: MediaRecord['state'];
  file: string | null;
  content_type: string | null;
  error: string | null;
};

/**
 * Persistence of the media table, on its own connection to the archive file (WAL lets it write
 * beside the Archive's connection), so downloads never grow archive.ts.
 */
export class MediaStore {
  readonly #db: Database;

  constructor(archivePath: string) {
    this.#db = openDatabase(archivePath);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /**
   * Records attachments to fetch; one already known (a retried delivery, a restart) is kept.
   * Without an fsync: a row a power cut loses is recorded again by `enqueueMissing` on start, and
   * the fsync (and SQLite's coarse wait for the lock) held the event loop for each image of a
   * burst.
   */
  enqueue(items: readonly PendingMedia[], now: number): void {
    this.#rederivable(() => recordPendingMedia(this.#db, items, now));
  }

  /** A write that start-up redoes if a power cut loses it: one short transaction, no fsync. */
  #rederivable(work: () => void): void {
    withoutFsync(this.#db, () => transaction(this.#db, work));
  }

  /** As `#rederivable`, waiting for the write lock without blocking the event loop. */
  async #rederivableWhenFree(work: () => void): Promise<void> {
    await transactionWhenFree(this.#db, work, { fsync: false });
  }

  /**
   * Records attachments of the given types that have no media row yet: messages stored by a run
   * that stopped before it could record their media, or by a version without media archiving.
   */
  enqueueMissing(types: readonly string[], now: number): void {
    this.#db
      .prepare(
        `INSERT OR IGNORE INTO media (message_id, idx, url, state, updated_at)
         SELECT m.id, a.key, json_extract(a.value, '$.url'), 'pending', ?
         FROM messages m, json_each(m.attachments) a
         WHERE json_extract(a.value, '$.type') IN (SELECT value FROM json_each(?))
           AND (json_extract(a.value, '$.url') LIKE 'https://%'
                OR json_extract(a.value, '$.url') LIKE 'http://%')
           AND NOT EXISTS (SELECT 1 FROM media WHERE message_id = m.id AND idx = a.key)`,
      )
      .run(now, JSON.stringify(types));
  }

  pending(): PendingMedia[] {
    const rows = this.#db
      .prepare(
        `SELECT message_id, idx, url FROM media WHERE state = 'pending' ORDER BY updated_at, rowid`,
      )
      .all() as { message_id: string; idx: number; url: string }[];
    return rows.map((row) => ({ messageId: row.message_id, idx: row.idx, url: row.url }));
  }

  /**
   * One message's pending attachments: what a newly archived message checks, where reading every
   * pending row would grow with the downloads a burst leaves queued.
   */
  pendingOf(messageId: string): PendingMedia[] {
    const rows = this.#db
      .prepare(
        `SELECT message_id, idx, url FROM media WHERE message_id = ? AND state = 'pending'
         ORDER BY updated_at, rowid`,
      )
      .all(messageId) as { message_id: string; idx: number; url: string }[];
    return rows.map((row) => ({ messageId: row.message_id, idx: row.idx, url: row.url }));
  }

  /**
   * Lost in a power cut, the row is still pending: the download is done again on start. Waits for
   * the write lock without blocking the UI thread, where downloads finish.
   */
  async markStored(item: PendingMedia, stored: StoredMedia, now: number): Promise<void> {
    await this.#rederivableWhenFree(() =>
      this.#db
        .prepare(
          `UPDATE media SET state = 'stored', file = ?, content_type = ?, size = ?, error = NULL,
           updated_at = ? WHERE message_id = ? AND idx = ?`,
        )
        .run(stored.file, stored.contentType, stored.size, now, item.messageId, item.idx),
    );
  }

  /** A file Inlet already holds (the owner's own attachment): stored from the start. */
  recordStored(item: PendingMedia, stored: StoredMedia, now: number): void {
    this.#rederivable(() =>
      this.#db
        .prepare(
          `INSERT OR REPLACE INTO media
             (message_id, idx, url, state, file, content_type, size, updated_at)
           VALUES (?, ?, ?, 'stored', ?, ?, ?, ?)`,
        )
        .run(item.messageId, item.idx, item.url, stored.file, stored.contentType, stored.size, now),
    );
  }

  /** A failure is final for this attachment: the original URL stays in the message. */
  async markFailed(item: PendingMedia, error: string, now: number): Promise<void> {
    await transactionWhenFree(this.#db, () =>
      this.#db
        .prepare(
          `UPDATE media SET state = 'failed', error = ?, updated_at = ? WHERE message_id = ? AND idx = ?`,
        )
        .run(error, now, item.messageId, item.idx),
    );
  }

  list(messageId: string): MediaRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT message_id, idx, url, state, file, content_type, error FROM media
         WHERE message_id = ? ORDER BY idx`,
      )
      .all(messageId) as MediaRow[];
    return rows.map((row) => ({
      messageId: row.message_id,
      idx: row.idx,
      url: row.url,
      state: row.state,
      file: row.file,
      contentType: row.content_type,
      error: row.error,
    }));
  }

  /** The profile picture of a customer (conversation id) or account (IG user id), or null. */
  profilePicture(ownerId: string): ProfilePicture | null {
    const row = this.#db
      .prepare('SELECT url, file, error FROM pictures WHERE owner_id = ?')
      .get(ownerId) as ProfilePicture | undefined;
    return row ? { url: row.url, file: row.file, error: row.error } : null;
  }

  /**
   * Records the copy of a profile picture downloaded from `url`; answers the file of the copy it
   * replaces (for the caller to delete), or null.
   */
  storePicture(ownerId: string, url: string, stored: StoredMedia, now: number): string | null {
    return transaction(this.#db, () => {
      const replaced = this.profilePicture(ownerId)?.file ?? null;
      this.#db
        .prepare(
          `INSERT INTO pictures (owner_id, url, file, content_type, size, error, updated_at)
           VALUES (?, ?, ?, ?, ?, NULL, ?)
           ON CONFLICT(owner_id) DO UPDATE SET url = excluded.url, file = excluded.file,
             content_type = excluded.content_type, size = excluded.size, error = NULL,
             updated_at = excluded.updated_at`,
        )
        .run(ownerId, url, stored.file, stored.contentType, stored.size, now);
      return replaced;
    });
  }

  /** The link could not be kept: why is recorded, and an older copy stays in use. */
  pictureFailed(ownerId: string, url: string, error: string, now: number): void {
    this.#db
      .prepare(
        `INSERT INTO pictures (owner_id, url, error, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(owner_id) DO UPDATE SET url = excluded.url, error = excluded.error,
           updated_at = excluded.updated_at`,
      )
      .run(ownerId, url, error, now);
  }

  /**
   * The archived file a renderer URL names, or null. Only names these tables recorded are
   * served, so a request can never reach any other file of the data folder.
   */
  findFile(name: string): { file: string; contentType: string } | null {
    if (!FILE_NAME.test(name)) return null;
    const row = this.#db
      .prepare(
        `SELECT file, content_type FROM media WHERE file = ?1 AND state = 'stored'
         UNION ALL SELECT file, content_type FROM pictures WHERE file = ?1`,
      )
      .get(name) as { file: string; content_type: string } | undefined;
    return row ? { file: row.file, contentType: row.content_type } : null;
  }
}

/**
 * Records attachments to fetch on `db`, inside the caller's transaction: processing records a new
 * message's media with the message, so the thread serving the UI never waits for the write lock
 * to do it. One already known (a retried delivery, a restart) is kept.
 */
export function recordPendingMedia(
  db: Database,
  items: readonly PendingMedia[],
  now: number,
): void {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO media (message_id, idx, url, state, updated_at)
     VALUES (?, ?, ?, 'pending', ?)`,
  );
  for (const item of items) insert.run(item.messageId, item.idx, item.url, now);
}
