import { z } from 'zod';
import type { CommentEvent } from '../webhook/webhook-events';
import { decodeCursor, pageOf, type Page } from './cursor';
import type { Database } from './database';
import type { Delivered } from './delivery-journal';

/**
 * A comment or live comment on one of the business's media (docs/platform.md#comments-field), and
 * when Inlet sent its one private reply (docs/platform.md#private-replies).
 */
export type StoredComment = Omit<CommentEvent, 'kind'> & { privateReplyAt: number | null };

/** A comment row as the comments view needs it: the archived comment and its private reply. */
export type CommentRecord = StoredComment & {
  privateReplyMid: string | null;
  privateReplyRecipientId: string | null;
  privateReplyRefusal: string | null;
};

type Row = {
  seq: number;
  id: string;
  account_id: string;
  field: 'comments' | 'live_comments';
  media_id: string | null;
  media_product_type: string | null;
  from_id: string | null;
  from_username: string | null;
  text: string | null;
  at: number;
  parent_id: string | null;
  is_self: number;
  private_reply_at: number | null;
  private_reply_mid: string | null;
  private_reply_recipient_id: string | null;
  private_reply_refusal: string | null;
};

const SELECT = 'SELECT rowid AS seq, * FROM comments';

/** The comments on the business's media, and the one private reply Inlet sent to each. */
export class CommentsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a comment once by its id (docs/platform.md#webhook-fields); false for a duplicate. */
  save(comment: Delivered<CommentEvent>): boolean {
    const result = this.#db
      .prepare(
        `INSERT INTO comments (id, account_id, field, media_id, media_product_type, from_id, from_username, text,
           at, parent_id, is_self, delivery_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
      )
      .run(
        comment.id,
        comment.accountId,
        comment.field,
        comment.mediaId,
        comment.mediaProductType,
        comment.fromId,
        comment.fromUsername,
        comment.text,
        comment.at,
        comment.parentId,
        comment.isSelf ? 1 : 0,
        comment.deliveryId,
      );
    return result.changes > 0;
  }

  find(id: string): CommentRecord | null {
    const row = this.#db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** An account's comments, oldest first, the business's own too; optionally those on one media. */
  list(options: { accountId: string; mediaId?: string }): StoredComment[] {
    const rows = this.#db
      .prepare(`${SELECT} WHERE account_id = ? AND (? IS NULL OR media_id = ?) ORDER BY at, rowid`)
      .all(options.accountId, options.mediaId ?? null, options.mediaId ?? null) as Row[];
    return rows.map(toComment);
  }

  /**
   * Customers' comments of one account, newest first, a page at a time (time, then rowid, so
   * comments of the same second keep a stable order).
   */
  listForAccount(
    accountId: string,
    options: { cursor?: string; limit: number },
  ): Page<CommentRecord> {
    const before = decodeCursor(options.cursor, z.number().int());
    const rows = this.#db
      .prepare(
        `${SELECT} WHERE account_id = ? AND is_self = 0
           AND (? IS NULL OR at < ? OR (at = ? AND rowid < ?))
         ORDER BY at DESC, rowid DESC LIMIT ?`,
      )
      .all(
        accountId,
        before?.at ?? null,
        before?.at ?? null,
        before?.at ?? null,
        before?.key ?? null,
        options.limit + 1,
      ) as Row[];
    const page = pageOf(rows, options.limit, (row) => ({ at: row.at, key: row.seq }));
    return { items: page.rows.map(toRecord), nextCursor: page.nextCursor };
  }

  /** Records the private reply; false when the comment has one already (it is never replaced). */
  markAnswered(id: string, reply: { at: number; mid: string; recipientId: string }): boolean {
    const result = this.#db
      .prepare(
        `UPDATE comments SET private_reply_at = ?, private_reply_mid = ?,
           private_reply_recipient_id = ?, private_reply_refusal = NULL
         WHERE id = ? AND private_reply_at IS NULL`,
      )
      .run(reply.at, reply.mid, reply.recipientId, id);
    return result.changes > 0;
  }

  /**
   * A private reply is sent outside the outbox, so its echo is archived as sent from another app
   * (docs/platform.md#messages-field is_echo); it is Inlet's own. False when that message is not
   * archived (yet).
   */
  markOwnMessage(mid: string): boolean {
    const result = this.#db
      .prepare(
        "UPDATE messages SET is_from_other_app = 0 WHERE mid = ? AND direction = 'out' AND is_from_other_app = 1",
      )
      .run(mid);
    return result.changes > 0;
  }

  /** Records Instagram's refusal, unless the comment was answered from Inlet meanwhile. */
  markRefused(id: string, reason: string): boolean {
    const result = this.#db
      .prepare(
        'UPDATE comments SET private_reply_refusal = ? WHERE id = ? AND private_reply_at IS NULL',
      )
      .run(reason, id);
    return result.changes > 0;
  }
}

function toComment(row: Row): StoredComment {
  return {
    id: row.id,
    accountId: row.account_id,
    field: row.field,
    mediaId: row.media_id,
    mediaProductType: row.media_product_type,
    fromId: row.from_id,
    fromUsername: row.from_username,
    text: row.text,
    at: row.at,
    parentId: row.parent_id,
    isSelf: row.is_self === 1,
    privateReplyAt: row.private_reply_at,
  };
}

function toRecord(row: Row): CommentRecord {
  return {
    ...toComment(row),
    privateReplyMid: row.private_reply_mid,
    privateReplyRecipientId: row.private_reply_recipient_id,
    privateReplyRefusal: row.private_reply_refusal,
  };
}
