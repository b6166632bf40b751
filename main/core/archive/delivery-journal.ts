import { transaction, type Database } from './database';

export type StoredDelivery = { id: number; receivedAt: number; body: Uint8Array };

/** An event from a webhook, with the delivery it came in (null: from catch-up or Inlet itself). */
export type Delivered<E> = Omit<E, 'kind'> & { deliveryId: number | null };

/**
 * Every webhook delivery byte for byte, as Meta sent it, and whether it has been processed: the
 * only complete history there will ever be, from which everything else can be derived again.
 */
export class DeliveryJournal {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Durably stores a raw webhook body; returns once it is committed (the ack may follow). */
  store(body: Uint8Array, receivedAt: number): number {
    const result = this.#db
      .prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)')
      .run(receivedAt, body);
    return Number(result.lastInsertRowid);
  }

  /**
   * Stores several raw bodies in one transaction (group commit): all are durable when it returns,
   * or none is and it throws. Ids come back in the order given.
   */
  storeMany(items: readonly { body: Uint8Array; receivedAt: number }[]): number[] {
    return transaction(this.#db, () => {
      const insert = this.#db.prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)');
      return items.map((item) => Number(insert.run(item.receivedAt, item.body).lastInsertRowid));
    });
  }

  unprocessed(): StoredDelivery[] {
    return this.unprocessedAfter(0, -1);
  }

  /**
   * At most `limit` (all when negative) unprocessed deliveries with ids above `afterId`, in order:
   * how processing reads back what it could not hold in memory.
   */
  unprocessedAfter(afterId: number, limit: number): StoredDelivery[] {
    const rows = this.#db
      .prepare(
        'SELECT id, received_at, body FROM deliveries WHERE processed_at IS NULL AND id > ? ORDER BY id LIMIT ?',
      )
      .all(afterId, limit) as { id: number; received_at: number; body: Uint8Array }[];
    return rows.map((row) => ({ id: row.id, receivedAt: row.received_at, body: row.body }));
  }

  markProcessed(id: number, processedAt: number, error: string | null): void {
    this.#db
      .prepare('UPDATE deliveries SET processed_at = ?, error = ? WHERE id = ?')
      .run(processedAt, error, id);
  }

  /**
   * Records why processing a delivery failed and leaves it unprocessed: it is retried later in the
   * run and on every start until it goes through.
   */
  markFailed(id: number, error: string): void {
    this.#db.prepare('UPDATE deliveries SET error = ? WHERE id = ?').run(error, id);
  }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
  }
}
