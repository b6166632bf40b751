import { toComment, type CommentRow, type StoredComment } from './archive';
import type { Database } from './database';

/** A comment row as the comments view needs it: the archived comment and its private reply. */
export type CommentRecord = StoredComment & {
  seq: number;
  privateReplyMid: string | null;
  privateReplyRecipientId: string | null;
  privateReplyRefusal: string | null;
};

type Row = CommentRow & {
  seq: number;
  private_reply_mid: string | null;
  private_reply_recipient_id: string | null;
  private_reply_refusal: string | null;
};

const SELECT = 'SELECT rowid AS seq, * FROM comments';

/** Reads comments and records their private reply, in the archive's database (Archive stores them). */
export class CommentsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  find(id: string): CommentRecord | null {
    const row = this.#db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /**
   * Customers' comments of one account, newest first; `before` continues after the last one of
   * the previous page (time, then rowid, so comments of the same second keep a stable order).
   */
  listForAccount(
    accountId: string,
    limit: number,
    before: { at: number; seq: number } | null,
  ): CommentRecord[] {
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
        before?.seq ?? null,
        limit,
      ) as Row[];
    return rows.map(toRecord);
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
   * (§2.6 is_echo); it is Inlet's own. False when that message is not archived (yet).
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

function toRecord(row: Row): CommentRecord {
  return {
    ...toComment(row),
    seq: row.seq,
    privateReplyMid: row.private_reply_mid,
    privateReplyRecipientId: row.private_reply_recipient_id,
    privateReplyRefusal: row.private_reply_refusal,
  };
}
