import { Worker } from 'node:worker_threads';

type Request = { id: number; items: readonly { body: Uint8Array; receivedAt: number }[] };
type Response = { id: number; ids?: number[]; error?: string };

/**
 * The worker's whole program. Kept as source text (an eval worker) so that it needs no bundle entry
 * of its own in the Electron build. It writes through its own SQLite connection with the same
 * pragmas as `openDatabase` (WAL, synchronous=FULL): the migrations have already run in the main
 * thread, which opened the archive first.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
const insert = db.prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)');
parentPort.on('message', ({ id, items }) => {
  if (id === -1) { db.close(); parentPort.close(); return; }
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const ids = items.map((item) => Number(insert.run(item.receivedAt, item.body).lastInsertRowid));
      db.exec('COMMIT');
      parentPort.postMessage({ id, ids });
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
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
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: databasePath } });
    this.#worker.on('message', (response: Response) => {
      const waiter = this.#waiting.get(response.id);
      if (!waiter) return;
      this.#waiting.delete(response.id);
      if (response.ids) waiter.resolve(response.ids);
      else
        waiter.reject(
          new Error(`could not store deliveries: ${response.error ?? 'unknown error'}`),
        );
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

  /** Resolves with the new rows' ids, in order, once their transaction has committed. */
  write(items: readonly { body: Uint8Array; receivedAt: number }[]): Promise<number[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, items } satisfies Request);
    });
  }

  /** Lets writes already sent finish, then closes the worker's connection. */
  async close(): Promise<void> {
    if (this.#failure) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage({ id: -1, items: [] } satisfies Request);
    await exited;
  }
}
