import { randomUUID } from 'node:crypto';
import { conversationIdOf } from '../../../shared/domain/schemas';
import type {
  EditEvent,
  MessageEvent,
  ReactionEvent,
  SeenEvent,
  UnsendEvent,
} from '../webhook/webhook-events';
import { transaction, type Database } from './database';
import type { Delivered } from './delivery-journal';
import type { InboxQueries, Saved } from './inbox-queries';
import { previewOf } from './preview';

export type IncomingMessage = Omit<MessageEvent, 'kind'> & {
  /** An echo of a message sent from the Instagram app (or another tool), not by Inlet. */
  isFromOtherApp: boolean;
  deliveryId: number | null;
};

type MidRow = {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  at: number;
  text: string | null;
  edit_count: number;
};

/**
 * Messages and the events about them that Instagram reports (webhooks, catch-up): each stored once,
 * whatever order they arrive in. Events that point at a message not archived yet are kept and
 * applied when it arrives (docs/platform.md#delivery). Each method is one short transaction.
 */
export class InboundStore {
  readonly #db: Database;
  readonly #queries: InboxQueries;

  constructor(db: Database, queries: InboxQueries) {
    this.#db = db;
    this.#queries = queries;
  }

  /**
   * Stores a message from a webhook. Idempotent by `mid`: a retried or duplicated delivery, or the
   * echo of a message Inlet sent itself, returns null and changes nothing. Edits, unsends,
   * reactions and reads that arrived before the message (docs/platform.md#delivery) are applied to
   * it here.
   */
  saveMessage(incoming: IncomingMessage): Saved | null {
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
      this.applyPending(incoming.mid);
      return this.#queries.saved(id);
    });
  }

  /**
   * Records a `message_edit` (deduplicated by mid + num_edit, docs/platform.md#webhook-fields).
   * Returns the edited message, or null when the edit is a duplicate or its message is not archived
   * yet (it is applied on arrival).
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
      return this.#queries.saved(after.id);
    });
  }

  /**
   * Records that the customer unsent `mid` (docs/platform.md#messages-field); null when a duplicate
   * or not archived yet.
   */
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
      return this.#queries.saved(row.id);
    });
  }

  /**
   * Sets or clears one person's reaction on `mid`: one per person, the newest event wins whatever
   * order they arrive in (docs/platform.md#delivery, docs/platform.md#other-messaging-fields). Null
   * when nothing visible changed or the message is unknown.
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
      return row ? this.#queries.saved(row.id) : null;
    });
  }

  /**
   * Records a read receipt (deduplicated by mid, docs/platform.md#webhook-fields) and moves the
   * conversation's watermark. Returns every outgoing message that became seen (none when the mid is
   * not archived yet).
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
      return this.#applyReadReceipt(seen.mid).map((id) => this.#queries.saved(id));
    });
  }

  /**
   * Applies everything stored for `mid` before its message was archived
   * (docs/platform.md#delivery): on arrival, and when Graph's answer gives one of Inlet's own
   * messages its mid.
   */
  applyPending(mid: string): void {
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
    // Deliveries arrive out of order (docs/platform.md#delivery): only a newer message moves the
    // preview.
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

  /**
   * The current text is the newest edit that carries text, else the original: the observed
   * `num_edit: 0` edit without text must not blank the message
   * (docs/platform.md#other-messaging-fields).
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

  /**
   * Moves the read watermark to the message `mid` names, if both are archived; returns ids marked.
   */
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
   * Marks sent outgoing messages at or before the watermark as seen
   * (docs/platform.md#other-messaging-fields: "mark all outbound messages with timestamp ≤ that
   * message's timestamp"), each with the earliest receipt covering it, so the result does not
   * depend on the order receipts arrived in. Only messages the new receipt can change are looked
   * at: not yet seen, or seen later than `receiptAt`; or just
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
    const message = this.#queries.message(messageId);
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
}
