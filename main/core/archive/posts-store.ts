import type { Database } from './database';
import { withoutFsync } from './without-fsync';

/** What Instagram said of one of the business's posts or reels (docs/platform.md#media-node). */
export type PostRecord = {
  mediaId: string;
  accountId: string;
  state: 'known' | 'failed';
  mediaType: string | null;
  caption: string | null;
  permalink: string | null;
  pictureUrl: string | null;
  /** Inlet's copy of the picture (kept like a profile picture, media-store.ts), once downloaded. */
  pictureFile: string | null;
  /** Why Instagram would not describe it (`failed`). */
  error: string | null;
  fetchedAt: number;
};

type Row = {
  media_id: string;
  account_id: string;
  state: PostRecord['state'];
  media_type: string | null;
  caption: string | null;
  permalink: string | null;
  picture_url: string | null;
  picture_file: string | null;
  error: string | null;
  fetched_at: number;
};

/**
 * The posts comments are on. Rows are a cache of Graph's answers: a row a power cut loses is
 * asked for again, so they are written without an fsync of their own.
 */
export class PostsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  save(post: Omit<PostRecord, 'pictureFile'>): void {
    withoutFsync(this.#db, () =>
      this.#db
        .prepare(
          `INSERT OR REPLACE INTO posts (media_id, account_id, state, media_type, caption, permalink,
             picture_url, error, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          post.mediaId,
          post.accountId,
          post.state,
          post.mediaType,
          post.caption,
          post.permalink,
          post.pictureUrl,
          post.error,
          post.fetchedAt,
        ),
    );
  }

  /** The posts among `mediaIds` that are described, by media id. */
  findMany(mediaIds: readonly string[]): Map<string, PostRecord> {
    if (mediaIds.length === 0) return new Map();
    const rows = this.#db
      .prepare(
        `SELECT *, (SELECT file FROM pictures WHERE owner_id = posts.media_id) AS picture_file
         FROM posts WHERE media_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify([...new Set(mediaIds)])) as Row[];
    return new Map(rows.map((row) => [row.media_id, toRecord(row)]));
  }

  /**
   * Posts with comments that were never asked about (a comment stored by a run that stopped
   * first, or by a version without post previews), with the account each belongs to.
   */
  unknown(): { accountId: string; mediaId: string }[] {
    const rows = this.#db
      .prepare(
        `SELECT DISTINCT c.account_id, c.media_id FROM comments c
         WHERE c.media_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.media_id = c.media_id)`,
      )
      .all() as { account_id: string; media_id: string }[];
    return rows.map((row) => ({ accountId: row.account_id, mediaId: row.media_id }));
  }
}

function toRecord(row: Row): PostRecord {
  return {
    mediaId: row.media_id,
    accountId: row.account_id,
    state: row.state,
    mediaType: row.media_type,
    caption: row.caption,
    permalink: row.permalink,
    pictureUrl: row.picture_url,
    pictureFile: row.picture_file,
    error: row.error,
    fetchedAt: row.fetched_at,
  };
}
