import { handlersNotUnderTest } from '../../../fakes/handlers';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import WebSocket from 'ws';
import type { AppStatus, Conversation, Message } from '../../../../shared/domain/schemas';
import type { EventChannel, EventPayload } from '../../../../shared/ipc/contract';
import type { ServerFrame } from '../../../../shared/ipc/ws-protocol';
import type { Core, CoreEvents, EventListener } from '../../../../main/core/core-types';
import { AppError } from '../../../../main/core/errors';
import {
  startHeadlessServer,
  type HeadlessServerOptions,
} from '../../../../main/headless/headless-server';
import { memoryLogger } from '../../../fakes/logger';
import { PLAIN_MESSAGE_DETAILS } from '../../../fakes/messages';
import { appStatus } from '../../../fakes/status';

export const STATUS: AppStatus = appStatus();

export const CONVERSATION: Conversation = {
  id: '17841400000000001:9000000000000001',
  accountId: '17841400000000001',
  customerId: '9000000000000001',
  customerUsername: 'ada',
  customerName: 'Ada',
  customerPictureUrl: null,
  lastMessageAt: 1_700_000_000_000,
  lastMessagePreview: 'Hello',
  lastInboundAt: 1_700_000_000_000,
  unreadCount: 1,
  sendProblem: null,
};

export const MESSAGE: Message = {
  id: 'local-1',
  mid: 'mid.1',
  conversationId: CONVERSATION.id,
  direction: 'out',
  text: 'Hi Ada',
  attachments: [],
  at: 1_700_000_001_000,
  status: 'sent',
  error: null,
  isFromOtherApp: false,
  ...PLAIN_MESSAGE_DETAILS,
};

/** A tiny typed event emitter standing in for the core's event bus; counts live listeners. */
export function fakeEvents(): CoreEvents & {
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
  listenerCount(): number;
} {
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  return {
    on<C extends EventChannel>(channel: C, listener: EventListener<C>) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}

export function fakeHandlers() {
  return handlersNotUnderTest({
    'app:getStatus': vi.fn(() => Promise.resolve(STATUS)),
    'inbox:listConversations': vi.fn(() =>
      Promise.resolve({ conversations: [CONVERSATION], nextCursor: null }),
    ),
    'inbox:listMessages': vi.fn(() => Promise.resolve({ messages: [MESSAGE], nextCursor: null })),
    'sending:sendText': vi.fn(({ text }: { conversationId: string; text: string }) =>
      Promise.resolve({ message: { ...MESSAGE, text } }),
    ),
    'inbox:markRead': vi.fn(() =>
      Promise.reject(new AppError('NOT_FOUND', 'No such conversation')),
    ),
  });
}

export function fakeCore(): Pick<Core, 'handlers' | 'events'> & {
  handlers: ReturnType<typeof fakeHandlers>;
  events: ReturnType<typeof fakeEvents>;
} {
  return { handlers: fakeHandlers(), events: fakeEvents() };
}

export const TOKEN = 'test-token-0123456789abcdefghijklmnop';

/** A server on 127.0.0.1:0 with a fake core, a fresh built (or unbuilt) UI and `TOKEN`. */
export async function startTestServer(
  options: { isBuilt?: boolean } & Pick<
    HeadlessServerOptions,
    'heartbeatIntervalMs' | 'limits'
  > = {},
) {
  const dirs = makeRendererDir({ isBuilt: options.isBuilt });
  const core = fakeCore();
  const server = await startHeadlessServer({
    core,
    rendererDir: dirs.rendererDir,
    port: 0,
    logger: memoryLogger(),
    token: TOKEN,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    limits: options.limits,
  });
  return { dirs, core, server };
}

/** A temp folder holding `renderer/` (a tiny built UI) next to a file that must never be served. */
export function makeRendererDir(options: { isBuilt?: boolean } = {}): {
  root: string;
  rendererDir: string;
  cleanup(): void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'inlet-headless-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), '{"secret":"OUTSIDE-THE-RENDERER"}');
  if (options.isBuilt !== false) {
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Inlet</title>');
    writeFileSync(path.join(rendererDir, 'assets', 'app-abc123.js'), 'console.log("inlet");');
    writeFileSync(path.join(rendererDir, 'assets', 'app-abc123.css'), 'body{margin:0}');
    writeFileSync(path.join(rendererDir, 'assets', 'data.bin'), 'opaque');
  }
  return { root, rendererDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export type RawResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/**
 * Sends the request target byte for byte (fetch and URL would normalise `..` and refuse a custom
 * Host), which is what a hostile client can do.
 */
export function rawRequest(
  port: number,
  target: string,
  options: { method?: string; host?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: target,
        headers: { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export type SocketOptions = {
  token?: string | null;
  origin?: string | null;
  host?: string;
  path?: string;
};

export function socketUrl(port: number, token: string | null, wsPath = '/ipc'): string {
  return `ws://127.0.0.1:${port}${wsPath}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

function clientOptions(port: number, options: SocketOptions): WebSocket.ClientOptions {
  const origin = options.origin === undefined ? `http://127.0.0.1:${port}` : options.origin;
  return {
    ...(origin === null ? {} : { origin }),
    headers: options.host ? { Host: options.host } : {},
  };
}

/** Resolves with the HTTP status of a refused upgrade; rejects if the upgrade succeeds. */
export function upgradeStatus(
  port: number,
  token: string | null,
  options: SocketOptions = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(port, token, options.path), clientOptions(port, options));
    ws.on('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', (error) => reject(error));
  });
}

export type TestClient = {
  ws: WebSocket;
  frames: ServerFrame[];
  invoke(channel: string, input?: unknown): Promise<unknown>;
  nextEvent(): Promise<ServerFrame>;
  closed: Promise<{ code: number; reason: string }>;
};

/** An authenticated client that records every frame and pairs results with invokes by id. */
export async function connect(
  port: number,
  token: string,
  options: SocketOptions & { autoPong?: boolean } = {},
): Promise<TestClient> {
  const ws = new WebSocket(socketUrl(port, token, options.path), {
    ...clientOptions(port, options),
    autoPong: options.autoPong ?? true,
  });
  const frames: ServerFrame[] = [];
  const pending = new Map<number, (result: unknown) => void>();
  const eventWaiters: ((frame: ServerFrame) => void)[] = [];
  const queuedEvents: ServerFrame[] = [];
  let nextId = 1;
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
    frames.push(frame);
    if (frame.type === 'result') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else {
      const waiter = eventWaiters.shift();
      if (waiter) waiter(frame);
      else queuedEvents.push(frame);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    invoke(channel, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
      });
    },
    nextEvent() {
      const queued = queuedEvents.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => eventWaiters.push(resolve));
    },
  };
}
