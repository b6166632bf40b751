import { randomUUID } from 'node:crypto';
import type {
  Attachment,
  Conversation,
  Message,
  MessageStatus,
} from '../../../shared/domain/schemas';
import type { FailureReason } from '../../../shared/domain/failure-reason';
import { transaction, type Database } from './database';
import type { InboundStore } from './inbound-store';
import type { InboxQueries, Saved } from './inbox-queries';
import { previewOf } from './preview';
import { reasonColumns } from './reason-columns';

/** A new delivery state, with the mid Graph gave or the reason it failed. */
export type StatusChange = {
  status: MessageStatus;
  mid?: string;
  /** Why it failed, is held or is unknown; omitted or null clears the reason. */
  error?: FailureReason | null;
};

/**
 * Inlet's own outgoing messages: stored before anything touches the network, then moved through
 * their delivery states until Graph's answer or the echo settles them.
 */
export class OutgoingQueue {
  readonly #db: Database;
  readonly #queries: InboxQueries;
  readonly #inbound: InboundStore;

  constructor(db: Database, queries: InboxQueries, inbound: InboundStore) {
    this.#db = db;
    this.#queries = queries;
    this.#inbound = inbound;
  }

  /** Writes an outgoing message as `queued` before anything touches the network. */
  queue(
    conversationId: string,
    text: string | null,
    at: number,
    options: {
      replyToMid?: string | null;
      tag?: 'HUMAN_AGENT' | null;
      /** An attachment-only message (text null): served to Meta from `url`. */
      attachments?: Attachment[];
    } = {},
  ): Saved {
    const attachments = options.attachments ?? [];
    return transaction(this.#db, () => {
      const id = randomUUID();
      this.#db
        .prepare(
          `INSERT INTO messages (id, conversation_id, direction, text, attachments, at, status, reply_to_mid, send_tag)
           VALUES (?, ?, 'out', ?, ?, ?, 'queued', ?, ?)`,
        )
        .run(
          id,
          conversationId,
          text,
          JSON.stringify(attachments),
          at,
          options.replyToMid ?? null,
          options.tag ?? null,
        );
      this.#db
        .prepare(
          'UPDATE conversations SET last_message_at = max(last_message_at, ?), last_message_preview = ? WHERE id = ?',
        )
        .run(at, previewOf({ text, attachments }), conversationId);
      return this.#queries.saved(id);
    });
  }

  setStatus(id: string, change: StatusChange): Saved {
    const reason = reasonColumns(change.error ?? null);
    return transaction(this.#db, () => {
      this.#db
        .prepare(
          'UPDATE messages SET status = ?, mid = coalesce(?, mid), error = ?, error_key = ?, error_vars = ? WHERE id = ?',
        )
        .run(
          change.status,
          change.mid ?? null,
          reason.error,
          reason.error_key,
          reason.error_vars,
          id,
        );
      // A reaction or read receipt for this mid may have overtaken the Graph response
      // (docs/platform.md#delivery).
      if (change.mid !== undefined) this.#inbound.applyPending(change.mid);
      return this.#queries.saved(id);
    });
  }

  /**
   * Removes an outgoing message that did not go out (failed, unknown and the owner gave up on it,
   * or still queued: the owner cancelled it; the outbox checks the status again after any wait).
   * Returns the conversation with its preview recomputed, or null when there is nothing the owner
   * may delete: received and sent messages are history and stay, and one on the wire may land.
   */
  deleteUndelivered(id: string): Conversation | null {
    return transaction(this.#db, () => {
      const row = this.#db
        .prepare(
          `SELECT conversation_id FROM messages WHERE id = ? AND direction = 'out' AND status IN ('failed', 'unknown', 'queued')`,
        )
        .get(id) as { conversation_id: string } | undefined;
      if (!row) return null;
      this.#db.prepare('DELETE FROM messages WHERE id = ?').run(id);
      const latest = this.#db
        .prepare(
          `SELECT id FROM messages WHERE conversation_id = ? ORDER BY at DESC, rowid DESC LIMIT 1`,
        )
        .get(row.conversation_id) as { id: string } | undefined;
      if (latest) {
        const message = this.#queries.message(latest.id);
        this.#db
          .prepare(
            'UPDATE conversations SET last_message_at = ?, last_message_preview = ? WHERE id = ?',
          )
          .run(message.at, previewOf(message), row.conversation_id);
      }
      return this.#queries.conversation(row.conversation_id);
    });
  }

  /** Outgoing messages whose send never finished, oldest first (for recovery after a restart). */
  pending(): Message[] {
    return this.#queries.selectMessages(
      `WHERE m.status IN ('queued', 'sending') AND m.direction = 'out' ORDER BY m.at, m.rowid`,
    );
  }

  /** Outgoing messages whose outcome is unknown (the request left, no answer), oldest first. */
  unconfirmed(): Message[] {
    return this.#queries.selectMessages(
      `WHERE m.status = 'unknown' AND m.direction = 'out' AND m.mid IS NULL ORDER BY m.at, m.rowid`,
    );
  }

  /** Queued outgoing messages of one account, oldest first (to resume a paused account). */
  queuedOf(accountId: string): Message[] {
    return this.#queries.selectMessages(
      `JOIN conversations c ON c.id = m.conversation_id
         WHERE m.status = 'queued' AND m.direction = 'out' AND c.account_id = ? ORDER BY m.at, m.rowid`,
      accountId,
    );
  }

  /**
   * The oldest outgoing message of the conversation that an echo with this text, seen at `echoAt`,
   * can confirm: Inlet's own send still in flight or of unknown outcome, without a mid yet, with
   * the same text, written before the echo (plus `skewMs` for the difference between clocks).
   */
  findEchoCandidate(
    conversationId: string,
    text: string,
    echoAt: number,
    skewMs: number,
  ): Message | null {
    return this.#echoCandidate(conversationId, 'text = ?', text, echoAt + skewMs);
  }

  /**
   * Like `findEchoCandidate` for an attachment-only send: Meta echoes a copy on its own CDN, so
   * the echo can only be matched by the attachment's type.
   */
  findAttachmentEchoCandidate(
    conversationId: string,
    type: string,
    echoAt: number,
    skewMs: number,
  ): Message | null {
    return this.#echoCandidate(
      conversationId,
      "text IS NULL AND json_extract(attachments, '$[0].type') = ?",
      type,
      echoAt + skewMs,
    );
  }

  /**
   * The tag an outgoing message must be sent with (HUMAN_AGENT, docs/platform.md#reply-windows), or
   * null.
   */
  sendTagOf(id: string): 'HUMAN_AGENT' | null {
    const row = this.#db.prepare('SELECT send_tag FROM messages WHERE id = ?').get(id) as
      { send_tag: string | null } | undefined;
    return row?.send_tag === 'HUMAN_AGENT' ? 'HUMAN_AGENT' : null;
  }

  /** The oldest of Inlet's sends without a mid yet that `match` (on `value`) says an echo is. */
  #echoCandidate(
    conversationId: string,
    match: string,
    value: string,
    notAfter: number,
  ): Message | null {
    const row = this.#db
      .prepare(
        `SELECT id FROM messages WHERE conversation_id = ? AND direction = 'out' AND mid IS NULL
           AND status IN ('sending', 'unknown') AND ${match} AND at <= ? ORDER BY at, rowid LIMIT 1`,
      )
      .get(conversationId, value, notAfter) as { id: string } | undefined;
    return row ? this.#queries.message(row.id) : null;
  }
}
