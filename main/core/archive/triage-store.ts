import { z } from 'zod';
import type { Triage } from '../../../shared/ipc/triage-contract';
import { transaction, type Database } from './database';
import { parseJsonOrNull } from './json-text';

type TriageRow = {
  conversation_id: string;
  done_at: number | null;
  snoozed_until: number | null;
  labels: string | null;
  note: string | null;
};

const LabelsColumnSchema = z.array(z.string()).catch([]);

function toTriage(row: TriageRow): Triage {
  return {
    conversationId: row.conversation_id,
    doneAt: row.done_at,
    snoozedUntil: row.snoozed_until,
    labels: LabelsColumnSchema.parse(parseJsonOrNull(row.labels)),
    note: row.note ?? '',
  };
}

/** Every conversation joined with its triage row and its customer's note (either may be missing). */
const SELECT_TRIAGE = `SELECT c.id AS conversation_id, t.done_at, t.snoozed_until,
    t.labels, n.text AS note
  FROM conversations c
  LEFT JOIN conversation_triage t ON t.conversation_id = c.id
  LEFT JOIN customer_notes n ON n.account_id = c.account_id AND n.customer_id = c.customer_id`;

/**
 * The owner's triage state: done, snoozed, labels, and private notes per customer. Lives beside
 * the archive's tables in the same database; every method is one short statement or transaction.
 * Methods return null for a conversation the archive does not know.
 */
export class TriageStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Conversations with any state; the rest are open, unlabelled and have no note. */
  list(): Triage[] {
    const rows = this.#db
      .prepare(
        `${SELECT_TRIAGE} WHERE t.conversation_id IS NOT NULL OR n.text IS NOT NULL ORDER BY c.id`,
      )
      .all() as TriageRow[];
    return rows.map(toTriage);
  }

  get(conversationId: string): Triage | null {
    const row = this.#db.prepare(`${SELECT_TRIAGE} WHERE c.id = ?`).get(conversationId) as
      TriageRow | undefined;
    return row ? toTriage(row) : null;
  }

  /** Done clears a snooze (the conversation is dealt with); open clears both. */
  setDone(conversationId: string, isDone: boolean, now: number): Triage | null {
    return this.#update(conversationId, () =>
      this.#db
        .prepare(
          `UPDATE conversation_triage SET done_at = ?, snoozed_until = NULL, settled_seq = ?
           WHERE conversation_id = ?`,
        )
        .run(isDone ? now : null, this.#newestSeq(conversationId), conversationId),
    );
  }

  /** Snoozing takes a conversation out of done: it is coming back. */
  snooze(conversationId: string, until: number | null): Triage | null {
    return this.#update(conversationId, () =>
      this.#db
        .prepare(
          `UPDATE conversation_triage SET snoozed_until = ?, settled_seq = ?, done_at = NULL
           WHERE conversation_id = ?`,
        )
        .run(until, this.#newestSeq(conversationId), conversationId),
    );
  }

  /** Stores the labels trimmed, de-duplicated case-insensitively, in the order given. */
  setLabels(conversationId: string, labels: readonly string[]): Triage | null {
    const seen = new Set<string>();
    const unique = labels
      .map((label) => label.trim())
      .filter((label) => {
        const key = label.toLocaleLowerCase();
        if (label === '' || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    return this.#update(conversationId, () =>
      this.#db
        .prepare('UPDATE conversation_triage SET labels = ? WHERE conversation_id = ?')
        .run(JSON.stringify(unique), conversationId),
    );
  }

  /** An empty note deletes it. */
  setNote(conversationId: string, note: string, now: number): Triage | null {
    const owner = this.#db
      .prepare('SELECT account_id, customer_id FROM conversations WHERE id = ?')
      .get(conversationId) as { account_id: string; customer_id: string } | undefined;
    if (!owner) return null;
    if (note.trim() === '') {
      this.#db
        .prepare('DELETE FROM customer_notes WHERE account_id = ? AND customer_id = ?')
        .run(owner.account_id, owner.customer_id);
    } else {
      this.#db
        .prepare(
          `INSERT INTO customer_notes (account_id, customer_id, text, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_id, customer_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
        )
        .run(owner.account_id, owner.customer_id, note, now);
    }
    return this.get(conversationId);
  }

  /**
   * A customer message stored after the conversation was marked done or snoozed brings it back
   * (an edit or reaction to an older message does not). Returns the new state, or null when
   * nothing changed.
   */
  reopenForMessage(messageId: string): Triage | null {
    // Read first: almost every message is in a conversation that is neither done nor snoozed, and
    // a read needs no write lock, which the processing thread holds for a batch at a time.
    const message = this.#db
      .prepare(
        `SELECT m.rowid AS seq, m.conversation_id FROM messages m
           JOIN conversation_triage t ON t.conversation_id = m.conversation_id
         WHERE m.id = ? AND m.direction = 'in'
           AND (t.done_at IS NOT NULL OR t.snoozed_until IS NOT NULL)
           AND coalesce(t.settled_seq, 0) < m.rowid`,
      )
      .get(messageId) as { seq: number; conversation_id: string } | undefined;
    if (!message) return null;
    const result = this.#db
      .prepare(
        `UPDATE conversation_triage SET done_at = NULL, snoozed_until = NULL, settled_seq = NULL
         WHERE conversation_id = ? AND (done_at IS NOT NULL OR snoozed_until IS NOT NULL)
           AND coalesce(settled_seq, 0) < ?`,
      )
      .run(message.conversation_id, message.seq);
    return result.changes > 0 ? this.get(message.conversation_id) : null;
  }

  #newestSeq(conversationId: string): number {
    const row = this.#db
      .prepare('SELECT max(rowid) AS seq FROM messages WHERE conversation_id = ?')
      .get(conversationId) as { seq: number | null };
    return row.seq ?? 0;
  }

  #update(conversationId: string, write: () => unknown): Triage | null {
    return transaction(this.#db, () => {
      const exists = this.#db
        .prepare('SELECT 1 FROM conversations WHERE id = ?')
        .get(conversationId);
      if (!exists) return null;
      this.#db
        .prepare('INSERT OR IGNORE INTO conversation_triage (conversation_id) VALUES (?)')
        .run(conversationId);
      write();
      return this.get(conversationId);
    });
  }
}
