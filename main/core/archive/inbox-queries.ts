import type { SQLInputValue } from 'node:sqlite';
import { z } from 'zod';
import {
  AttachmentSchema,
  GALLERY_ATTACHMENT_TYPES,
  MessageContextSchema,
  type Conversation,
  type Message,
  type MessageStatus,
  type Reaction,
} from '../../../shared/domain/schemas';
import { decodeCursor, pageOf, type Page } from './cursor';
import type { Database } from './database';
import { parseJsonOrNull } from './json-text';
import { ARCHIVED_MEDIA_PATH, STORY_IDX } from './media-store';
import { reasonFromColumns, type ReasonColumns } from './reason-columns';

/** A message as the inbox shows it after a change, with its conversation as it is now. */
export type Saved = { message: Message; conversation: Conversation };

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
  /** SELECT_CONVERSATIONS' worst undelivered send: 'failed', 'queued' (held) or null. */
  send_problem: 'failed' | 'queued' | null;
  /** SELECT_CONVERSATIONS' archived profile picture of the customer (media-store.ts). */
  picture_file: string | null;
};

/**
 * Every conversation read goes through this, with its worst undelivered send: a failed one, else
 * one held with a reason (queued without a reason is simply on its way). min() picks 'failed'
 * over 'queued'; the partial index messages_undelivered keeps it to those few rows.
 */
const SELECT_CONVERSATIONS = `SELECT *, (
    SELECT min(status) FROM messages
    WHERE conversation_id = conversations.id AND direction = 'out'
      AND status IN ('failed', 'queued') AND (status = 'failed' OR error IS NOT NULL)
  ) AS send_problem,
  (SELECT file FROM pictures WHERE owner_id = conversations.id) AS picture_file
  FROM conversations`;

type MessageRow = ReasonColumns & {
  /** The rowid: messages of the same millisecond keep the order they were stored in. */
  seq: number;
  id: string;
  mid: string | null;
  conversation_id: string;
  direction: 'in' | 'out';
  text: string | null;
  attachments: string;
  at: number;
  status: MessageStatus;
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
  reply_to_id: string | null;
  reply_to_text: string | null;
  reply_to_deleted: number | null;
  reply_to_attachments: string | null;
  reply_to_story_url: string | null;
  reply_to_story_kind: string | null;
};

/** Every message read goes through this join, so the quoted message costs no extra query. */
const SELECT_MESSAGES = `SELECT m.rowid AS seq, m.*, q.id AS reply_to_id, q.text AS reply_to_text,
    q.is_deleted AS reply_to_deleted, q.attachments AS reply_to_attachments,
    q.story_url AS reply_to_story_url, q.story_kind AS reply_to_story_kind
  FROM messages m LEFT JOIN messages q ON q.mid = m.reply_to_mid`;

/**
 * An attachment of message `m` the media viewer can show: a picture or video, with Instagram's URL
 * or Inlet's own copy to load it from. `a` is the attachment's row of json_each(m.attachments).
 */
const IS_GALLERY_ATTACHMENT = `json_extract(a.value, '$.type') IN (SELECT value FROM json_each(?))
  AND (json_extract(a.value, '$.url') IS NOT NULL OR EXISTS (
    SELECT 1 FROM media WHERE message_id = m.id AND idx = a.key AND state = 'stored'))`;

const ContextColumnSchema = MessageContextSchema.nullable().catch(null);
// Built once: zod builds a schema at a cost, and every message read (a burst saves thousands)
// parses its attachments.
const AttachmentsColumnSchema = z.array(AttachmentSchema).catch([]);

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    accountId: row.account_id,
    customerId: row.customer_id,
    customerUsername: row.customer_username,
    customerName: row.customer_name,
    customerPictureUrl:
      row.picture_file === null ? null : `${ARCHIVED_MEDIA_PATH}${row.picture_file}`,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    lastInboundAt: row.last_inbound_at,
    unreadCount: row.unread_count,
    sendProblem:
      row.send_problem === 'failed' ? 'failed' : row.send_problem === 'queued' ? 'held' : null,
  };
}

/** The quoted message as the quote shows it; its archived copy is added by `#hydrate`. */
function quotedOf(row: MessageRow, mid: string): NonNullable<Message['replyTo']> {
  // An unsent quoted message keeps its content hidden in the quote too.
  if (row.reply_to_deleted === 1) {
    return { mid, text: null, messageId: row.reply_to_id, attachment: null };
  }
  const [first] = AttachmentsColumnSchema.parse(parseJsonOrNull(row.reply_to_attachments));
  const attachment =
    row.reply_to_story_kind !== null
      ? { type: 'story_mention', url: row.reply_to_story_url, title: null }
      : (first ?? null);
  return { mid, text: row.reply_to_text, messageId: row.reply_to_id, attachment };
}

function toMessage(row: MessageRow, reactions: Reaction[]): Message {
  return {
    id: row.id,
    mid: row.mid,
    conversationId: row.conversation_id,
    direction: row.direction,
    text: row.text,
    attachments: AttachmentsColumnSchema.parse(parseJsonOrNull(row.attachments)),
    at: row.at,
    status: row.status,
    error: reasonFromColumns(row),
    isFromOtherApp: row.is_from_other_app === 1,
    replyTo: row.reply_to_mid === null ? null : quotedOf(row, row.reply_to_mid),
    story: row.story_kind === null ? null : { kind: row.story_kind, url: row.story_url },
    reactions,
    editCount: row.edit_count,
    isDeleted: row.is_deleted === 1,
    seenAt: row.direction === 'out' ? row.seen_at : null,
    isUnsupported: row.is_unsupported === 1,
    context: ContextColumnSchema.parse(parseJsonOrNull(row.context)),
  };
}

/**
 * Conversations and messages as the inbox reads them: whole messages with their reactions,
 * quotes and archived media, and the conversation list and threads a page at a time.
 */
export class InboxQueries {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  findConversation(id: string): Conversation | null {
    const row = this.#db.prepare(`${SELECT_CONVERSATIONS} WHERE id = ?`).get(id) as
      ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  findMessage(id: string): Message | null {
    return this.selectMessages('WHERE m.id = ?', id)[0] ?? null;
  }

  findMessageByMid(mid: string): Message | null {
    return this.selectMessages('WHERE m.mid = ?', mid)[0] ?? null;
  }

  /** A message and its conversation, or null when the message is gone (deleted meanwhile). */
  findSaved(messageId: string): Saved | null {
    const message = this.findMessage(messageId);
    const conversation = message && this.findConversation(message.conversationId);
    return message && conversation ? { message, conversation } : null;
  }

  /**
   * A message and the messages quoting it, each with its conversation: what changes on screen
   * when its media is archived (the quotes show its thumbnail).
   */
  savedWithQuotes(messageId: string): Saved[] {
    const saved = this.findSaved(messageId);
    if (saved === null) return [];
    const { mid, conversationId } = saved.message;
    const quoting =
      mid === null
        ? []
        : this.selectMessages(
            'WHERE m.reply_to_mid = ? AND m.conversation_id = ? ORDER BY m.rowid',
            mid,
            conversationId,
          );
    return [saved, ...quoting.map((message) => ({ message, conversation: saved.conversation }))];
  }

  hasMid(mid: string): boolean {
    return this.#db.prepare('SELECT 1 FROM messages WHERE mid = ?').get(mid) !== undefined;
  }

  /**
   * Whole messages chosen by `where` (conditions on `m`, the message, and any JOIN before them,
   * with the ORDER BY), in that order.
   */
  selectMessages(where: string, ...params: SQLInputValue[]): Message[] {
    const rows = this.#db.prepare(`${SELECT_MESSAGES} ${where}`).all(...params) as MessageRow[];
    return this.#hydrate(rows);
  }

  /** Newest conversations first. */
  listConversations(options: { cursor?: string; limit: number }): Page<Conversation> {
    const after = decodeCursor(options.cursor, z.string());
    const rows = (
      after
        ? this.#db
            .prepare(
              `${SELECT_CONVERSATIONS} WHERE (last_message_at, id) < (?, ?)
               ORDER BY last_message_at DESC, id DESC LIMIT ?`,
            )
            .all(after.at, after.key, options.limit + 1)
        : this.#db
            .prepare(`${SELECT_CONVERSATIONS} ORDER BY last_message_at DESC, id DESC LIMIT ?`)
            .all(options.limit + 1)
    ) as ConversationRow[];
    const page = pageOf(rows, options.limit, (row) => ({ at: row.last_message_at, key: row.id }));
    return { items: page.rows.map(toConversation), nextCursor: page.nextCursor };
  }

  /** One page of a thread, oldest first within the page; `before` pages further back in time. */
  listMessages(options: { conversationId: string; before?: string; limit: number }): Page<Message> {
    const before = decodeCursor(options.before, z.number().int());
    const rows = (
      before
        ? this.#db
            .prepare(
              `${SELECT_MESSAGES} WHERE m.conversation_id = ? AND (m.at, m.rowid) < (?, ?)
               ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
            )
            .all(options.conversationId, before.at, before.key, options.limit + 1)
        : this.#db
            .prepare(
              `${SELECT_MESSAGES} WHERE m.conversation_id = ? ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
            )
            .all(options.conversationId, options.limit + 1)
    ) as MessageRow[];
    const page = pageOf(rows, options.limit, (row) => ({ at: row.at, key: row.seq }));
    return { items: this.#hydrate(page.rows).reverse(), nextCursor: page.nextCursor };
  }

  /**
   * The conversation's messages with a picture or video (not unsent), older than `before` (a
   * `listMessages` cursor: the oldest message a thread has loaded), a page at a time, oldest first
   * within the page. `total` counts the pictures and videos before `before` in all, so the viewer
   * can say "3 of 40" before it has loaded them.
   */
  listMedia(options: {
    conversationId: string;
    before?: string;
    limit: number;
  }): Page<Message> & { total: number } {
    const before = decodeCursor(options.before, z.number().int());
    const types = JSON.stringify(GALLERY_ATTACHMENT_TYPES);
    const older = before ? 'AND (m.at, m.rowid) < (?, ?)' : '';
    const position = before ? [before.at, before.key] : [];
    const rows = this.#db
      .prepare(
        `${SELECT_MESSAGES} WHERE m.conversation_id = ? AND m.is_deleted = 0 ${older}
         AND EXISTS (SELECT 1 FROM json_each(m.attachments) a WHERE ${IS_GALLERY_ATTACHMENT})
         ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
      )
      .all(options.conversationId, ...position, types, options.limit + 1) as MessageRow[];
    const { n: total } = this.#db
      .prepare(
        `SELECT count(*) AS n FROM messages m, json_each(m.attachments) a
         WHERE m.conversation_id = ? AND m.is_deleted = 0 ${older} AND ${IS_GALLERY_ATTACHMENT}`,
      )
      .get(options.conversationId, ...position, types) as { n: number };
    const page = pageOf(rows, options.limit, (row) => ({ at: row.at, key: row.seq }));
    return { items: this.#hydrate(page.rows).reverse(), nextCursor: page.nextCursor, total };
  }

  /** A message and its conversation that a write inside the same transaction just changed. */
  saved(messageId: string): Saved {
    const message = this.message(messageId);
    return { message, conversation: this.conversation(message.conversationId) };
  }

  /** A message a write inside the same transaction knows exists. */
  message(id: string): Message {
    const message = this.findMessage(id);
    if (!message) throw new Error(`message ${id} vanished inside its own transaction`);
    return message;
  }

  /** A conversation a write inside the same transaction knows exists. */
  conversation(id: string): Conversation {
    const conversation = this.findConversation(id);
    if (!conversation) throw new Error(`conversation ${id} vanished inside its own transaction`);
    return conversation;
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
    const quotedIds = rows.flatMap((row) => (row.reply_to_id === null ? [] : [row.reply_to_id]));
    const archived = this.#archivedMedia([...rows.map((row) => row.id), ...quotedIds]);
    return rows.map((row) => {
      const message = withArchivedQuote(
        toMessage(row, row.mid === null ? [] : (byMid.get(row.mid) ?? [])),
        archived,
      );
      const files = archived.get(row.id);
      if (!files) return message;
      const attachments = message.attachments.map((attachment, idx) => {
        const file = files.get(idx);
        return file === undefined
          ? attachment
          : { ...attachment, archivedUrl: `${ARCHIVED_MEDIA_PATH}${file}` };
      });
      const storyFile = files.get(STORY_IDX);
      const story =
        message.story === null || storyFile === undefined
          ? message.story
          : { ...message.story, archivedUrl: `${ARCHIVED_MEDIA_PATH}${storyFile}` };
      return { ...message, attachments, story };
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
}

/** The quote's thumbnail from Inlet's copy of the quoted message's media, when it has one. */
function withArchivedQuote(message: Message, archived: Map<string, Map<number, string>>): Message {
  const quoted = message.replyTo;
  if (quoted?.attachment == null || quoted.messageId === null) return message;
  // A story's picture is kept under STORY_IDX; the first attachment under index 0.
  const file = archived
    .get(quoted.messageId)
    ?.get(quoted.attachment.type === 'story_mention' ? STORY_IDX : 0);
  if (file === undefined) return message;
  return {
    ...message,
    replyTo: {
      ...quoted,
      attachment: { ...quoted.attachment, archivedUrl: `${ARCHIVED_MEDIA_PATH}${file}` },
    },
  };
}
