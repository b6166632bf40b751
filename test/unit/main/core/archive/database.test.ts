import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  afterWaitingWriters,
  beginImmediate,
  openDatabase,
  otherWritersWaiting,
  transactionWhenFree,
  transaction,
  wholeSavepoint,
  writeWaitsBuffer,
  type Database,
} from '../../../../../main/core/archive/database';

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-db-'));
  db = openDatabase(join(dir, 'archive.sqlite'));
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
});
afterEach(() => {
  if (db.isOpen) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const values = () =>
  (db.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map((row) => row.v);

describe('transaction', () => {
  it('nests as a savepoint: a failing inner unit is undone alone, the outer one commits', () => {
    transaction(db, () => {
      db.prepare('INSERT INTO t VALUES (?)').run('a');
      expect(() =>
        transaction(db, () => {
          db.prepare('INSERT INTO t VALUES (?)').run('b');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      expect(db.isTransaction).toBe(true);
      transaction(db, () => db.prepare('INSERT INTO t VALUES (?)').run('c'));
    });
    expect(values()).toEqual(['a', 'c']);
    expect(db.isTransaction).toBe(false);
  });

  it('undoes everything, inner units included, when the outer one fails', () => {
    expect(() =>
      transaction(db, () => {
        transaction(db, () => db.prepare('INSERT INTO t VALUES (?)').run('a'));
        db.prepare('INSERT INTO t VALUES (?)').run(null); // NOT NULL: the outer work fails
      }),
    ).toThrow();
    expect(values()).toEqual([]);
  });
});

describe('wholeSavepoint', () => {
  const insert = (value: string | null) => db.prepare('INSERT INTO t VALUES (?)').run(value);

  it('undoes its work whole, inner transactions included, and leaves the outer one open', () => {
    transaction(db, () => {
      insert('a');
      expect(() =>
        wholeSavepoint(db, () => {
          transaction(db, () => insert('b'));
          transaction(db, () => insert(null)); // NOT NULL: the whole unit fails
        }),
      ).toThrow();
      expect(db.isTransaction).toBe(true);
      wholeSavepoint(db, () => transaction(db, () => insert('c')));
      // After it, transactions nest as savepoints again.
      expect(() =>
        transaction(db, () => {
          insert('d');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
    });
    expect(values()).toEqual(['a', 'c']);
  });

  it('runs inner transactions without savepoints of their own', () => {
    transaction(db, () =>
      wholeSavepoint(db, () => {
        const savepoints = countSavepoints(() => transaction(db, () => insert('a')));
        expect(savepoints).toBe(0);
      }),
    );
    expect(values()).toEqual(['a']);
  });

  it('outside a transaction, is one', () => {
    wholeSavepoint(db, () => insert('a'));
    expect(values()).toEqual(['a']);
    expect(db.isTransaction).toBe(false);
  });
});

/** How many savepoints `work` opened on `db`. */
function countSavepoints(work: () => void): number {
  const exec = db.exec.bind(db);
  let count = 0;
  db.exec = (sql: string) => {
    if (sql.startsWith('SAVEPOINT')) count += 1;
    exec(sql);
  };
  try {
    work();
  } finally {
    db.exec = exec;
  }
  return count;
}

describe('statements', () => {
  it('are compiled once per connection and give the same answers', () => {
    const first = db.prepare('SELECT v FROM t');
    expect(db.prepare('SELECT v FROM t')).toBe(first);
    db.prepare('INSERT INTO t VALUES (?)').run('x');
    db.prepare('INSERT INTO t VALUES (?)').run('y');
    expect(values()).toEqual(['x', 'y']);
  });

  it('with options, are compiled on their own (settings never stick to a shared one)', () => {
    const plain = db.prepare('SELECT count(*) AS n FROM t');
    const bigints = db.prepare('SELECT count(*) AS n FROM t', { readBigInts: true });
    expect(bigints).not.toBe(plain);
    expect(plain.get()).toEqual({ n: 0 });
  });
});

describe('transactionWhenFree', () => {
  it('waits for the write lock without blocking the event loop, counted as a waiting writer', async () => {
    const holder = openDatabase(join(dir, 'archive.sqlite'));
    try {
      holder.exec('BEGIN IMMEDIATE');
      let ticks = 0;
      const ticker = setInterval(() => (ticks += 1), 1);
      const written = transactionWhenFree(
        db,
        () => db.prepare('INSERT INTO t VALUES (?)').run('x'),
        {
          fsync: false,
        },
      );
      await vi.waitFor(() => expect(ticks).toBeGreaterThan(3)); // the loop went on meanwhile
      expect(otherWritersWaiting()).toBe(true);
      expect(values()).toEqual([]);
      holder.exec('COMMIT');
      await written;
      clearInterval(ticker);
      expect(values()).toEqual(['x']);
      expect(otherWritersWaiting()).toBe(false);
      // The commit skipped the fsync; the connection is back to FULL for everything else.
      expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    } finally {
      holder.close();
    }
  });

  it('gives up after its timeout with a busy error, writing nothing and counting nothing', async () => {
    const holder = openDatabase(join(dir, 'archive.sqlite'));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const insert = () => db.prepare('INSERT INTO t VALUES (?)').run('late');
      await expect(transactionWhenFree(db, insert, { timeoutMs: 30 })).rejects.toMatchObject({
        message: expect.stringMatching(/locked/) as string,
        errcode: 5,
      });
      expect(otherWritersWaiting()).toBe(false);
      holder.exec('COMMIT');
      expect(values()).toEqual([]);
      expect(db.isTransaction).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('rolls the work back whole when it throws', async () => {
    await expect(
      transactionWhenFree(db, () => {
        db.prepare('INSERT INTO t VALUES (?)').run('half');
        throw new Error('broken');
      }),
    ).rejects.toThrow('broken');
    expect(values()).toEqual([]);
    expect(db.isTransaction).toBe(false);
  });
});

describe('beginImmediate', () => {
  it('waits for another connection to release the write lock, then gives up after its timeout', () => {
    const other = openDatabase(join(dir, 'archive.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      expect(() => beginImmediate(db, null, 50)).toThrow(/locked|busy/i);
      expect(Date.now() - started).toBeGreaterThanOrEqual(50);
      other.exec('COMMIT');
      beginImmediate(db, null, 50);
      expect(db.isTransaction).toBe(true);
      db.exec('ROLLBACK');
      // The connection's own busy timeout is back to the default for everything else.
      expect(db.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout: 5000 });
    } finally {
      other.close();
    }
  });

  it('is counted among the waiting writers while it waits, across the threads that joined', async () => {
    const path = join(dir, 'archive.sqlite');
    const holder = openDatabase(path);
    try {
      holder.exec('BEGIN IMMEDIATE');
      // A thread of its own waits for the lock, counted where this thread can see it.
      const waiter = new Worker(
        `const { workerData, parentPort } = require('node:worker_threads');
         const { DatabaseSync } = require('node:sqlite');
         const beginImmediate = ${beginImmediate.toString()};
         const db = new DatabaseSync(workerData.path);
         beginImmediate(db, new Int32Array(workerData.writeWaits));
         db.exec('COMMIT');
         db.close();
         parentPort.postMessage('began');`,
        { eval: true, workerData: { path, writeWaits: writeWaitsBuffer() } },
      );
      const began = once(waiter, 'message');
      await vi.waitFor(() => expect(otherWritersWaiting()).toBe(true));
      holder.exec('COMMIT');
      await afterWaitingWriters(5000);
      expect(otherWritersWaiting()).toBe(false);
      expect(await began).toEqual(['began']);
      await waiter.terminate();
    } finally {
      holder.close();
    }
  });

  it('leaves no count behind for a writer that found the lock free', async () => {
    beginImmediate(db, new Int32Array(writeWaitsBuffer()));
    db.exec('ROLLBACK');
    expect(otherWritersWaiting()).toBe(false);
    await afterWaitingWriters(1000); // resolves at once
  });
});
