import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type PrepareOptions, type StatementSync } from 'node:sqlite';
import { withoutFsync } from './without-fsync';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Never edit a
 * shipped migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    -- the exact bytes Meta sent: the only complete history there will ever be (docs/platform.md#no-replay)
    body BLOB NOT NULL,
    processed_at INTEGER,
    error TEXT
  );
  CREATE INDEX deliveries_unprocessed ON deliveries(id) WHERE processed_at IS NULL;

  CREATE TABLE accounts (
    ig_user_id TEXT PRIMARY KEY,
    username TEXT NOT NULL
  );

  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    customer_username TEXT,
    customer_name TEXT,
    last_message_at INTEGER NOT NULL,
    last_message_preview TEXT NOT NULL DEFAULT '',
    last_inbound_at INTEGER,
    unread_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_recent ON conversations(last_message_at DESC, id DESC);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    mid TEXT UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text TEXT,
    attachments TEXT NOT NULL DEFAULT '[]',
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    is_from_other_app INTEGER NOT NULL DEFAULT 0,
    delivery_id INTEGER REFERENCES deliveries(id)
  );
  CREATE INDEX messages_thread ON messages(conversation_id, at);
  CREATE INDEX messages_pending ON messages(status) WHERE status IN ('queued', 'sending');
  `,
  // 2: every event kind of docs/platform.md#webhooks. Events that point at a mid are stored whether
  // or not the message is known yet (deliveries arrive out of order, docs/platform.md#delivery) and
  // applied when it arrives; their primary keys are the deduplication keys of
  // docs/platform.md#webhook-fields.
  `
  ALTER TABLE messages ADD COLUMN original_text TEXT;
  ALTER TABLE messages ADD COLUMN reply_to_mid TEXT;
  ALTER TABLE messages ADD COLUMN story_kind TEXT CHECK (story_kind IN ('reply', 'mention'));
  ALTER TABLE messages ADD COLUMN story_url TEXT;
  ALTER TABLE messages ADD COLUMN context TEXT;
  ALTER TABLE messages ADD COLUMN is_unsupported INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN is_standby INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN is_context_only INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN edit_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN is_deleted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN seen_at INTEGER;
  UPDATE messages SET original_text = text;

  -- the read watermark: the time of the newest message the customer has seen, and when (docs/platform.md#other-messaging-fields)
  ALTER TABLE conversations ADD COLUMN seen_up_to INTEGER;
  ALTER TABLE conversations ADD COLUMN seen_at INTEGER;

  CREATE TABLE message_edits (
    mid TEXT NOT NULL,
    num_edit INTEGER NOT NULL,
    text TEXT,
    at INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    delivery_id INTEGER REFERENCES deliveries(id),
    PRIMARY KEY (mid, num_edit)
  );

  CREATE TABLE message_unsends (
    mid TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    delivery_id INTEGER REFERENCES deliveries(id)
  );

  -- one reaction per person per message, the newest wins; emoji NULL = unreacted (docs/platform.md#other-messaging-fields)
  CREATE TABLE reactions (
    mid TEXT NOT NULL,
    reactor TEXT NOT NULL CHECK (reactor IN ('customer', 'business')),
    emoji TEXT,
    at INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    delivery_id INTEGER REFERENCES deliveries(id),
    PRIMARY KEY (mid, reactor)
  );

  CREATE TABLE read_receipts (
    mid TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    delivery_id INTEGER REFERENCES deliveries(id)
  );

  CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('comments', 'live_comments')),
    media_id TEXT,
    media_product_type TEXT,
    from_id TEXT,
    from_username TEXT,
    text TEXT,
    at INTEGER NOT NULL,
    parent_id TEXT,
    is_self INTEGER NOT NULL DEFAULT 0,
    delivery_id INTEGER REFERENCES deliveries(id)
  );
  CREATE INDEX comments_media ON comments(account_id, media_id, at);
  `,
  // 3: the owner's triage state, private notes, saved replies, and full-text search.
  `
  CREATE TABLE conversation_triage (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations(id),
    done_at INTEGER,
    snoozed_until INTEGER,
    -- messages.rowid of the newest message when done/snooze was set: a customer message stored
    -- after it reopens the conversation (rowids, not timestamps, so clock skew cannot hide one)
    settled_seq INTEGER,
    labels TEXT NOT NULL DEFAULT '[]'
  );

  -- notes belong to the customer (an IGSID is scoped to one account), not to a thread
  CREATE TABLE customer_notes (
    account_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, customer_id)
  );

  -- rowid = messages.rowid. remove_diacritics 2 makes "tenis" find "tênis" (pt-BR, es, de users).
  -- Unsent messages leave the index: their content is hidden everywhere else too.
  CREATE VIRTUAL TABLE messages_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO messages_fts (rowid, text)
    SELECT rowid, text FROM messages WHERE text IS NOT NULL AND is_deleted = 0;
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
    WHEN new.text IS NOT NULL AND new.is_deleted = 0
  BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, is_deleted ON messages
  BEGIN
    DELETE FROM messages_fts WHERE rowid = old.rowid;
    INSERT INTO messages_fts (rowid, text)
      SELECT new.rowid, new.text WHERE new.text IS NOT NULL AND new.is_deleted = 0;
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
  BEGIN
    DELETE FROM messages_fts WHERE rowid = old.rowid;
  END;

  -- canned answers the owner inserts with "/" in the composer; variables are filled on insert
  CREATE TABLE saved_replies (
    id INTEGER PRIMARY KEY,
    shortcut TEXT NOT NULL UNIQUE COLLATE NOCASE,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 4: an outgoing message remembers how it must be sent, so a retry after a restart sends
  // it the same way (the HUMAN_AGENT tag of docs/platform.md#reply-windows; reply_to_mid already
  // exists).
  `
  ALTER TABLE messages ADD COLUMN send_tag TEXT CHECK (send_tag IN ('HUMAN_AGENT'));
  `,
  // 5: media archived on arrival: Instagram's CDN links expire, so each attachment of a
  // message is downloaded once into the data folder. The attachment JSON keeps the original URL;
  // this table says whether Inlet holds its own copy, or why not.
  `
  CREATE TABLE media (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    url TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'failed')),
    file TEXT UNIQUE,
    content_type TEXT,
    size INTEGER,
    error TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, idx)
  );
  CREATE INDEX media_pending ON media(updated_at) WHERE state = 'pending';
  `,
  // 6: the one private reply a comment allows (docs/platform.md#private-replies), so Inlet never
  // offers a second; or Instagram's refusal (already used elsewhere, expired), so it does not offer
  // it again.
  `
  ALTER TABLE comments ADD COLUMN private_reply_at INTEGER;
  ALTER TABLE comments ADD COLUMN private_reply_mid TEXT;
  ALTER TABLE comments ADD COLUMN private_reply_recipient_id TEXT;
  ALTER TABLE comments ADD COLUMN private_reply_refusal TEXT;
  CREATE INDEX comments_recent ON comments(account_id, at DESC);
  `,
  // 7: a failed or held send's reason as a stable key (and its variables, JSON) next to the
  // English `error`, so the renderer can show it in the owner's language.
  `
  ALTER TABLE messages ADD COLUMN error_key TEXT;
  ALTER TABLE messages ADD COLUMN error_vars TEXT;
  `,
  // 8: the listener's own record for developers (main/core/deliveries): how fast each stored
  // delivery was acknowledged, bodies pruned to save space (the row stays: messages point at it),
  // what forwarding them to a developer's handler came to, and requests refused before
  // processing, in a ring the trigger keeps at 500 rows whatever arrives (REFUSED_RING_SIZE).
  `
  ALTER TABLE deliveries ADD COLUMN answer_ms INTEGER;
  ALTER TABLE deliveries ADD COLUMN pruned_at INTEGER;
  CREATE TABLE refused_requests (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    status INTEGER NOT NULL,
    reason TEXT NOT NULL,
    signature TEXT NOT NULL CHECK (signature IN ('valid', 'wrong', 'missing', 'unchecked')),
    headers TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    body BLOB NOT NULL,
    answer_ms INTEGER NOT NULL
  );
  -- the newest result of forwarding a delivery to each of the developer's handlers
  CREATE TABLE delivery_forwards (
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
    target TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    attempts INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, target)
  );
  CREATE TRIGGER refused_requests_ring AFTER INSERT ON refused_requests BEGIN
    DELETE FROM refused_requests WHERE id <= NEW.id - 500;
  END;
  `,
  // 9: search finds customers by name and username ("tom" finds Tom's conversation), and a typo
  // by its near neighbours in the messages' vocabulary (fts5vocab reads the index itself, so it
  // needs no upkeep); undelivered sends are found per conversation.
  `
  CREATE VIRTUAL TABLE conversations_fts USING fts5(
    name, username, tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO conversations_fts (rowid, name, username)
    SELECT rowid, customer_name, customer_username FROM conversations;
  CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations
  BEGIN
    INSERT INTO conversations_fts (rowid, name, username)
      VALUES (new.rowid, new.customer_name, new.customer_username);
  END;
  CREATE TRIGGER conversations_fts_update AFTER UPDATE OF customer_name, customer_username
    ON conversations
  BEGIN
    DELETE FROM conversations_fts WHERE rowid = old.rowid;
    INSERT INTO conversations_fts (rowid, name, username)
      VALUES (new.rowid, new.customer_name, new.customer_username);
  END;
  CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations
  BEGIN
    DELETE FROM conversations_fts WHERE rowid = old.rowid;
  END;
  CREATE VIRTUAL TABLE messages_vocab USING fts5vocab(messages_fts, 'row');
  -- the conversation list marks conversations with a failed or held send (inbox-queries.ts)
  CREATE INDEX messages_undelivered ON messages(conversation_id, status)
    WHERE direction = 'out' AND status IN ('failed', 'queued');
  `,
  // 10: pictures archived like media, for things other than messages: Instagram's profile_pic and
  // profile_picture_url links expire within days (docs/platform.md#user-profile), and so do the
  // pictures of posts (docs/platform.md#media-node), so the UI shows Inlet's own copy. One row per
  // customer (owner_id = the conversation id, an IGSID being scoped to one account), connected
  // account (owner_id = its IG user id) or post (owner_id = its media id): the link Instagram gave
  // last, and the file of the newest copy Inlet holds (kept while a newer link fails to download;
  // `error` says why).
  // Quotes show the quoted message's media: once it is archived, the quotes of it are found
  // through messages_quoting (inbox-queries.ts savedWithQuotes).
  `
  CREATE INDEX messages_quoting ON messages(reply_to_mid) WHERE reply_to_mid IS NOT NULL;
  CREATE TABLE pictures (
    owner_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    file TEXT UNIQUE,
    content_type TEXT,
    size INTEGER,
    error TEXT,
    updated_at INTEGER NOT NULL
  );
  `,
  // 11: the business's posts and reels that comments are on, as Instagram described them
  // (docs/platform.md#media-node): the comments view shows their caption and picture (the picture
  // in `pictures`, under the media id).
  `
  CREATE TABLE posts (
    media_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('known', 'failed')),
    media_type TEXT,
    caption TEXT,
    permalink TEXT,
    picture_url TEXT,
    error TEXT,
    fetched_at INTEGER NOT NULL
  );
  `,
];

export type Database = DatabaseSync;

/**
 * Opens (creating if needed) the archive. WAL keeps readers off the writer's back; synchronous=FULL
 * makes every commit survive power loss, because a webhook is acknowledged only after its commit.
 */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = reusingStatements(new DatabaseSync(path));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
  db.exec('PRAGMA busy_timeout = 5000;');
  migrate(db);
  return db;
}

/**
 * Start-up runs prepareArchive (archive-file.ts) first, which backs the archive up before this
 * changes it.
 */
function migrate(db: Database): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  if (row.user_version > MIGRATIONS.length) {
    throw new Error(
      `The archive was written by a newer Inlet (schema ${row.user_version}, this build knows ${MIGRATIONS.length}). Update Inlet.`,
    );
  }
  for (let version = row.user_version; version < MIGRATIONS.length; version += 1) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

/** More distinct statements than the code has: SQL built with values in it must not grow the cache. */
const MAX_STATEMENTS = 500;

/**
 * Compiles each statement once per connection: the stores call `prepare` on every use, and a burst
 * of deliveries spent more time compiling the same few statements than running them.
 * Safe because every use runs a statement to completion (`run`, `get`, `all`; never a pending
 * `iterate`) on the one thread that owns the connection.
 */
function reusingStatements(db: DatabaseSync): DatabaseSync {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, StatementSync>();
  db.prepare = (sql: string, options?: PrepareOptions) => {
    if (options !== undefined) return compile(sql, options); // settings would stick to a shared one
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statement = compile(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return db;
}

/**
 * Runs `work` in one transaction (node:sqlite has no helper for it). SQLite may already have
 * rolled back by itself (a full disk does that), so ROLLBACK runs only inside a transaction, and
 * the error that stopped the work is the one thrown, never ROLLBACK's own.
 *
 * Inside a transaction already (a batch of deliveries) `work` runs in a savepoint
 * instead: it still succeeds or fails whole, without ending the transaction around it.
 */
export function transaction<T>(db: Database, work: () => T): T {
  if (wholeSavepoints.has(db)) return work(); // see wholeSavepoint
  if (db.isTransaction) return savepoint(db, work);
  beginImmediate(db, writersWaiting);
  return workThenCommit(db, work);
}

/**
 * As `transaction`, for the thread that serves the UI: while another connection holds the write
 * lock it waits without blocking the event loop (counted among the waiting writers, so processing
 * gives way), and other commands are answered meanwhile. Each try, and `work` with its commit, is
 * synchronous, so the transaction is as atomic as `transaction`'s. With `fsync: false` the commit
 * does not wait for the disk, as `withoutFsync` (only for writes that can be derived again).
 */
export async function transactionWhenFree<T>(
  db: Database,
  work: () => T,
  { fsync = true, timeoutMs = 5000 }: { fsync?: boolean; timeoutMs?: number } = {},
): Promise<T> {
  if (db.isTransaction) return transaction(db, work);
  const once = (): T | typeof LOCK_HELD =>
    tryBeginImmediate(db) ? workThenCommit(db, work) : LOCK_HELD;
  const deadline = Date.now() + timeoutMs;
  let isCounted = false;
  try {
    for (;;) {
      const result = fsync ? once() : withoutFsync(db, once);
      if (result !== LOCK_HELD) return result;
      if (Date.now() > deadline) {
        throw Object.assign(new Error(`database is locked (waited ${timeoutMs} ms)`), {
          errcode: 5, // SQLITE_BUSY, as SQLite's own error says it
        });
      }
      if (!isCounted) {
        Atomics.add(writersWaiting, 0, 1);
        isCounted = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    if (isCounted) {
      Atomics.sub(writersWaiting, 0, 1);
      Atomics.notify(writersWaiting, 0);
    }
  }
}

const LOCK_HELD = Symbol('the write lock is held by another connection');

/** BEGIN IMMEDIATE if the write lock is free now; false if another connection holds it. */
function tryBeginImmediate(db: Database): boolean {
  db.exec('PRAGMA busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (error) {
    if ((((error as { errcode?: number }).errcode ?? 0) & 0xff) === 5) return false; // SQLITE_BUSY
    throw error;
  } finally {
    db.exec('PRAGMA busy_timeout = 5000');
  }
}

/** In a transaction just begun: `work`, then COMMIT, or ROLLBACK and its error. */
function workThenCommit<T>(db: Database, work: () => T): T {
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollBack(db);
    throw error;
  }
}

/**
 * How many writers of this process are waiting for the archive's write lock now. Each thread starts
 * with a count of its own; worker threads join the main thread's (`joinWriteWaits`), so that
 * processing, which holds the lock longest, can give way to the others (`otherWritersWaiting`).
 */
let writersWaiting: Int32Array<SharedArrayBuffer> = new Int32Array(new SharedArrayBuffer(4));

/** This thread's count of waiting writers, for a worker thread to join. */
export const writeWaitsBuffer = (): SharedArrayBuffer => writersWaiting.buffer;

/** Makes this (worker) thread count its waiting writers with the thread that started it. */
export function joinWriteWaits(buffer: SharedArrayBuffer): void {
  writersWaiting = new Int32Array(buffer);
}

/** Whether a writer of this process waits for the write lock now (one holding it never does). */
export const otherWritersWaiting = (): boolean => Atomics.load(writersWaiting, 0) > 0;

/** Resolves once no writer of this process waits for the write lock, or after `maxMs`. */
export async function afterWaitingWriters(maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const waiting = Atomics.load(writersWaiting, 0);
    const left = deadline - performance.now();
    if (waiting === 0 || left <= 0) return;
    const { async, value } = Atomics.waitAsync(writersWaiting, 0, waiting, left);
    if (async) await value;
  }
}

/**
 * BEGIN IMMEDIATE, waiting for another connection's write lock in steps of 0.1 ms. SQLite's own
 * busy handler sleeps 1, 2, 5, 10… ms between tries, far longer than any writer here holds the
 * lock (one batch, one fsync): under a burst the webhook's commits on the writer thread and
 * processing on the main thread took turns at that pace, and every ack waited. While it waits it
 * is counted in `waiting` (see `writersWaiting`).
 * Self-contained: the DeliveryWriter's worker runs its source too.
 */
export function beginImmediate(db: Database, waiting: Int32Array | null, timeoutMs = 5000): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  let isCounted = false;
  db.exec('PRAGMA busy_timeout = 0');
  try {
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        const code = (error as { errcode?: number }).errcode ?? 0;
        if ((code & 0xff) !== 5 || Date.now() > deadline) throw error; // 5: SQLITE_BUSY
        if (waiting && !isCounted) {
          Atomics.add(waiting, 0, 1);
          isCounted = true;
        }
        Atomics.wait(pause, 0, 0, 0.1);
      }
    }
  } finally {
    if (waiting && isCounted) {
      Atomics.sub(waiting, 0, 1);
      Atomics.notify(waiting, 0);
    }
    db.exec('PRAGMA busy_timeout = 5000'); // as openDatabase and the writer's worker set it
  }
}

/** Connections running the work of a `wholeSavepoint` now. */
const wholeSavepoints = new WeakSet<Database>();

/**
 * Runs `work` in a savepoint of the open transaction, and every `transaction` it opens straight in
 * that savepoint instead of one of its own: a savepoint costs SQLite work for each page written
 * inside it, and the nested ones of each store call cost a sixth of processing a delivery
 * (measured). Only for work none of whose errors is caught inside it: such an error would leave
 * the writes its transaction made before it threw, where a savepoint of its own undid them.
 */
export function wholeSavepoint<T>(db: Database, work: () => T): T {
  if (!db.isTransaction || wholeSavepoints.has(db)) return transaction(db, work);
  return savepoint(db, () => {
    wholeSavepoints.add(db);
    try {
      return work();
    } finally {
      wholeSavepoints.delete(db);
    }
  });
}

function savepoint<T>(db: Database, work: () => T): T {
  db.exec('SAVEPOINT work');
  try {
    const result = work();
    db.exec('RELEASE work');
    return result;
  } catch (error) {
    if (db.isTransaction) {
      try {
        db.exec('ROLLBACK TO work');
        db.exec('RELEASE work');
      } catch {
        // As in rollBack: the error that stopped the work is the one to report.
      }
    }
    throw error;
  }
}

export function rollBack(db: Database): void {
  if (!db.isTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // The connection gives the transaction up anyway; the caller's error says why it failed.
  }
}
