import type { Database } from './database';

/**
 * Runs `work` (synchronous, so nothing else writes on this connection meanwhile) with commits that
 * do not wait for fsync, then restores the connection's setting. Only for writes that can be
 * derived again from something already durable: in WAL mode a power cut then loses at most the
 * newest such commits, in order, never corrupts the archive, and later fsynced commits (on any
 * connection) make them durable too.
 */
export function withoutFsync<T>(db: Database, work: () => T): T {
  // SQLite refuses to change it inside a transaction; the one open (a batch) already chose.
  if (db.isTransaction) return work();
  const { synchronous } = db.prepare('PRAGMA synchronous').get() as { synchronous: number };
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return work();
  } finally {
    db.exec(`PRAGMA synchronous = ${synchronous}`);
  }
}
