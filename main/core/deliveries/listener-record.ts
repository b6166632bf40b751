import { transaction, type Database } from '../archive/database';
import { withoutFsync } from '../archive/without-fsync';
import type { ForwardResult } from './forwarder';

/** The most refused requests kept (the archive's trigger enforces it, migration 8). */
export const REFUSED_RING_SIZE = 500;
/** Bytes of a refused request's body kept: enough to see what was sent, never a way to fill the disk. */
export const REFUSED_BODY_CAP = 16 * 1024;

export type SignatureResult = 'valid' | 'wrong' | 'missing' | 'unchecked';

/** How the listener answered one POST to the webhook path, or what forwarding one came to. */
export type ListenerAnswer =
  | { kind: 'stored'; deliveryId: number; answerMs: number }
  | ({ kind: 'forwarded' } & ForwardResult)
  | {
      kind: 'refused';
      receivedAt: number;
      status: number;
      reason: string;
      signature: SignatureResult;
      headers: Record<string, string>;
      /** Bytes the request said or was seen to carry (the kept body may be shorter). */
      bytes: number;
      body: Uint8Array;
      answerMs: number;
    };

/** Held between flushes at most; a flood beyond it loses its oldest entries, never grows memory. */
const BUFFER_LIMIT = 2 * REFUSED_RING_SIZE;
const FLUSH_DELAY_MS = 1000;

/**
 * Writes the listener's answers to the archive, batched: one small transaction a second at most
 * and without fsync (this is a developer's record, derived from nothing and worth no fsync), so a
 * flood of refused requests costs neither the disk nor the acknowledgements of real deliveries.
 */
export class ListenerRecorder {
  readonly #db: Database;
  #buffer: ListenerAnswer[] = [];
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(db: Database) {
    this.#db = db;
  }

  record(answer: ListenerAnswer): void {
    if (this.#closed) return;
    if (answer.kind === 'refused' && answer.body.byteLength > REFUSED_BODY_CAP)
      answer = { ...answer, body: answer.body.slice(0, REFUSED_BODY_CAP) };
    this.#buffer.push(answer);
    if (this.#buffer.length > BUFFER_LIMIT)
      this.#buffer.splice(0, this.#buffer.length - BUFFER_LIMIT);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes what is buffered; anything recorded later is ignored (the archive is closing). */
  close(): void {
    this.flush();
    this.#closed = true;
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const answers = this.#buffer;
    this.#buffer = [];
    if (answers.length === 0) return;
    withoutFsync(this.#db, () =>
      transaction(this.#db, () => {
        const answered = this.#db.prepare('UPDATE deliveries SET answer_ms = ? WHERE id = ?');
        const refused = this.#db.prepare(
          `INSERT INTO refused_requests (received_at, status, reason, signature, headers, bytes, body, answer_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        const forwarded = this.#db.prepare(
          `INSERT OR REPLACE INTO delivery_forwards (delivery_id, target, status, error, attempts, at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        );
        for (const answer of answers) {
          if (answer.kind === 'stored') answered.run(answer.answerMs, answer.deliveryId);
          else if (answer.kind === 'forwarded')
            forwarded.run(
              answer.deliveryId,
              answer.target,
              answer.status,
              answer.error,
              answer.attempts,
              answer.at,
            );
          else
            refused.run(
              answer.receivedAt,
              answer.status,
              answer.reason,
              answer.signature,
              JSON.stringify(answer.headers),
              answer.bytes,
              answer.body,
              answer.answerMs,
            );
        }
      }),
    );
  }
}
