import {
  SNIPPET_MATCH_END,
  SNIPPET_MATCH_START,
  type SearchHit,
} from '../../../shared/ipc/search-contract';
import type { StatementSync } from 'node:sqlite';
import type { Database } from './database';

type HitRow = {
  rid: number;
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  at: number;
  snippet: string;
  customer_username: string | null;
  customer_name: string | null;
  customer_id: string;
};

type Newest = { rid: number; at: number };

/**
 * How many of the most recently active conversations the fast path looks at before it falls back
 * to sorting every match (see #newest).
 */
const WINDOWS = [128, 2048] as const;
/** Up to this many matches, sorting them all is cheaper than any window (~1 ms). */
const FEW_MATCHES = 2000;

/** What the owner typed, as words: split at spaces and quotes, kept if a letter or digit is in them. */
function queryWords(input: string): string[] {
  return input
    .split(/[\s"]+/u)
    .map((word) => word.trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/**
 * Turns what the owner typed into an FTS5 query: every word must match, each as a prefix
 * ("sneak" finds "sneakers"). Words are quoted, so FTS5 syntax (AND, NEAR, *, :, quotes) in the
 * input is searched for literally instead of failing or changing the query. Null when nothing is
 * left to search for.
 */
export function toFtsQuery(input: string): string | null {
  const words = queryWords(input);
  if (words.length === 0) return null;
  return words.map((word) => `"${word}"*`).join(' ');
}

/** Shorter words have too many neighbours one typo away to guess which one was meant. */
const FUZZY_MIN_LENGTH = 4;
/** How many near terms stand in for one misspelt word, the closest and most used first. */
const NEAR_TERMS = 8;
/** Above every other character in SQLite's byte order: `prefix + TOP` ends a prefix range. */
const TOP = '\u{10FFFF}';

/**
 * A word as the index stores it (unicode61 with remove_diacritics: lower case, accents gone);
 * null when it is not one plain term (punctuation splits it in the index, so it has no neighbour).
 */
function asIndexTerm(word: string): string | null {
  const term = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return /^[\p{L}\p{N}]+$/u.test(term) ? term : null;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbours, one edit each), by code point; stops counting at `max + 1`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let before: number[] = [];
  let previous = y.map((_, j) => j + 1);
  previous.unshift(0);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    if (Math.min(...current) > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * Full-text search over message text, kept in sync by triggers on `messages` (see MIGRATIONS).
 *
 * A common word matches tens of thousands of messages. Sorting them all by time costs one table
 * look-up per match (~20 ms for 35,000), so the newest are found among the most recently active
 * conversations first, and snippets are made for the returned rows only.
 */
export class SearchStore {
  readonly #fewMatches: StatementSync;
  readonly #walk: StatementSync;
  readonly #boundary: StatementSync;
  readonly #all: StatementSync;
  readonly #details: StatementSync;
  readonly #hasPrefix: StatementSync;
  readonly #termsFrom: StatementSync;
  readonly #names: StatementSync;

  constructor(db: Database) {
    // fts5vocab answers a term range from the index's own term order, without reading the rest.
    this.#hasPrefix = db.prepare(
      'SELECT 1 FROM messages_vocab WHERE term >= ?1 AND term < ?1 || ?2 LIMIT 1',
    );
    this.#termsFrom = db.prepare(
      'SELECT term, doc FROM messages_vocab WHERE term >= ?1 AND term < ?1 || ?2',
    );
    this.#names = db.prepare(
      `SELECT c.id FROM conversations_fts JOIN conversations c ON c.rowid = conversations_fts.rowid
       WHERE conversations_fts MATCH ? ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
    );
    // Counts at most FEW_MATCHES + 1 matches, so a common word costs no more than a rare one.
    this.#fewMatches = db.prepare(
      `SELECT count(*) <= ${FEW_MATCHES} AS few FROM (
         SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT ${FEW_MATCHES + 1}
       )`,
    );
    // The newest matches among the `?2` most recently active conversations: their messages come
    // from the (conversation_id, at) index, each kept if its rowid is in the FTS match set.
    this.#walk = db.prepare(
      `WITH recent AS (
         SELECT id FROM conversations ORDER BY last_message_at DESC, id DESC LIMIT ?2
       )
       SELECT m.rowid AS rid, m.at FROM recent
       CROSS JOIN messages m INDEXED BY messages_thread ON m.conversation_id = recent.id
       WHERE +m.rowid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1)
       ORDER BY m.at DESC, m.rowid DESC LIMIT ?3`,
    );
    // The last-message time of the first conversation outside the window.
    this.#boundary = db.prepare(
      `SELECT last_message_at FROM conversations
       ORDER BY last_message_at DESC, id DESC LIMIT 1 OFFSET ?`,
    );
    this.#all = db.prepare(
      `SELECT m.rowid AS rid, m.at FROM messages_fts
       JOIN messages m ON m.rowid = messages_fts.rowid
       WHERE messages_fts MATCH ? ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
    );
    // Snippets need the FTS cursor; the rowid range lets FTS5 skip to the chosen rows, the IN
    // list (unindexed on purpose: "+") keeps snippet() to them.
    this.#details = db.prepare(
      `SELECT messages_fts.rowid AS rid, m.id, m.conversation_id, m.direction, m.at,
         snippet(messages_fts, 0, ?2, ?3, '…', 12) AS snippet,
         c.customer_username, c.customer_name, c.customer_id
       FROM messages_fts
       JOIN messages m ON m.rowid = messages_fts.rowid
       JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ?1 AND messages_fts.rowid BETWEEN ?4 AND ?5
         AND +messages_fts.rowid IN (SELECT value FROM json_each(?6))`,
    );
  }

  /**
   * Newest matches first; a snippet of about a dozen words around the first match. When nothing
   * matches, a misspelt word ("canda") is searched as its near neighbours in the index ("canada").
   */
  searchMessages(query: string, limit: number): SearchHit[] {
    const exact = toFtsQuery(query);
    if (exact === null) return [];
    const hits = this.#search(exact, limit);
    if (hits.length > 0) return hits;
    const near = this.#nearQuery(queryWords(query));
    return near === null ? [] : this.#search(near, limit);
  }

  /** Conversations whose customer's name or username has every word as a prefix, recent first. */
  searchCustomers(query: string, limit: number): string[] {
    const fts = toFtsQuery(query);
    if (fts === null) return [];
    return (this.#names.all(fts, limit) as { id: string }[]).map((row) => row.id);
  }

  /**
   * The query with each word the index has no term for (not even as a prefix) replaced by the
   * index's terms within one typo (two for longer words) that start with the same letter: a
   * first letter is rarely the mistake, and it keeps the look-up to one slice of the vocabulary.
   * Null when no word has such neighbours.
   */
  #nearQuery(words: string[]): string | null {
    let isChanged = false;
    const parts = words.map((word) => {
      const term = asIndexTerm(word);
      const initial = term?.[Symbol.iterator]().next().value;
      if (term === null || initial === undefined || [...term].length < FUZZY_MIN_LENGTH) {
        return `"${word}"*`;
      }
      if (this.#hasPrefix.get(term, TOP) !== undefined) return `"${word}"*`;
      const max = [...term].length <= 5 ? 1 : 2;
      const near = (this.#termsFrom.all(initial, TOP) as { term: string; doc: number }[])
        .map((row) => ({ ...row, distance: editDistance(term, row.term, max) }))
        .filter((row) => row.distance <= max)
        .sort((a, b) => a.distance - b.distance || b.doc - a.doc)
        .slice(0, NEAR_TERMS);
      if (near.length === 0) return `"${word}"*`;
      isChanged = true;
      return `(${near.map((row) => `"${row.term}"`).join(' OR ')})`;
    });
    // FTS5 takes no implicit AND next to a parenthesised group: say it.
    return isChanged ? parts.join(' AND ') : null;
  }

  #search(fts: string, limit: number): SearchHit[] {
    const newest = this.#newest(fts, limit);
    if (newest.length === 0) return [];
    const rowids = newest.map((row) => row.rid);
    const rows = this.#details.all(
      fts,
      SNIPPET_MATCH_START,
      SNIPPET_MATCH_END,
      Math.min(...rowids),
      Math.max(...rowids),
      JSON.stringify(rowids),
    ) as HitRow[];
    const byRowid = new Map(rows.map((row) => [row.rid, row]));
    return newest.flatMap(({ rid }) => {
      const row = byRowid.get(rid);
      return row === undefined ? [] : [toHit(row)];
    });
  }

  /**
   * Every message with text moves its conversation's last_message_at to at least its own time
   * (context-only rows, which do not, have no text and are not indexed). So once the window's
   * `limit`-th newest match is newer than the first conversation outside the window, nothing
   * outside can outrank it. Otherwise a wider window, then every match; and every match at once
   * when there are few.
   */
  #newest(fts: string, limit: number): Newest[] {
    const { few } = this.#fewMatches.get(fts) as { few: number };
    if (few === 1) return this.#all.all(fts, limit) as Newest[];
    for (const window of WINDOWS) {
      const rows = this.#walk.all(fts, window, limit) as Newest[];
      const outside = this.#boundary.get(window) as { last_message_at: number } | undefined;
      if (outside === undefined) return rows; // the window held every conversation
      const last = rows[limit - 1];
      if (last !== undefined && last.at > outside.last_message_at) return rows;
    }
    return this.#all.all(fts, limit) as Newest[];
  }
}

function toHit(row: HitRow): SearchHit {
  return {
    messageId: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    at: row.at,
    snippet: row.snippet,
    customerUsername: row.customer_username,
    customerName: row.customer_name,
    customerId: row.customer_id,
  };
}
