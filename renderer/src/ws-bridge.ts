import type { InboxBridge } from '../../shared/ipc/bridge';
import type { EventChannel, InvokeChannel } from '../../shared/ipc/contract';
import { failure, type IpcResult } from '../../shared/ipc/result';
import type { ClientFrame } from '../../shared/ipc/ws-protocol';
import type { ConnectionMonitor, ConnectionState } from './connection';

/** The part of the browser `WebSocket` this bridge uses, so tests can hand in a fake. */
export type SocketLike = {
  send: (data: string) => void;
  close: (code?: number, reason?: string) => void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
};

export type WsBridgeOptions = {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
  now?: () => number;
};

export type WsBridge = InboxBridge & {
  connection: ConnectionMonitor;
  /** Stops for good: closes the socket, rejects pending calls, no reconnect. */
  dispose: () => void;
};

/** Thrown (as a rejection) for calls that cannot get an answer because the socket is not open. */
export class ConnectionLostError extends Error {
  constructor(message = 'The connection to Inlet was lost') {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

/** One local client per server: no jitter needed, just stop hammering a restarting server. */
export function exponentialBackoff(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1));
}

type Pending = { resolve: (result: IpcResult<unknown>) => void; reject: (error: Error) => void };

/**
 * The headless counterpart of the preload: the same `invoke`/`on` primitives carried as the JSON
 * frames of shared/ipc/ws-protocol.ts. Calls made while the first socket is opening wait for it;
 * calls made while the connection is lost fail at once rather than hang behind a back-off timer.
 */
export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const backoffMs = options.backoffMs ?? exponentialBackoff;
  const now = options.now ?? Date.now;

  let socket: SocketLike | null = null;
  let state: ConnectionState = { kind: 'connecting', attempt: 0 };
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let isDisposed = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const queued: string[] = [];
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function connect(): void {
    retryTimer = undefined;
    if (state.kind === 'lost') setState({ kind: 'connecting', attempt });
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      attempt = 0;
      setState({ kind: 'connected' });
      for (const frame of queued.splice(0)) current.send(frame);
    };
    current.onmessage = (event) => {
      if (socket === current) receive(event.data);
    };
    // Browsers always follow `error` with `close`; reconnect logic lives in one place.
    current.onerror = () => undefined;
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      failPending();
      if (isDisposed) return;
      attempt += 1;
      const delay = backoffMs(attempt);
      setState({ kind: 'lost', retryAt: now() + delay, attempt });
      retryTimer = setTimeout(connect, delay);
    };
  }

  function failPending(): void {
    queued.length = 0;
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(new ConnectionLostError());
  }

  function receive(data: unknown): void {
    const frame = parseFrame(data);
    if (frame === null) {
      console.error('Inlet: ignored a malformed frame from the server');
      return;
    }
    if (frame.type === 'result') {
      const call = pending.get(frame.id);
      if (call === undefined) return;
      pending.delete(frame.id);
      // A garbled answer still settles its call, so nothing in the UI waits forever. It carries no
      // detail text: the UI says so in the owner's language (errors.INTERNAL).
      if (isResult(frame.result)) call.resolve(frame.result);
      else {
        console.error('Inlet: the server sent an answer this window could not read');
        call.resolve(failure('INTERNAL', ''));
      }
      return;
    }
    // A burst arrives as one frame and is applied here in one task: React renders it once.
    for (const event of frame.type === 'events' ? frame.frames : [frame]) {
      for (const listener of eventListeners.get(event.channel) ?? []) {
        try {
          listener(event.payload);
        } catch (error) {
          // One broken listener must not starve the others of the event.
          console.error('Inlet: an event listener threw', error);
        }
      }
    }
  }

  function invoke(channel: InvokeChannel, input?: unknown): Promise<IpcResult<unknown>> {
    if (isDisposed || state.kind === 'lost') {
      return Promise.reject(new ConnectionLostError());
    }
    const id = nextId++;
    const frame: ClientFrame = { type: 'invoke', id, channel, input };
    const text = JSON.stringify(frame);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (state.kind === 'connected' && socket !== null) socket.send(text);
      else queued.push(text);
    });
  }

  function on(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    let listeners = eventListeners.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      eventListeners.set(channel, listeners);
    }
    // Wrap so subscribing the same function twice yields two independent subscriptions.
    const entry = (payload: unknown) => listener(payload);
    listeners.add(entry);
    return () => void listeners.delete(entry);
  }

  const connection: ConnectionMonitor = {
    get: () => state,
    subscribe(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    retryNow() {
      if (isDisposed || state.kind !== 'lost') return;
      clearTimeout(retryTimer);
      connect();
    },
  };

  connect();

  return {
    // The contract's per-channel types are enforced on `InboxBridge`; inside, frames are untyped.
    invoke: invoke as InboxBridge['invoke'],
    on: on as InboxBridge['on'],
    connection,
    dispose() {
      if (isDisposed) return;
      isDisposed = true;
      clearTimeout(retryTimer);
      const current = socket;
      socket = null;
      failPending();
      current?.close(1000, 'renderer closed');
    },
  };
}

type EventFrame = { type: 'event'; channel: string; payload: unknown };
type ParsedFrame =
  | { type: 'result'; id: number; result: unknown }
  | EventFrame
  | { type: 'events'; frames: EventFrame[] };

function parseFrame(data: unknown): ParsedFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (frame.type === 'result' && typeof frame.id === 'number') {
    return { type: 'result', id: frame.id, result: frame.result };
  }
  if (frame.type === 'events' && Array.isArray(frame.frames)) {
    const frames = frame.frames.map(parseEvent);
    return frames.every((event) => event !== null) ? { type: 'events', frames } : null;
  }
  return parseEvent(frame);
}

function parseEvent(value: unknown): EventFrame | null {
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  if (frame.type === 'event' && typeof frame.channel === 'string') {
    return { type: 'event', channel: frame.channel, payload: frame.payload };
  }
  return null;
}

function isResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Record<string, unknown>;
  return (
    result.ok === true ||
    (result.ok === false && typeof result.code === 'string' && typeof result.message === 'string')
  );
}
