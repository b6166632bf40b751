import type { ListenerAnswer } from '../deliveries/listener-record';
import type { ThreadLogLine } from '../worker-thread';
import type { PublicListenerLimits } from './webhook-server';

/**
 * What the main thread and the receiver thread (receiver-worker.ts) tell each other. Types only:
 * both sides import them, neither imports the other's code.
 */

/** What the receiver checks requests against; pushed again whenever it changes. */
export type ReceiverSettings = {
  /** In signing order; an empty string never matches. */
  secrets: readonly string[];
  verifyToken: string;
  /** Whether stored deliveries come back with their bytes and headers, for the forwarder. */
  forwarding: boolean;
};

export type ReceiverData = {
  port: number;
  /** The archive the receiver commits deliveries to, through a connection of its own. */
  databasePath: string;
  /** The main thread's loopback listener that serves every public path but the webhook. */
  routesPort: number;
  limits?: Partial<PublicListenerLimits>;
  settings: ReceiverSettings;
  /** The process's count of writers waiting for the archive's write lock (database.ts). */
  writeWaits: SharedArrayBuffer;
};

export type ToReceiver = { kind: 'settings'; settings: ReceiverSettings } | { kind: 'stop' };

/** A stored delivery: the body stays in the journal unless the forwarder needs it. */
export type StoredNotice = {
  id: number;
  receivedAt: number;
  forward: { body: Uint8Array; headers: Record<string, string> } | null;
};

export type ReceiverNotice =
  | ({ kind: 'stored' } & StoredNotice)
  | { kind: 'answered'; answer: ListenerAnswer }
  | { kind: 'signature'; matched: number }
  | { kind: 'verified' }
  /** `errcode` is SQLite's result code, so the main thread still recognises a full disk. */
  | { kind: 'store-failed'; message: string; errcode?: number }
  | ThreadLogLine;

export type FromReceiver =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; message: string }
  /** Everything that happened in one turn of the receiver's event loop, in order. */
  | { kind: 'notices'; notices: ReceiverNotice[] };
