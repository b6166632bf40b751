import { Worker } from 'node:worker_threads';
import { beginImmediate, writeWaitsBuffer } from './database';

type Item = { body: Uint8Array; receivedAt: number };
/**
 * A write as sent to the worker: the bodies packed back to back in one buffer of their own, which
 * is transferred, not copied. (Cloning a Buffer would copy its whole backing store, often a shared
 * 8 KiB pool slab or the socket's read buffer, for each body.)
 */
type Request = { id: number; bytes: Uint8Array; lengths: number[]; receivedAt: number[] };
/** One message per transaction: the writes it held, with their ids or the error that undid them. */
type Response =
  { done: [id: number, ids: number[]][] } | { failed: number[]; error: string; errcode?: number };

/** Rows per transaction at most when the worker merges queued writes (each write stays whole). */
const MERGE_LIMIT = 1000;

/**
 * How many writes a GroupCommit may have sent to the writer before the first has settled. The
 * worker merges them anyway; a few are enough for the next group to be waiting on the port when a
 * commit ends, instead of the worker idling through a round trip to the main thread.
 */
export const DELIVERY_WRITER_PIPELINE = 4;

/**
 * The worker's whole program. Kept as source text (an eval worker) so that it needs no bundle entry
 * of its own in the Electron build. It writes through its own SQLite connection with the same
 * pragmas as `openDatabase` (WAL, synchronous=FULL): the migrations have already run in the main
 * thread, which opened the archive first.
 *
 * Writes that queued up while the previous transaction was being fsynced are taken off the port
 * synchronously and committed together: one fsync for all of them, without waiting for the main
 * thread to hand over the next group. If that merged transaction fails, each write is retried on
 * its own, so one bad write cannot take other writes down with it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
// Counted with the process's other writers while it waits for the lock (database.ts).
const writeWaits = new Int32Array(workerData.writeWaits);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
const insert = db.prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)');
const beginImmediate = ${beginImmediate.toString()};
function commit(writes) {
  beginImmediate(db, writeWaits);
  try {
    const done = writes.map(({ id, bytes, lengths, receivedAt }) => {
      let offset = 0;
      return [id, lengths.map((length, index) => {
        const body = bytes.subarray(offset, (offset += length));
        return Number(insert.run(receivedAt[index], body).lastInsertRowid);
      })];
    });
    db.exec('COMMIT');
    parentPort.postMessage({ done });
  } catch (error) {
    // As database.ts's rollBack: SQLite may have rolled back already (a full disk does), and
    // the error thrown must stay the one that stopped the commit.
    if (db.isTransaction) try { db.exec('ROLLBACK'); } catch {}
    throw error;
  }
}
function failure(ids, error) {
  return { failed: ids, error: String(error && error.message ? error.message : error), errcode: error && error.errcode };
}
function commitEach(writes) {
  for (const write of writes) {
    try {
      commit([write]);
    } catch (error) {
      parentPort.postMessage(failure([write.id], error));
    }
  }
}
parentPort.on('message', (first) => {
  const writes = [];
  let rows = 0;
  let closing = false;
  for (let request = first; request; ) {
    if (request.id === -1) { closing = true; break; }
    writes.push(request);
    rows += request.lengths.length;
    if (rows >= ${MERGE_LIMIT}) break;
    request = receiveMessageOnPort(parentPort)?.message;
  }
  if (writes.length > 0) {
    try {
      commit(writes);
    } catch (error) {
      if (writes.length > 1) commitEach(writes);
      else parentPort.postMessage(failure([writes[0].id], error));
    }
  }
  if (closing) { db.close(); parentPort.close(); }
});
`;

/**
 * Writes raw webhook bodies on a worker thread. The fsync of each commit then waits there, not on
 * the event loop, so the listener keeps reading (and batching) requests while the previous group
 * is being made durable. Each `write` is one transaction: all rows or none.
 */
export class DeliveryWriter {
  readonly #worker: Worker;
  readonly #waiting = new Map<
    number,
    { resolve: (ids: number[]) => void; reject: (error: Error) => void }
  >();
  #nextId = 0;
  #failure: Error | null = null;

  constructor(databasePath: string) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: databasePath, writeWaits: writeWaitsBuffer() },
    });
    this.#worker.on('message', (response: Response) => {
      if ('done' in response) {
        for (const [id, ids] of response.done) this.#settle(id)?.resolve(ids);
        return;
      }
      // SQLite's result code travels along, so a full disk is still recognised (isDiskFull).
      const error = Object.assign(new Error(`could not store deliveries: ${response.error}`), {
        errcode: response.errcode,
      });
      for (const id of response.failed) this.#settle(id)?.reject(error);
    });
    const fail = (error: Error) => {
      this.#failure = error;
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
    };
    this.#worker.on('error', (error: unknown) =>
      fail(new Error(`delivery writer crashed: ${String(error)}`)),
    );
    this.#worker.on('exit', () => fail(this.#failure ?? new Error('delivery writer stopped')));
  }

  #settle(id: number) {
    const waiter = this.#waiting.get(id);
    this.#waiting.delete(id);
    return waiter;
  }

  /**
   * Resolves with the new rows' ids, in order, once their transaction has committed. Writes may be
   * sent before earlier ones have settled: they are committed in the order sent, all rows of a
   * write in the same transaction.
   */
  write(items: readonly Item[]): Promise<number[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      const lengths = items.map((item) => item.body.byteLength);
      const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0));
      let offset = 0;
      for (const item of items) {
        bytes.set(item.body, offset);
        offset += item.body.byteLength;
      }
      const request: Request = {
        id,
        bytes,
        lengths,
        receivedAt: items.map((item) => item.receivedAt),
      };
      this.#worker.postMessage(request, [bytes.buffer]);
    });
  }

  /** Lets writes already sent finish, then closes the worker's connection. */
  async close(): Promise<void> {
    if (this.#failure) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage({
      id: -1,
      bytes: new Uint8Array(0),
      lengths: [],
      receivedAt: [],
    } satisfies Request);
    await exited;
  }
}
