import type { StoredDelivery } from '../archive/delivery-journal';
import type { ThreadLogLine } from '../worker-thread';
import type { ProcessingEffect } from './delivery-processor';

/**
 * What the UI thread and the processing thread (processing-worker.ts) tell each other. Types only:
 * both sides import them, neither imports the other's code.
 */

export type ProcessingData = {
  /** The archive to process, through a connection of the thread's own (migrations have run). */
  databasePath: string;
  /** The accounts Inlet is connected to; pushed again whenever they change. */
  accounts: readonly string[];
  queueLimit?: number;
  /** The process's count of writers waiting for the archive's write lock (database.ts). */
  writeWaits: SharedArrayBuffer;
};

export type ToProcessing =
  /** Deliveries the receiver stored, in order; their bodies are in the journal. */
  | { kind: 'stored'; ids: number[] }
  | { kind: 'accounts'; accounts: readonly string[] }
  /** Process what the journal holds unprocessed, then answer `done` with the same `ask`. */
  | { kind: 'process-pending'; ask: number }
  /** Answer `done` once everything announced so far is processed. */
  | { kind: 'idle'; ask: number }
  /** The UI thread finished a delivery handed over to it. */
  | { kind: 'handed-back'; id: number }
  /** Finish what is in hand and end. */
  | { kind: 'stop' };

export type FromProcessing =
  | { kind: 'effects'; effects: ProcessingEffect[] }
  /** A delivery ordered after sends, or for an account this thread does not know. */
  | { kind: 'hand-off'; delivery: StoredDelivery }
  | { kind: 'done'; ask: number }
  | ThreadLogLine;
