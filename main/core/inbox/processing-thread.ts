import { Worker } from 'node:worker_threads';
import type { StoredDelivery } from '../archive/delivery-journal';
import type { Logger } from '../ports';
import { writeWaitsBuffer } from '../archive/database';
import { workerEntry } from '../worker-thread';
import type { ProcessingEffect } from './delivery-processor';
import type { FromProcessing, ProcessingData, ToProcessing } from './processing-protocol';

export type ProcessingThreadOptions = {
  /** The archive to process (its migrations have run). */
  databasePath: string;
  /** The accounts Inlet is connected to now. */
  accounts: () => readonly string[];
  /** Each commit's effects, in order. */
  onEffects: (effects: ProcessingEffect[]) => void;
  /** Processes, on this thread, a delivery ordered after its sends; resolves when done. */
  processHere: (delivery: StoredDelivery) => Promise<void>;
  logger: Logger;
  queueLimit?: number;
};

/** How long a processing thread that stopped unexpectedly waits before it is started again. */
const RESTART_MS = 500;

/**
 * Processing, run on a worker thread (processing-worker.ts) so that a burst of deliveries never
 * holds the thread that serves the UI: this side starts the thread, announces what the receiver
 * stored, relays the effects of each commit, processes what the thread hands over, and starts the
 * thread again if it dies (what it had not finished is still unprocessed in the journal).
 */
export class ProcessingThread {
  readonly #options: ProcessingThreadOptions;
  #worker: Worker | null = null;
  #stopping = false;
  #restart: ReturnType<typeof setTimeout> | null = null;
  /** Questions waiting for `done`, by number; asked again of a restarted thread. */
  readonly #asks = new Map<number, { resolve: () => void }>();
  #nextAsk = 1;
  /** Ids announced this turn: they go over in one message. */
  #stored: number[] = [];

  constructor(options: ProcessingThreadOptions) {
    this.#options = options;
  }

  /** A delivery the receiver stored. */
  stored(id: number): void {
    if (this.#stored.push(id) === 1) queueMicrotask(() => this.#flushStored());
  }

  accountsChanged(): void {
    this.#post({ kind: 'accounts', accounts: [...this.#options.accounts()] });
  }

  /** Processes what the journal holds unprocessed; starts the thread the first time. */
  processPending(): Promise<void> {
    return this.#ask('process-pending');
  }

  /** Resolves once everything announced so far is processed. */
  idle(): Promise<void> {
    return this.#worker ? this.#ask('idle') : Promise.resolve();
  }

  /** Lets the thread finish what it holds, then ends it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restart) clearTimeout(this.#restart);
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'stop' } satisfies ToProcessing);
    await exited;
  }

  #ask(kind: 'process-pending' | 'idle'): Promise<void> {
    const ask = this.#nextAsk++;
    return new Promise<void>((resolve) => {
      this.#asks.set(ask, { resolve });
      this.#post({ kind, ask });
    });
  }

  #post(message: ToProcessing): void {
    if (this.#stopping) return;
    this.#flushStored(); // what was announced before a question is part of its answer
    (this.#worker ?? this.#spawn()).postMessage(message);
  }

  #flushStored(): void {
    if (this.#stopping || this.#stored.length === 0) return;
    const message: ToProcessing = { kind: 'stored', ids: this.#stored.splice(0) };
    (this.#worker ?? this.#spawn()).postMessage(message);
  }

  #spawn(): Worker {
    const { databasePath, queueLimit, logger } = this.#options;
    const entry = workerEntry('processing');
    const workerData: ProcessingData = {
      databasePath,
      accounts: [...this.#options.accounts()],
      queueLimit,
      writeWaits: writeWaitsBuffer(),
    };
    const worker = new Worker(entry.url, { workerData, execArgv: entry.execArgv });
    this.#worker = worker;
    worker.on('message', (message: FromProcessing) => this.#receive(worker, message));
    worker.on('error', (error) =>
      logger.error('the processing thread failed', { error: String(error) }),
    );
    worker.once('exit', (code) => {
      if (this.#worker === worker) this.#worker = null;
      if (this.#stopping) {
        for (const { resolve } of this.#asks.values()) resolve();
        this.#asks.clear();
        return;
      }
      logger.error('the processing thread stopped; starting it again', { code });
      this.#restart = setTimeout(() => this.#restarted(), RESTART_MS);
    });
    return worker;
  }

  /**
   * A new thread (each begins with what the journal holds unprocessed, so nothing its predecessor
   * left is skipped or overtaken) answers the questions its predecessor could not.
   */
  #restarted(): void {
    this.#restart = null;
    if (this.#stopping) return;
    if (!this.#worker) this.#spawn();
    for (const ask of this.#asks.keys()) this.#post({ kind: 'idle', ask });
  }

  #receive(worker: Worker, message: FromProcessing): void {
    switch (message.kind) {
      case 'effects':
        this.#options.onEffects(message.effects);
        return;
      case 'hand-off': {
        const { id } = message.delivery;
        void this.#options
          .processHere(message.delivery)
          .finally(() => worker.postMessage({ kind: 'handed-back', id } satisfies ToProcessing));
        return;
      }
      case 'done':
        this.#asks.get(message.ask)?.resolve();
        this.#asks.delete(message.ask);
        return;
      case 'log':
        this.#options.logger[message.level](message.message, message.fields);
    }
  }
}
