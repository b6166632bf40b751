import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AttachmentSchema,
  conversationIdOf,
  type Attachment,
  type Conversation,
  type Message,
  type MessageStatus,
} from '../../../shared/domain/schemas';
import type { MessageEvent } from '../webhook/parse-webhook';
import { openDatabase, transaction, type Database } from './database';

export type StoredDelivery = { id: number; receivedAt: number; body: Uint8Array };

export type IncomingMessage = Omit<MessageEvent, 'kind' | 'isStandby'> & {
  /** An echo of a message sent from the Instagram app (or another tool), not by Inlet. */
  isFromOtherApp: boolean;
  deliveryId: number | null;
};

export type Saved = { message: Message; conversation: Conversation };

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
  is_from_other_app: number;
};

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

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    mid: row.mid,
    conversationId: row.conversation_id,
    direction: row.direction,
    text: row.text,
    attachments: z.array(AttachmentSchema).catch([]).parse(JSON.parse(row.attachments)),
    at: row.at,
    status: row.status,
    error: row.error,
    isFromOtherApp: row.is_from_other_app === 1,
  };
}

/** What the conversation list shows for a message: its text, or what kind of thing it is. */
export function previewOf(text: string | null, attachments: Attachment[]): string {
  if (text !== null && text.trim() !== '') return text.slice(0, 200);
  const first = attachments[0];
  return first ? `[${first.type}]` : '';
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

  upsertAccount(igUserId: string, username: string): void {
    this.#db
      .prepare(
        'INSERT INTO accounts (ig_user_id, username) VALUES (?, ?) ON CONFLICT(ig_user_id) DO UPDATE SET username = excluded.username',
      )
      .run(igUserId, username);
  }

  /**
   * Stores a message from a webhook. Idempotent by `mid`: a retried or duplicated delivery, or the
   * echo of a message Inlet sent itself, returns null and changes nothing.
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
          `INSERT INTO messages (id, mid, conversation_id, direction, text, attachments, at, status, is_from_other_app, delivery_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          incoming.mid,
          conversationId,
          incoming.direction,
          incoming.text,
          JSON.stringify(incoming.attachments),
          incoming.at,
          incoming.direction === 'in' ? 'received' : 'sent',
          incoming.isFromOtherApp ? 1 : 0,
          incoming.deliveryId,
        );
      this.#touchConversation(conversationId, incoming);
      return { message: this.#message(id), conversation: this.#conversation(conversationId) };
    });
  }

  /** Writes an outgoing message as `queued` before anything touches the network. */
  queueOutgoing(conversationId: string, text: string, at: number): Saved {
    return transaction(this.#db, () => {
      const id = randomUUID();
      this.#db
        .prepare(
          `INSERT INTO messages (id, conversation_id, direction, text, at, status) VALUES (?, ?, 'out', ?, ?, 'queued')`,
        )
        .run(id, conversationId, text, at);
      this.#db
        .prepare(
          'UPDATE conversations SET last_message_at = max(last_message_at, ?), last_message_preview = ? WHERE id = ?',
        )
        .run(at, previewOf(text, []), conversationId);
      return { message: this.#message(id), conversation: this.#conversation(conversationId) };
    });
  }

  setMessageStatus(
    id: string,
    change: { status: MessageStatus; mid?: string; error?: string | null },
  ): Saved {
    this.#db
      .prepare('UPDATE messages SET status = ?, mid = coalesce(?, mid), error = ? WHERE id = ?')
      .run(change.status, change.mid ?? null, change.error ?? null, id);
    const message = this.#message(id);
    return { message, conversation: this.#conversation(message.conversationId) };
  }

  /** Outgoing messages whose send never finished, oldest first (for recovery after a restart). */
  pendingOutgoing(): Message[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM messages WHERE status IN ('queued', 'sending') AND direction = 'out' ORDER BY at, rowid`,
      )
      .all() as MessageRow[];
    return rows.map(toMessage);
  }

  findConversation(id: string): Conversation | null {
    const row = this.#db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as
      ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  findMessage(id: string): Message | null {
    const row = this.#db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as
      MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  findMessageByMid(mid: string): Message | null {
    const row = this.#db.prepare('SELECT * FROM messages WHERE mid = ?').get(mid) as
      MessageRow | undefined;
    return row ? toMessage(row) : null;
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
              `SELECT rowid AS seq, * FROM messages WHERE conversation_id = ? AND (at, rowid) < (?, ?)
               ORDER BY at DESC, rowid DESC LIMIT ?`,
            )
            .all(options.conversationId, before[0], before[1], options.limit + 1)
        : this.#db
            .prepare(
              'SELECT rowid AS seq, * FROM messages WHERE conversation_id = ? ORDER BY at DESC, rowid DESC LIMIT ?',
            )
            .all(options.conversationId, options.limit + 1)
    ) as (MessageRow & { seq: number })[];
    // Messages in the same millisecond keep the order they were stored in (rowid), not id order.
    const page = rows.slice(0, options.limit);
    const oldest = page.at(-1);
    return {
      items: page.map(toMessage).reverse(),
      nextCursor:
        rows.length > options.limit && oldest ? encodeCursor(oldest.at, oldest.seq) : null,
    };
  }

  markRead(conversationId: string): Conversation | null {
    this.#db.prepare('UPDATE conversations SET unread_count = 0 WHERE id = ?').run(conversationId);
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
        previewOf(incoming.text, incoming.attachments),
        incoming.at,
        isInbound ? 1 : 0,
        incoming.at,
        isInbound ? 1 : 0,
        id,
      );
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
