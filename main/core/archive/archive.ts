import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AttachmentSchema,
  MessageContextSchema,
  conversationIdOf,
  type Attachment,
  type Conversation,
  type Message,
  type MessageStatus,
  type Reaction,
} from '../../../shared/domain/schemas';
import {
  SendErrorKeySchema,
  SendErrorVarsSchema,
  type SendErrorKey,
  type SendErrorVars,
} from '../../../shared/domain/send-errors';
import type {
  CommentEvent,
  EditEvent,
  MessageEvent,
  ReactionEvent,
  SeenEvent,
  UnsendEvent,
} from '../webhook/parse-webhook';
import { openDatabase, transaction, type Database } from './database';
import { ARCHIVED_MEDIA_PATH } from './media-store';

export type StoredDelivery = { id: number; receivedAt: number; body: Uint8Array };

export type IncomingMessage = Omit<MessageEvent, 'kind'> & {
  /** An echo of a message sent from the Instagram app (or another tool), not by Inlet. */
  isFromOtherApp: boolean;
  deliveryId: number | null;
};

export type Saved = { message: Message; conversation: Conversation };

/** An event that points at a message by mid, with the delivery it came in. */
type Delivered<E> = Omit<E, 'kind'> & { deliveryId: number | null };

type Page<T> = { items: T[]; nextCursor: string | null };

const CursorSchema = z.tuple([z.number(), z.union([z.string(), z.number()])]);

/** Keyset cursors: stable while new rows arrive, unlike offsets. */
function encodeCursor(at: number, id: string | number): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): [number, string | number] | null {
  if (cursor === undefined) return null;
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

type ConversationRow = {
  id: string;
  account_id: string;
  customer_id: string;
  customer_username: string | null;
  customer_name: string | null;
  last_message_at: number;
  last_message_preview: string;
  last_inbound_at: number | null;
  unread_count: number;
};

type MessageRow = {
  id: string;
  mid: string | null;
  conversation_id: string;
  direction: 'in' | 'out';
  text: string | null;
  attachments: string;
  at: number;
  status: MessageStatus;
  error: string | null;
  error_key: string | null;
  error_vars: string | null;
  is_from_other_app: number;
  reply_to_mid: string | null;
  story_kind: 'reply' | 'mention' | null;
  story_url: string | null;
  context: string | null;
  is_unsupported: number;
  edit_count: number;
  is_deleted: number;
  seen_at: number | null;
  /** From the self-join on the quoted message (`reply_to_mid`). */
  reply_to_text: string | null;
  reply_to_deleted: number | null;
};

type MidRow = {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  at: number;
  text: string | null;
  edit_count: number;
};

export type CommentRow = {
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
};

/**
 * A comment or live comment on one of the business's media (platform §2.8), and when Inlet sent
 * its one private reply (§3.8; recorded by CommentsStore).
 */
export type StoredComment = Omit<CommentEvent, 'kind'> & { privateReplyAt: number | null };

/** Every message read goes through this join, so the quoted text costs no extra query. */
const SELECT_MESSAGES = `SELECT m.rowid AS seq, m.*, q.text AS reply_to_text, q.is_deleted AS reply_to_deleted
  FROM messages m LEFT JOIN messages q ON q.mid = m.reply_to_mid`;

const ContextColumnSchema = MessageContextSchema.nullable().catch(null);

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    accountId: row.account_id,
    customerId: row.customer_id,
    customerUsername: row.customer_username,
    customerName: row.customer_name,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    lastInboundAt: row.last_inbound_at,
    unreadCount: row.unread_count,
  };
}

function toMessage(row: MessageRow, reactions: Reaction[]): Message {
  return {
    id: row.id,
    mid: row.mid,
    conversationId: row.conversation_id,
    direction: row.direction,
    text: row.text,
    attachments: z.array(AttachmentSchema).catch([]).parse(parseJson(row.attachments)),
    at: row.at,
    status: row.status,
    error: row.error,
    // A key this build does not know (a newer Inlet wrote it) falls back to the English text.
    errorKey: SendErrorKeySchema.nullable().catch(null).parse(row.error_key),
    errorVars: SendErrorVarsSchema.nullable().catch(null).parse(parseJson(row.error_vars)),
    isFromOtherApp: row.is_from_other_app === 1,
    replyTo:
      row.reply_to_mid === null
        ? null
        : // An unsent quoted message keeps its content hidden in the quote too.
          { mid: row.reply_to_mid, text: row.reply_to_deleted === 1 ? null : row.reply_to_text },
    story: row.story_kind === null ? null : { kind: row.story_kind, url: row.story_url },
    reactions,
    editCount: row.edit_count,
    isDeleted: row.is_deleted === 1,
    seenAt: row.direction === 'out' ? row.seen_at : null,
    isUnsupported: row.is_unsupported === 1,
    context: ContextColumnSchema.parse(parseJson(row.context)),
  };
}

export function toComment(row: CommentRow): StoredComment {
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

type Previewed = {
  text: string | null;
  attachments: Attachment[];
  story?: { kind: 'reply' | 'mention' } | null;
  isUnsupported?: boolean;
  isDeleted?: boolean;
};

/** What the conversation list shows for a message: its text, or what kind of thing it is. */
export function previewOf(message: Previewed): string {
  if (message.isDeleted) return '[unsent]';
  const { text, attachments } = message;
  if (text !== null && text.trim() !== '') return text.slice(0, 200);
  const first = attachments[0];
  if (first) return `[${first.type}]`;
  if (message.story) return `[story ${message.story.kind}]`;
  return message.isUnsupported ? '[unsupported]' : '';
}

/**
 * The local archive: every delivery byte-for-byte, and the conversations and messages derived from
 * them. Synchronous (node:sqlite): each method is one short transaction.
 */
export class Archive {
  readonly #db: Database;

  constructor(path: string) {
    this.#db = openDatabase(path);
  }

  /** The open connection, for stores kept in their own modules (triage, search). */
  get database(): Database {
    return this.#db;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Durably stores a raw webhook body; returns once it is committed (the ack may follow). */
  storeDelivery(body: Uint8Array, receivedAt: number): number {
    const result = this.#db
      .prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)')
      .run(receivedAt, body);
    return Number(result.lastInsertRowid);
  }

  /**
   * Stores several raw bodies in one transaction (group commit): all are durable when it returns,
   * or none is and it throws. Ids come back in the order given.
   */
  storeDeliveries(items: readonly { body: Uint8Array; receivedAt: number }[]): number[] {
    return transaction(this.#db, () => {
      const insert = this.#db.prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)');
      return items.map((item) => Number(insert.run(item.receivedAt, item.body).lastInsertRowid));
    });
  }

  unprocessedDeliveries(): StoredDelivery[] {
    const rows = this.#db
      .prepare(
        'SELECT id, received_at, body FROM deliveries WHERE processed_at IS NULL ORDER BY id',
      )
      .all() as { id: number; received_at: number; body: Uint8Array }[];
    return rows.map((row) => ({ id: row.id, receivedAt: row.received_at, body: row.body }));
  }

  markDeliveryProcessed(id: number, processedAt: number, error: string | null): void {
    this.#db
      .prepare('UPDATE deliveries SET processed_at = ?, error = ? WHERE id = ?')
      .run(processedAt, error, id);
  }

  deliveryCount(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
  }

  /** Every account the archive knows, including ones only seen in deliveries (username null). */
  listAccounts(): { igUserId: string; username: string | null }[] {
    return this.#db
      .prepare(
        `SELECT ids.id AS igUserId, a.username AS username FROM (
           SELECT ig_user_id AS id FROM accounts
           UNION SELECT account_id FROM conversations
           UNION SELECT account_id FROM comments
         ) ids LEFT JOIN accounts a ON a.ig_user_id = ids.id ORDER BY ids.id`,
      )
      .all() as { igUserId: string; username: string | null }[];
  }

  upsertAccount(igUserId: string, username: string): void {
    this.#db
      .prepare(
        'INSERT INTO accounts (ig_user_id, username) VALUES (?, ?) ON CONFLICT(ig_user_id) DO UPDATE SET username = excluded.username',
      )
      .run(igUserId, username);
  }

  /**
   * Stores a message from a webhook. Idempotent by `mid`: a retried or duplicated delivery, or the
   * echo of a message Inlet sent itself, returns null and changes nothing. Edits, unsends, reactions
   * and reads that arrived before the message (platform §2.4) are applied to it here.
   */
  saveIncoming(incoming: IncomingMessage): Saved | null {
    return transaction(this.#db, () => {
      const existing = this.#db.prepare('SELECT 1 FROM messages WHERE mid = ?').get(incoming.mid);
      if (existing) return null;
      const conversationId = conversationIdOf(incoming.accountId, incoming.customerId);
      this.#ensureConversation(
        conversationId,
        incoming.accountId,
        incoming.customerId,
        incoming.at,
      );
      const id = randomUUID();
      this.#db
        .prepare(
          `INSERT INTO messages (id, mid, conversation_id, direction, text, original_text, attachments, at, status,
             is_from_other_app, delivery_id, reply_to_mid, story_kind, story_url, context, is_unsupported,
             is_standby, is_context_only)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          incoming.mid,
          conversationId,
          incoming.direction,
          incoming.text,
          incoming.text,
          JSON.stringify(incoming.attachments),
          incoming.at,
          incoming.direction === 'in' ? 'received' : 'sent',
          incoming.isFromOtherApp ? 1 : 0,
          incoming.deliveryId,
          incoming.replyToMid,
          incoming.story?.kind ?? null,
          incoming.story?.url ?? null,
          incoming.context === null ? null : JSON.stringify(incoming.context),
          incoming.isUnsupported ? 1 : 0,
          incoming.isStandby ? 1 : 0,
          incoming.isContextOnly ? 1 : 0,
        );
      if (!incoming.isContextOnly) this.#touchConversation(conversationId, incoming);
      this.#applyPending(incoming.mid);
      return { message: this.#message(id), conversation: this.#conversation(conversationId) };
    });
  }

  /**
   * Records a `message_edit` (deduplicated by mid + num_edit, §2.9). Returns the edited message, or
   * null when the edit is a duplicate or its message is not archived yet (it is applied on arrival).
   */
  applyEdit(edit: Delivered<EditEvent>): Saved | null {
    return transaction(this.#db, () => {
      const inserted = this.#db
        .prepare(
          `INSERT INTO message_edits (mid, num_edit, text, at, account_id, delivery_id) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(mid, num_edit) DO NOTHING`,
        )
        .run(edit.mid, edit.numEdit, edit.text, edit.at, edit.accountId, edit.deliveryId);
      if (inserted.changes === 0) return null;
      const before = this.#rowByMid(edit.mid);
      if (!before) return null;
      this.#applyEdits(edit.mid);
      const after = this.#rowByMid(edit.mid);
      if (!after || (after.text === before.text && after.edit_count === before.edit_count)) {
        return null;
      }
      this.#refreshPreview(after.id);
      return this.#saved(after.id);
    });
  }

  /** Records that the customer unsent `mid` (§2.6); null when a duplicate or not archived yet. */
  applyUnsend(unsend: Delivered<UnsendEvent>): Saved | null {
    return transaction(this.#db, () => {
      const inserted = this.#db
        .prepare(
          `INSERT INTO message_unsends (mid, at, account_id, delivery_id) VALUES (?, ?, ?, ?)
           ON CONFLICT(mid) DO NOTHING`,
        )
        .run(unsend.mid, unsend.at, unsend.accountId, unsend.deliveryId);
      if (inserted.changes === 0) return null;
      const row = this.#rowByMid(unsend.mid);
      if (!row) return null;
      this.#db.prepare('UPDATE messages SET is_deleted = 1 WHERE id = ?').run(row.id);
      this.#refreshPreview(row.id);
      return this.#saved(row.id);
    });
  }

  /**
   * Sets or clears one person's reaction on `mid`: one per person, the newest event wins whatever
   * order they arrive in (§2.4, §2.7). Null when nothing visible changed or the message is unknown.
   */
  applyReaction(reaction: Delivered<ReactionEvent>): Saved | null {
    return transaction(this.#db, () => {
      const previous = this.#db
        .prepare('SELECT emoji FROM reactions WHERE mid = ? AND reactor = ?')
        .get(reaction.mid, reaction.by) as { emoji: string | null } | undefined;
      const written = this.#db
        .prepare(
          `INSERT INTO reactions (mid, reactor, emoji, at, account_id, delivery_id) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(mid, reactor) DO UPDATE SET emoji = excluded.emoji, at = excluded.at,
             delivery_id = excluded.delivery_id
           WHERE excluded.at > reactions.at
             OR (excluded.at = reactions.at AND excluded.emoji IS NOT reactions.emoji)`,
        )
        .run(
          reaction.mid,
          reaction.by,
          reaction.emoji,
          reaction.at,
          reaction.accountId,
          reaction.deliveryId,
        );
      if (written.changes === 0 || (previous?.emoji ?? null) === reaction.emoji) return null;
      const row = this.#rowByMid(reaction.mid);
      return row ? this.#saved(row.id) : null;
    });
  }

  /**
   * Records a read receipt (deduplicated by mid, §2.9) and moves the conversation's watermark.
   * Returns every outgoing message that became seen (none when the mid is not archived yet).
   */
  applySeen(seen: Delivered<SeenEvent>): Saved[] {
    return transaction(this.#db, () => {
      const inserted = this.#db
        .prepare(
          `INSERT INTO read_receipts (mid, at, account_id, delivery_id) VALUES (?, ?, ?, ?)
           ON CONFLICT(mid) DO NOTHING`,
        )
        .run(seen.mid, seen.at, seen.accountId, seen.deliveryId);
      if (inserted.changes === 0) return [];
      return this.#applyReadReceipt(seen.mid).map((id) => this.#saved(id));
    });
  }

  /** Stores a comment once by its id (§2.9); false for a duplicate. */
  saveComment(comment: Delivered<CommentEvent>): boolean {
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

  /** An account's comments, oldest first; optionally those on one media. */
  listComments(options: { accountId: string; mediaId?: string }): StoredComment[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM comments WHERE account_id = ? AND (? IS NULL OR media_id = ?) ORDER BY at, rowid`,
      )
      .all(options.accountId, options.mediaId ?? null, options.mediaId ?? null) as CommentRow[];
    return rows.map(toComment);
  }

  /** Writes an outgoing message as `queued` before anything touches the network. */
  queueOutgoing(
    conversationId: string,
    text: string | null,
    at: number,
    options: {
      replyToMid?: string | null;
      tag?: 'HUMAN_AGENT' | null;
      /** An attachment-only message (text null): served to Meta from `url` (issue #6). */
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
      return this.#saved(id);
    });
  }

  setMessageStatus(
    id: string,
    change: {
      status: MessageStatus;
      mid?: string;
      error?: string | null;
      /** `error`'s key and variables (issue #7); cleared with it, and null for a keyless reason. */
      errorKey?: SendErrorKey | null;
      errorVars?: SendErrorVars | null;
    },
  ): Saved {
    return transaction(this.#db, () => {
      this.#db
        .prepare(
          'UPDATE messages SET status = ?, mid = coalesce(?, mid), error = ?, error_key = ?, error_vars = ? WHERE id = ?',
        )
        .run(
          change.status,
          change.mid ?? null,
          change.error ?? null,
          change.errorKey ?? null,
          change.errorVars ? JSON.stringify(change.errorVars) : null,
          id,
        );
      // A reaction or read receipt for this mid may have overtaken the Graph response (§2.4).
      if (change.mid !== undefined) this.#applyPending(change.mid);
      return this.#saved(id);
    });
  }

  /**
   * Removes an outgoing message that did not go out (failed, or unknown and the owner gave up on
   * it). Returns the conversation with its preview recomputed, or null when there is nothing the
   * owner may delete: received and sent messages are history and stay.
   */
  deleteUndelivered(id: string): Conversation | null {
    return transaction(this.#db, () => {
      const row = this.#db
        .prepare(
          `SELECT conversation_id FROM messages WHERE id = ? AND direction = 'out' AND status IN ('failed', 'unknown')`,
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
        const message = this.#message(latest.id);
        this.#db
          .prepare(
            'UPDATE conversations SET last_message_at = ?, last_message_preview = ? WHERE id = ?',
          )
          .run(message.at, previewOf(message), row.conversation_id);
      }
      return this.#conversation(row.conversation_id);
    });
  }

  /** Outgoing messages whose send never finished, oldest first (for recovery after a restart). */
  pendingOutgoing(): Message[] {
    const rows = this.#db
      .prepare(
        `${SELECT_MESSAGES} WHERE m.status IN ('queued', 'sending') AND m.direction = 'out' ORDER BY m.at, m.rowid`,
      )
      .all() as MessageRow[];
    return this.#hydrate(rows);
  }

  // --- Outbox reconciliation and pausing (issue #6) ---

  /** Outgoing messages whose outcome is unknown (the request left, no answer), oldest first. */
  unconfirmedOutgoing(): Message[] {
    const rows = this.#db
      .prepare(
        `${SELECT_MESSAGES} WHERE m.status = 'unknown' AND m.direction = 'out' AND m.mid IS NULL ORDER BY m.at, m.rowid`,
      )
      .all() as MessageRow[];
    return this.#hydrate(rows);
  }

  /**
   * The oldest outgoing message of the conversation that an echo with this text, seen at `echoAt`,
   * can confirm: Inlet's own send still in flight or of unknown outcome, without a mid yet, with the
   * same text, written before the echo (plus `skewMs` for the difference between clocks).
   */
  findEchoCandidate(
    conversationId: string,
    text: string,
    echoAt: number,
    skewMs: number,
  ): Message | null {
    const row = this.#db
      .prepare(
        `SELECT id FROM messages WHERE conversation_id = ? AND direction = 'out' AND mid IS NULL
           AND status IN ('sending', 'unknown') AND text = ? AND at <= ? ORDER BY at, rowid LIMIT 1`,
      )
      .get(conversationId, text, echoAt + skewMs) as { id: string } | undefined;
    return row ? this.#message(row.id) : null;
  }

  /**
   * Like `findEchoCandidate` for an attachment-only send (issue #6): Meta echoes a copy on its own
   * CDN, so the echo can only be matched by the attachment's type.
   */
  findAttachmentEchoCandidate(
    conversationId: string,
    type: string,
    echoAt: number,
    skewMs: number,
  ): Message | null {
    const row = this.#db
      .prepare(
        `SELECT id FROM messages WHERE conversation_id = ? AND direction = 'out' AND mid IS NULL
           AND status IN ('sending', 'unknown') AND text IS NULL
           AND json_extract(attachments, '$[0].type') = ? AND at <= ? ORDER BY at, rowid LIMIT 1`,
      )
      .get(conversationId, type, echoAt + skewMs) as { id: string } | undefined;
    return row ? this.#message(row.id) : null;
  }

  /** The tag an outgoing message must be sent with (HUMAN_AGENT, §3.9), or null. */
  sendTagOf(id: string): 'HUMAN_AGENT' | null {
    const row = this.#db.prepare('SELECT send_tag FROM messages WHERE id = ?').get(id) as
      { send_tag: string | null } | undefined;
    return row?.send_tag === 'HUMAN_AGENT' ? 'HUMAN_AGENT' : null;
  }

  hasMid(mid: string): boolean {
    return this.#db.prepare('SELECT 1 FROM messages WHERE mid = ?').get(mid) !== undefined;
  }

  /** Queued outgoing messages of one account, oldest first (to resume a paused account). */
  queuedOutgoingOf(accountId: string): Message[] {
    const rows = this.#db
      .prepare(
        `${SELECT_MESSAGES} JOIN conversations c ON c.id = m.conversation_id
           WHERE m.status = 'queued' AND m.direction = 'out' AND c.account_id = ? ORDER BY m.at, m.rowid`,
      )
      .all(accountId) as MessageRow[];
    return this.#hydrate(rows);
  }

  // --- end outbox block ---

  findConversation(id: string): Conversation | null {
    const row = this.#db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as
      ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  findMessage(id: string): Message | null {
    const row = this.#db.prepare(`${SELECT_MESSAGES} WHERE m.id = ?`).get(id) as
      MessageRow | undefined;
    return row ? (this.#hydrate([row])[0] ?? null) : null;
  }

  findMessageByMid(mid: string): Message | null {
    const row = this.#db.prepare(`${SELECT_MESSAGES} WHERE m.mid = ?`).get(mid) as
      MessageRow | undefined;
    return row ? (this.#hydrate([row])[0] ?? null) : null;
  }

  /** Newest conversations first. */
  listConversations(options: { cursor?: string; limit: number }): Page<Conversation> {
    const after = decodeCursor(options.cursor);
    const rows = (
      after
        ? this.#db
            .prepare(
              `SELECT * FROM conversations WHERE (last_message_at, id) < (?, ?)
               ORDER BY last_message_at DESC, id DESC LIMIT ?`,
            )
            .all(after[0], after[1], options.limit + 1)
        : this.#db
            .prepare('SELECT * FROM conversations ORDER BY last_message_at DESC, id DESC LIMIT ?')
            .all(options.limit + 1)
    ) as ConversationRow[];
    const items = rows.slice(0, options.limit).map(toConversation);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > options.limit && last ? encodeCursor(last.lastMessageAt, last.id) : null,
    };
  }

  /** One page of a thread, oldest first within the page; `before` pages further back in time. */
  listMessages(options: { conversationId: string; before?: string; limit: number }): Page<Message> {
    const before = decodeCursor(options.before);
    const rows = (
      before
        ? this.#db
            .prepare(
              `${SELECT_MESSAGES} WHERE m.conversation_id = ? AND (m.at, m.rowid) < (?, ?)
               ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
            )
            .all(options.conversationId, before[0], before[1], options.limit + 1)
        : this.#db
            .prepare(
              `${SELECT_MESSAGES} WHERE m.conversation_id = ? ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
            )
            .all(options.conversationId, options.limit + 1)
    ) as (MessageRow & { seq: number })[];
    // Messages in the same millisecond keep the order they were stored in (rowid), not id order.
    const page = rows.slice(0, options.limit);
    const oldest = page.at(-1);
    return {
      items: this.#hydrate(page).reverse(),
      nextCursor:
        rows.length > options.limit && oldest ? encodeCursor(oldest.at, oldest.seq) : null,
    };
  }

  markRead(conversationId: string): Conversation | null {
    this.#db.prepare('UPDATE conversations SET unread_count = 0 WHERE id = ?').run(conversationId);
    return this.findConversation(conversationId);
  }

  /** At least one unread message, so the conversation shows as unread again. */
  markUnread(conversationId: string): Conversation | null {
    this.#db
      .prepare('UPDATE conversations SET unread_count = max(unread_count, 1) WHERE id = ?')
      .run(conversationId);
    return this.findConversation(conversationId);
  }

  setCustomerProfile(
    conversationId: string,
    profile: { username: string | null; name: string | null },
  ): void {
    this.#db
      .prepare(
        'UPDATE conversations SET customer_username = coalesce(?, customer_username), customer_name = coalesce(?, customer_name) WHERE id = ?',
      )
      .run(profile.username, profile.name, conversationId);
  }

  #ensureConversation(id: string, accountId: string, customerId: string, at: number): void {
    this.#db
      .prepare(
        `INSERT INTO conversations (id, account_id, customer_id, last_message_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING`,
      )
      .run(id, accountId, customerId, at);
  }

  #touchConversation(id: string, incoming: IncomingMessage): void {
    const isInbound = incoming.direction === 'in';
    // Deliveries arrive out of order (platform §2.4): only a newer message moves the preview.
    this.#db
      .prepare(
        `UPDATE conversations SET
           last_message_preview = CASE WHEN ? >= last_message_at THEN ? ELSE last_message_preview END,
           last_message_at = max(last_message_at, ?),
           last_inbound_at = CASE WHEN ? THEN max(coalesce(last_inbound_at, 0), ?) ELSE last_inbound_at END,
           unread_count = unread_count + ?
         WHERE id = ?`,
      )
      .run(
        incoming.at,
        previewOf(incoming),
        incoming.at,
        isInbound ? 1 : 0,
        incoming.at,
        isInbound ? 1 : 0,
        id,
      );
  }

  /** Applies everything stored for `mid` before its message was archived (platform §2.4). */
  #applyPending(mid: string): void {
    const row = this.#rowByMid(mid);
    if (!row) return;
    const isEdited = this.#applyEdits(mid);
    const unsent = this.#db.prepare('SELECT 1 FROM message_unsends WHERE mid = ?').get(mid);
    if (unsent) this.#db.prepare('UPDATE messages SET is_deleted = 1 WHERE id = ?').run(row.id);
    if (unsent || isEdited) this.#refreshPreview(row.id);
    // Its own receipt moves the watermark; an older watermark may already cover this message.
    this.#applyReadReceipt(mid);
    if (row.direction === 'out') this.#applyWatermark(row.conversation_id, null, row.id);
  }

  /**
   * The current text is the newest edit that carries text, else the original: the observed
   * `num_edit: 0` edit without text must not blank the message (§2.7).
   */
  #applyEdits(mid: string): boolean {
    const edits = this.#db
      .prepare(
        'SELECT num_edit, text FROM message_edits WHERE mid = ? ORDER BY num_edit DESC, at DESC',
      )
      .all(mid) as { num_edit: number; text: string | null }[];
    if (edits.length === 0) return false;
    const editCount = Math.max(...edits.map((edit) => edit.num_edit));
    const text = edits.find((edit) => edit.text !== null)?.text ?? null;
    this.#db
      .prepare(
        `UPDATE messages SET edit_count = ?, text = CASE WHEN ? IS NULL THEN coalesce(original_text, text) ELSE ? END
         WHERE mid = ?`,
      )
      .run(editCount, text, text, mid);
    return true;
  }

  /** Moves the read watermark to the message `mid` names, if both are archived; returns ids marked. */
  #applyReadReceipt(mid: string): string[] {
    const receipt = this.#db.prepare('SELECT at FROM read_receipts WHERE mid = ?').get(mid) as
      { at: number } | undefined;
    const row = this.#rowByMid(mid);
    if (!receipt || !row) return [];
    this.#db
      .prepare(
        `UPDATE conversations SET seen_up_to = max(coalesce(seen_up_to, 0), ?),
           seen_at = max(coalesce(seen_at, 0), ?) WHERE id = ?`,
      )
      .run(row.at, receipt.at, row.conversation_id);
    return this.#applyWatermark(row.conversation_id, receipt.at, null);
  }

  /**
   * Marks sent outgoing messages at or before the watermark as seen (§2.7: "mark all outbound
   * messages with timestamp ≤ that message's timestamp"), each with the earliest receipt covering
   * it, so the result does not depend on the order receipts arrived in. Only messages the new
   * receipt can change are looked at: not yet seen, or seen later than `receiptAt`; or just
   * `messageId` when a message arrives. Returns the ids it changed.
   */
  #applyWatermark(
    conversationId: string,
    receiptAt: number | null,
    messageId: string | null,
  ): string[] {
    const rows = this.#db
      .prepare(
        `UPDATE messages AS m SET seen_at = s.first_seen
         FROM (
           SELECT o.id, (
             SELECT min(r.at) FROM read_receipts r JOIN messages t ON t.mid = r.mid
             WHERE t.conversation_id = o.conversation_id AND t.at >= o.at
           ) AS first_seen
           FROM messages o
           WHERE o.conversation_id = ? AND o.direction = 'out' AND o.status = 'sent'
             AND o.at <= (SELECT seen_up_to FROM conversations WHERE id = ?)
             AND (o.seen_at IS NULL OR o.seen_at > ?) AND (? IS NULL OR o.id = ?)
         ) AS s
         WHERE m.id = s.id AND s.first_seen IS NOT NULL AND m.seen_at IS NOT s.first_seen
         RETURNING id`,
      )
      .all(
        conversationId,
        conversationId,
        receiptAt ?? Number.MAX_SAFE_INTEGER,
        messageId,
        messageId,
      ) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** An edit or unsend of the newest message changes what the conversation list shows. */
  #refreshPreview(messageId: string): void {
    const message = this.#message(messageId);
    this.#db
      .prepare(
        'UPDATE conversations SET last_message_preview = ? WHERE id = ? AND last_message_at = ?',
      )
      .run(previewOf(message), message.conversationId, message.at);
  }

  #rowByMid(mid: string): MidRow | null {
    const row = this.#db
      .prepare(
        'SELECT id, conversation_id, direction, at, text, edit_count FROM messages WHERE mid = ?',
      )
      .get(mid) as MidRow | undefined;
    return row ?? null;
  }

  /** Reactions for a page of messages in one query, not one per message. */
  #hydrate(rows: MessageRow[]): Message[] {
    const mids = rows.flatMap((row) => (row.mid === null ? [] : [row.mid]));
    const byMid = new Map<string, Reaction[]>();
    if (mids.length > 0) {
      const reactions = this.#db
        .prepare(
          `SELECT mid, reactor, emoji FROM reactions
           WHERE emoji IS NOT NULL AND mid IN (SELECT value FROM json_each(?))
           ORDER BY reactor DESC`,
        )
        .all(JSON.stringify(mids)) as {
        mid: string;
        reactor: Reaction['by'];
        emoji: string;
      }[];
      for (const reaction of reactions) {
        const list = byMid.get(reaction.mid) ?? [];
        list.push({ by: reaction.reactor, emoji: reaction.emoji });
        byMid.set(reaction.mid, list);
      }
    }
    const archived = this.#archivedMedia(rows.map((row) => row.id));
    return rows.map((row) => {
      const message = toMessage(row, row.mid === null ? [] : (byMid.get(row.mid) ?? []));
      const files = archived.get(row.id);
      if (!files) return message;
      const attachments = message.attachments.map((attachment, idx) => {
        const file = files.get(idx);
        return file === undefined
          ? attachment
          : { ...attachment, archivedUrl: `${ARCHIVED_MEDIA_PATH}${file}` };
      });
      return { ...message, attachments };
    });
  }

  /** Attachments Inlet holds its own copy of (media-store.ts), by message id and index. */
  #archivedMedia(messageIds: string[]): Map<string, Map<number, string>> {
    const byMessage = new Map<string, Map<number, string>>();
    if (messageIds.length === 0) return byMessage;
    const rows = this.#db
      .prepare(
        `SELECT message_id, idx, file FROM media
         WHERE state = 'stored' AND message_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(messageIds)) as { message_id: string; idx: number; file: string }[];
    for (const row of rows) {
      const files = byMessage.get(row.message_id) ?? new Map<number, string>();
      files.set(row.idx, row.file);
      byMessage.set(row.message_id, files);
    }
    return byMessage;
  }

  #saved(messageId: string): Saved {
    const message = this.#message(messageId);
    return { message, conversation: this.#conversation(message.conversationId) };
  }

  #message(id: string): Message {
    const message = this.findMessage(id);
    if (!message) throw new Error(`message ${id} vanished inside its own transaction`);
    return message;
  }

  #conversation(id: string): Conversation {
    const conversation = this.findConversation(id);
    if (!conversation) throw new Error(`conversation ${id} vanished inside its own transaction`);
    return conversation;
  }
}
