import type { Database } from '../archive/database';
import { MalformedWebhook, parseWebhook } from '../webhook/parse-webhook';
import type { ForwardResult } from './forwarder';
import type { SignatureResult } from './listener-record';

/**
 * What a developer sees of one request that reached the webhook listener. Verified deliveries have
 * numeric ids (the journal's); refused requests `r<n>` (the ring's), so one id names either.
 */
export type DeliveryRecord = {
  id: string;
  receivedAt: number;
  refused: boolean;
  accountIds: string[];
  /** Accounts the events name that Inlet has not connected (their events were skipped). */
  unknownAccountIds: string[];
  fields: string[];
  kinds: string[];
  signature: SignatureResult;
  /** The HTTP status Inlet answered with, and how long it took (null: not recorded). */
  status: number;
  answerMs: number | null;
  /** understood, not-understood (with reason), pending (not processed yet), refused (with reason). */
  outcome: 'understood' | 'not-understood' | 'pending' | 'refused';
  reason: string | null;
  bytes: number;
  /** The body was pruned to save space (the row stays, so messages still point at it). */
  pruned: boolean;
  changes: { messagesCreated: string[]; messagesUpdated: string[]; comments: string[] };
  /** The stored messages it created or updated, with their conversations: "Open message". */
  messageLinks: { messageId: string; mid: string | null; conversationId: string }[];
  /** What forwarding it to each of the developer's handlers came to (none: not forwarded). */
  forwards: Omit<ForwardResult, 'deliveryId'>[];
};

export type DeliveryFilter = {
  limit?: number;
  accountId?: string;
  kind?: string;
  refused?: boolean;
  signature?: SignatureResult;
  outcome?: DeliveryRecord['outcome'];
  /** Case-insensitive, over the body as received and as decoded (Meta escapes non-ASCII). */
  text?: string;
  /** Only the delivery that created this message (`changes.messagesCreated`), for "View webhook". */
  messageId?: string;
};

export type JournalUsage = {
  verified: { count: number; bytes: number; pruned: number };
  refused: { count: number; bytes: number };
};

type DeliveryRow = {
  id: number;
  received_at: number;
  body: Uint8Array;
  processed_at: number | null;
  error: string | null;
  answer_ms: number | null;
  pruned_at: number | null;
};
type RefusedRow = {
  id: number;
  received_at: number;
  status: number;
  reason: string;
  signature: SignatureResult;
  headers: string;
  bytes: number;
  body: Uint8Array;
  answer_ms: number;
};

const DEFAULT_LIMIT = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The delivery journal and the refused ring, read as a developer needs them. */
export class DeliveryView {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Newest first, verified and refused interleaved (or refused only); filters apply before the limit. */
  list(filter: DeliveryFilter = {}): DeliveryRecord[] {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    if (filter.messageId !== undefined) return this.#creatorOf(filter.messageId);
    const known = this.#knownAccounts();
    const needle = filter.text?.trim().toLowerCase() || null;
    const matches = (record: DeliveryRecord) =>
      (filter.accountId === undefined || record.accountIds.includes(filter.accountId)) &&
      (filter.kind === undefined || record.kinds.includes(filter.kind)) &&
      (filter.signature === undefined || record.signature === filter.signature) &&
      (filter.outcome === undefined || record.outcome === filter.outcome);
    // Checked on the row, before a record (and its changes) is built for it.
    const hasText = (row: { body: Uint8Array }) => needle === null || bodyHas(row.body, needle);
    const verified = filter.refused ? null : this.#rows();
    const refused = this.#refusedRows();
    let nextVerified = verified?.next();
    let nextRefused = refused.next();
    const found: DeliveryRecord[] = [];
    while (found.length < limit) {
      const takeVerified =
        nextVerified &&
        !nextVerified.done &&
        (nextRefused.done || nextVerified.value.received_at >= nextRefused.value.received_at);
      let record: DeliveryRecord | null = null;
      if (takeVerified && nextVerified && !nextVerified.done && verified) {
        if (hasText(nextVerified.value)) record = this.#verified(nextVerified.value, known);
        nextVerified = verified.next();
      } else if (!nextRefused.done) {
        if (hasText(nextRefused.value)) record = this.#refused(nextRefused.value);
        nextRefused = refused.next();
      } else break;
      if (record && matches(record)) found.push(record);
    }
    verified?.return(undefined);
    refused.return(undefined);
    return found;
  }

  /** One delivery with its exact bytes, or null when no such id is kept. */
  get(
    id: string,
  ): { record: DeliveryRecord; body: Uint8Array; headers: Record<string, string> } | null {
    const refused = /^r(\d+)$/.exec(id);
    if (refused) {
      const row = this.#db
        .prepare('SELECT * FROM refused_requests WHERE id = ?')
        .get(Number(refused[1])) as RefusedRow | undefined;
      if (!row) return null;
      const headers = JSON.parse(row.headers) as Record<string, string>;
      return { record: this.#refused(row), body: row.body, headers };
    }
    if (!/^\d+$/.test(id)) return null;
    const row = this.#db.prepare('SELECT * FROM deliveries WHERE id = ?').get(Number(id)) as
      DeliveryRow | undefined;
    if (!row) return null;
    return { record: this.#verified(row, this.#knownAccounts()), body: row.body, headers: {} };
  }

  usage(): JournalUsage {
    const verified = this.#db
      .prepare(
        'SELECT count(*) AS count, coalesce(sum(length(body)), 0) AS bytes, count(pruned_at) AS pruned FROM deliveries',
      )
      .get() as { count: number; bytes: number; pruned: number };
    const refused = this.#db
      .prepare(
        'SELECT count(*) AS count, coalesce(sum(length(body)), 0) AS bytes FROM refused_requests',
      )
      .get() as { count: number; bytes: number };
    return { verified, refused };
  }

  /**
   * Drops the bodies of processed deliveries received more than `days` ago, and refused requests
   * as old. Rows of verified deliveries stay (messages point at them) and unprocessed ones keep
   * their bytes: they are still the only copy of what Meta sent. Messages are never touched.
   */
  prune(days: number, now: number): { bodiesDropped: number; refusedDropped: number } {
    const before = now - days * DAY_MS;
    const bodies = this.#db
      .prepare(
        `UPDATE deliveries SET body = x'', pruned_at = ?
         WHERE received_at < ? AND processed_at IS NOT NULL AND pruned_at IS NULL`,
      )
      .run(now, before);
    const refused = this.#db
      .prepare('DELETE FROM refused_requests WHERE received_at < ?')
      .run(before);
    return { bodiesDropped: Number(bodies.changes), refusedDropped: Number(refused.changes) };
  }

  *#rows(): Generator<DeliveryRow> {
    yield* this.#db
      .prepare('SELECT * FROM deliveries ORDER BY id DESC')
      .iterate() as Iterable<DeliveryRow>;
  }

  *#refusedRows(): Generator<RefusedRow> {
    yield* this.#db
      .prepare('SELECT * FROM refused_requests ORDER BY id DESC')
      .iterate() as Iterable<RefusedRow>;
  }

  #knownAccounts(): Set<string> {
    const rows = this.#db.prepare('SELECT ig_user_id FROM accounts').all() as {
      ig_user_id: string;
    }[];
    return new Set(rows.map((account) => account.ig_user_id));
  }

  #verified(row: DeliveryRow, known: Set<string>): DeliveryRecord {
    const decoded = row.pruned_at === null ? decode(row.body, row.received_at) : null;
    const accountIds = decoded?.accountIds ?? [];
    return {
      id: String(row.id),
      receivedAt: row.received_at,
      refused: false,
      accountIds,
      unknownAccountIds: accountIds.filter((id) => !known.has(id)),
      fields: decoded?.fields ?? [],
      kinds: decoded?.kinds ?? [],
      // Only a signature that checked out gets a delivery into the journal.
      signature: 'valid',
      // Stored means acknowledged: the 200 follows the commit, and a failed commit leaves no row.
      status: 200,
      answerMs: row.answer_ms,
      outcome:
        row.processed_at === null
          ? 'pending'
          : row.error === null
            ? 'understood'
            : 'not-understood',
      reason: row.error,
      bytes: row.body.byteLength,
      pruned: row.pruned_at !== null,
      changes: this.#changes(row.id),
      messageLinks: this.#links(row.id),
      forwards: this.#db
        .prepare(
          'SELECT target, status, error, attempts, at FROM delivery_forwards WHERE delivery_id = ? ORDER BY target',
        )
        .all(row.id) as DeliveryRecord['forwards'],
    };
  }

  #refused(row: RefusedRow): DeliveryRecord {
    return {
      id: `r${row.id}`,
      receivedAt: row.received_at,
      refused: true,
      accountIds: [],
      unknownAccountIds: [],
      fields: [],
      kinds: [],
      signature: row.signature,
      status: row.status,
      answerMs: row.answer_ms,
      outcome: 'refused',
      reason: row.reason,
      bytes: row.bytes,
      pruned: false,
      changes: { messagesCreated: [], messagesUpdated: [], comments: [] },
      messageLinks: [],
      forwards: [],
    };
  }

  /** Looked up directly rather than by scanning the journal: one message has one creator. */
  #creatorOf(messageId: string): DeliveryRecord[] {
    const row = this.#db
      .prepare('SELECT delivery_id AS id FROM messages WHERE id = ? AND delivery_id IS NOT NULL')
      .get(messageId) as { id: number } | undefined;
    const found = row ? this.get(String(row.id)) : null;
    return found ? [found.record] : [];
  }

  #links(deliveryId: number): DeliveryRecord['messageLinks'] {
    return this.#db
      .prepare(
        `SELECT id AS messageId, mid, conversation_id AS conversationId FROM messages WHERE delivery_id = ?1
         UNION SELECT m.id, m.mid, m.conversation_id FROM messages m WHERE m.mid IN (
           SELECT mid FROM message_edits WHERE delivery_id = ?1
           UNION SELECT mid FROM message_unsends WHERE delivery_id = ?1
           UNION SELECT mid FROM reactions WHERE delivery_id = ?1
           UNION SELECT mid FROM read_receipts WHERE delivery_id = ?1)`,
      )
      .all(deliveryId) as DeliveryRecord['messageLinks'];
  }

  #changes(deliveryId: number): DeliveryRecord['changes'] {
    const ids = (sql: string) =>
      (this.#db.prepare(sql).all(deliveryId) as { id: string }[]).map((row) => row.id);
    return {
      messagesCreated: ids('SELECT id FROM messages WHERE delivery_id = ? ORDER BY at'),
      messagesUpdated: [
        ...new Set(
          ids(
            `SELECT mid AS id FROM message_edits WHERE delivery_id = ?1
             UNION ALL SELECT mid FROM message_unsends WHERE delivery_id = ?1
             UNION ALL SELECT mid FROM reactions WHERE delivery_id = ?1
             UNION ALL SELECT mid FROM read_receipts WHERE delivery_id = ?1`,
          ),
        ),
      ],
      comments: ids('SELECT id FROM comments WHERE delivery_id = ?'),
    };
  }
}

/** Whether `needle` (lower case) is in the body as sent, or in its JSON with the escapes undone. */
function bodyHas(body: Uint8Array, needle: string): boolean {
  const text = Buffer.from(body).toString('utf8');
  if (text.toLowerCase().includes(needle)) return true;
  try {
    return JSON.stringify(JSON.parse(text)).toLowerCase().includes(needle);
  } catch {
    return false;
  }
}

/** Accounts, fields and event kinds a body names; null fields when it is not Meta's envelope. */
function decode(
  body: Uint8Array,
  receivedAt: number,
): { accountIds: string[]; fields: string[]; kinds: string[] } | null {
  let events;
  try {
    events = parseWebhook(body, receivedAt);
  } catch (error) {
    if (error instanceof MalformedWebhook) return null;
    throw error;
  }
  const json = JSON.parse(Buffer.from(body).toString('utf8')) as {
    entry?: { changes?: { field?: unknown }[]; messaging?: unknown[]; standby?: unknown[] }[];
  };
  const fields = new Set<string>();
  for (const entry of json.entry ?? []) {
    for (const change of entry.changes ?? [])
      if (typeof change.field === 'string') fields.add(change.field);
    if (entry.messaging) fields.add('messaging');
    if (entry.standby) fields.add('standby');
  }
  const unique = (values: (string | null)[]) => [
    ...new Set(values.filter((value): value is string => value !== null)),
  ];
  return {
    accountIds: unique(events.map((event) => event.accountId)),
    fields: [...fields],
    kinds: unique(events.map((event) => event.kind)),
  };
}
