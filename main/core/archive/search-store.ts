import {
  SNIPPET_MATCH_END,
  SNIPPET_MATCH_START,
  type SearchHit,
} from '../../../shared/ipc/search-contract';
import type { Database } from './database';

type HitRow = {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  at: number;
  snippet: string;
  customer_username: string | null;
  customer_name: string | null;
  customer_id: string;
};

/**
 * Turns what the owner typed into an FTS5 query: every word must match, each as a prefix
 * ("sneak" finds "sneakers"). Words are quoted, so FTS5 syntax (AND, NEAR, *, :, quotes) in the
 * input is searched for literally instead of failing or changing the query. Null when nothing is
 * left to search for.
 */
export function toFtsQuery(input: string): string | null {
  const words = input
    .split(/[\s"]+/u)
    .map((word) => word.trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word) => `"${word}"*`).join(' ');
}

/** Full-text search over message text, kept in sync by triggers on `messages` (see MIGRATIONS). */
export class SearchStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Newest matches first; a snippet of about a dozen words around the first match. */
  searchMessages(query: string, limit: number): SearchHit[] {
    const fts = toFtsQuery(query);
    if (fts === null) return [];
    const rows = this.#db
      .prepare(
        `SELECT m.id, m.conversation_id, m.direction, m.at,
           snippet(messages_fts, 0, ?, ?, '…', 12) AS snippet,
           c.customer_username, c.customer_name, c.customer_id
         FROM messages_fts
         JOIN messages m ON m.rowid = messages_fts.rowid
         JOIN conversations c ON c.id = m.conversation_id
         WHERE messages_fts MATCH ?
         ORDER BY m.at DESC, m.rowid DESC
         LIMIT ?`,
      )
      .all(SNIPPET_MATCH_START, SNIPPET_MATCH_END, fts, limit) as HitRow[];
    return rows.map((row) => ({
      messageId: row.id,
      conversationId: row.conversation_id,
      direction: row.direction,
      at: row.at,
      snippet: row.snippet,
      customerUsername: row.customer_username,
      customerName: row.customer_name,
      customerId: row.customer_id,
    }));
  }
}
