import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { EVENT_CHANNELS, type EventChannel } from '../../shared/ipc/contract';
import { failure } from '../../shared/ipc/result';
import {
  ClientFrameSchema,
  HEADLESS_TOKEN_PARAM,
  HEADLESS_WS_PATH,
  type ClientFrame,
  type ServerFrame,
} from '../../shared/ipc/ws-protocol';
import { archivedMediaName, type ArchivedFile } from '../core/archive/media-store';
import type { Core } from '../core/core-types';
import { describeError, toIpcFailure } from '../core/errors';
import {
  createGuardedServer,
  openRegularFile,
  parseRequestTarget,
  sendOpenedFile,
  type ListenerLimits,
} from '../core/http/guarded-server';
import { dispatchInvoke } from '../core/ipc/dispatch';
import type { Logger } from '../core/ports';
import { rendererCsp } from '../core/security/content-security-policy';
import { resolveRendererFile } from '../core/security/renderer-files';
import { contentTypeOf } from './static-files';

/**
 * `inlet serve`: the renderer over HTTP and the IPC contract over one WebSocket, on 127.0.0.1 only.
 *
 * Trust model: the static files are the public app bundle; the WebSocket carries the owner's inbox,
 * so an upgrade needs (1) a loopback `Host` (DNS rebinding: a hostile site whose name resolves to
 * 127.0.0.1 still sends its own name), (2) a loopback `Origin` (another site's page cannot open the
 * socket, and non-browser clients must state one too), and (3) the per-run token from the ready line.
 *
 * Malformed frames: the only legitimate client is our own bridge, so a frame that is binary, not
 * JSON, or fails `ClientFrameSchema` means a bug or a hostile peer. The socket is closed with 1003
 * (unsupported data) rather than answered; the bridge fails its pending calls when the socket
 * closes. A frame over `MAX_FRAME_BYTES` is closed by `ws` with 1009 (message too big).
 */

/** Beside the page policy (rendererCsp), which depends on the running mode. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the access token: never send it on as a referrer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export const HEADLESS_HOST = '127.0.0.1';
/**
 * Largest client frame accepted. Contract inputs are a few KiB, except an attachment:
 * up to 25 MB of file as base64 (~33.4 MiB), which the socket must carry like Electron's IPC does.
 */
export const MAX_FRAME_BYTES = 34 * 1024 * 1024;
const DEFAULT_HEARTBEAT_MS = 30_000;
/** How long a browser gets to answer our close frame on stop before its socket is cut. */
const CLOSE_GRACE_MS = 1_000;
/** A client this far behind on events is stuck; dropping it beats buffering without bound. */
const MAX_BUFFERED_BYTES = 16 * MAX_FRAME_BYTES;
const MIN_TOKEN_LENGTH = 16;

export type HeadlessServerOptions = {
  core: Pick<Core, 'handlers' | 'events'>;
  /** The built renderer (out/renderer): index.html + assets. */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** Per-run access token; default: 32 random bytes, base64url. */
  token?: string;
  /** Archived attachments (Core.mediaFile), served under /archive/media/; none when absent. */
  mediaFile?: (name: string) => ArchivedFile | null;
  /** The embedded emulator's origin while sandbox mode runs (Core.sandboxOrigin). */
  sandboxOrigin?: () => string | null;
  /** Ping period; a socket that has not answered the previous ping by the next one is dropped. */
  heartbeatIntervalMs?: number;
  /** Header and request deadlines; tests shorten them. */
  limits?: Partial<ListenerLimits>;
};

export type HeadlessServer = {
  /** http://127.0.0.1:PORT/?token=… */
  uiUrl: string;
  port: number;
  /** What the listening socket reported right after `listen` (always 127.0.0.1, IPv4). */
  address: AddressInfo;
  /** Idempotent; closes every socket. */
  stop(): Promise<void>;
};

type Refusal = { status: 400 | 401 | 403 | 404 | 503; reason: string };

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { core, rendererDir, logger } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new RangeError(`The access token must be at least ${MIN_TOKEN_LENGTH} characters long`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw new RangeError(`Invalid port ${options.port}`);
  }
  const isValidToken = createTokenCheck(token);
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS;

  let port = 0; // known once listening; nothing reaches the handlers before that
  let stopping: Promise<void> | undefined;
  const server = createGuardedServer({
    name: 'headless',
    logger,
    limits: options.limits,
    handler: (request, response, url) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
      const sandboxOrigin = options.sandboxOrigin?.() ?? null;
      response.setHeader('Content-Security-Policy', rendererCsp({ sandboxOrigin }));
      return serveStatic(request, response, url);
    },
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const isAlive = new WeakMap<WebSocket, boolean>();

  const isAllowedHost = (headers: IncomingHttpHeaders): boolean => {
    const host = headers.host?.toLowerCase();
    return host === `${HEADLESS_HOST}:${port}` || host === `localhost:${port}`;
  };
  const isAllowedOrigin = (headers: IncomingHttpHeaders): boolean => {
    const origin = headers.origin?.toLowerCase();
    return origin === `http://${HEADLESS_HOST}:${port}` || origin === `http://localhost:${port}`;
  };

  const checkUpgrade = (request: IncomingMessage): Refusal | null => {
    if (stopping) return { status: 503, reason: 'Inlet is shutting down' };
    if (!isAllowedHost(request.headers)) return { status: 403, reason: 'Unexpected Host header' };
    const url = parseRequestTarget(request.url);
    if (url === null) return { status: 400, reason: 'Bad request target' };
    if (url.pathname !== HEADLESS_WS_PATH)
      return { status: 404, reason: 'No WebSocket endpoint here' };
    if (!isAllowedOrigin(request.headers)) return { status: 403, reason: 'Unexpected Origin' };
    const candidate = url.searchParams.get(HEADLESS_TOKEN_PARAM);
    if (!isValidToken(candidate)) return { status: 401, reason: 'Missing or wrong access token' };
    return null;
  };

  const send = (socket: WebSocket, frame: Exclude<ServerFrame, { type: 'events' }>): void => {
    if (socket.readyState !== socket.OPEN) return; // closed while the handler ran
    flushEvents(); // an answer never overtakes an event emitted before it
    socket.send(serializeFrame(frame, logger));
  };

  const onFrame = (socket: WebSocket, data: RawData, isBinary: boolean): void => {
    const frame = isBinary ? null : parseClientFrame(rawDataToText(data));
    if (!frame) {
      logger.warn('headless: closed a socket that sent a malformed frame');
      socket.close(1003, 'Malformed frame');
      return;
    }
    void dispatchInvoke(core.handlers, frame.channel, frame.input, logger)
      .catch((error: unknown) => toIpcFailure(error, logger))
      .then((result) => send(socket, { type: 'result', id: frame.id, result }));
  };

  // The events of one turn of the event loop go out as one frame, so the renderer applies a burst
  // in one task (one render) instead of one per message.
  let queuedEvents: string[] = [];
  const broadcast = (channel: EventChannel, payload: unknown): void => {
    queuedEvents.push(serializeFrame({ type: 'event', channel, payload }, logger));
    if (queuedEvents.length === 1) setImmediate(flushEvents);
  };

  const flushEvents = (): void => {
    if (queuedEvents.length === 0) return;
    const frames = queuedEvents;
    queuedEvents = [];
    const text =
      frames.length === 1 ? (frames[0] ?? '') : `{"type":"events","frames":[${frames.join(',')}]}`;
    for (const socket of sockets.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        logger.warn('headless: dropped a client that stopped reading events');
        socket.terminate();
        continue;
      }
      socket.send(text);
    }
  };

  const onConnection = (socket: WebSocket): void => {
    isAlive.set(socket, true);
    socket.on('pong', () => isAlive.set(socket, true));
    socket.on('error', (error) =>
      logger.warn('headless: WebSocket error', { error: describeError(error) }),
    );
    socket.on('message', (data, isBinary) => onFrame(socket, data, isBinary));
    socket.on('close', () =>
      logger.info('headless: browser disconnected', { clients: sockets.clients.size }),
    );
    logger.info('headless: browser connected', { clients: sockets.clients.size });
  };

  const serveStatic = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> => {
    if (!isAllowedHost(request.headers)) return sendText(response, 403, 'Unexpected Host header.');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return sendText(response, 405, 'Only GET and HEAD are served here.');
    }
    const mediaName = archivedMediaName(url.pathname);
    if (mediaName !== null) return serveMedia(request, response, mediaName);
    const target = await resolveRendererFile(rendererDir, request.url ?? '');
    switch (target.kind) {
      case 'not-built':
        return sendText(
          response,
          503,
          'The Inlet UI is not built yet. Run `npm run build:app`, then reload this page.',
        );
      case 'bad-request':
        return sendText(response, 400, 'Bad request path.');
      case 'not-found':
        return sendText(response, 404, 'Not found.');
      case 'file':
        break;
    }
    // Opened, not just looked up: a file removed or replaced since is a 404, not a failed stream.
    const opened = await openRegularFile(target.filePath);
    if (opened === null) return sendText(response, 404, 'Not found.');
    response.writeHead(200, {
      'Content-Type': contentTypeOf(target.filePath),
      'Content-Length': opened.size,
      // index.html is the entry point of each build; assets are revalidated, never stale.
      'Cache-Control': target.isIndex ? 'no-store' : 'no-cache',
    });
    await sendOpenedFile(opened, request, response, logger);
  };

  /**
   * The owner's archived attachments. Like the page they are same-origin and Host-checked (no DNS
   * rebinding); each name is a random UUID the archive recorded, so it cannot be guessed or climb
   * out of the media folder, and the content type is the one checked on download.
   */
  const serveMedia = async (
    request: IncomingMessage,
    response: ServerResponse,
    name: string,
  ): Promise<void> => {
    const file = options.mediaFile?.(name) ?? null;
    const opened = file === null ? null : await openRegularFile(file.path);
    if (file === null || opened === null) return sendText(response, 404, 'Not found.');
    response.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': opened.size,
      // An archived file never changes under its name.
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
    await sendOpenedFile(opened, request, response, logger);
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without an error listener; a reset must not crash the process.
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(request);
    if (refusal) {
      logger.warn('headless: refused a WebSocket upgrade', refusal);
      rejectUpgrade(socket, refusal);
      return;
    }
    sockets.handleUpgrade(request, socket, head, onConnection);
  });

  await listen(server, options.port);
  const address = server.address() as AddressInfo;
  port = address.port;
  server.on('error', (error) =>
    logger.error('headless: server error', { error: describeError(error) }),
  );

  const unsubscribes = EVENT_CHANNELS.map((channel) =>
    core.events.on(channel, (payload) => broadcast(channel, payload)),
  );
  const heartbeat = setInterval(() => {
    for (const socket of sockets.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (isAlive.get(socket) === false) {
        logger.info('headless: dropped a client that stopped answering pings');
        socket.terminate();
        continue;
      }
      isAlive.set(socket, false);
      socket.ping();
    }
  }, heartbeatIntervalMs);
  heartbeat.unref(); // the server, not the timer, keeps the process alive

  const shutdown = async (): Promise<void> => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    clearInterval(heartbeat);
    const closed = new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    await Promise.all([...sockets.clients].map(closeGracefully));
    server.closeAllConnections(); // keep-alive and in-flight static responses
    sockets.close();
    await closed;
    logger.info('headless: server stopped');
  };

  logger.info('headless: listening', { url: `http://${HEADLESS_HOST}:${port}/` });
  return {
    uiUrl: `http://${HEADLESS_HOST}:${port}/?${HEADLESS_TOKEN_PARAM}=${encodeURIComponent(token)}`,
    port,
    address,
    stop: () => (stopping ??= shutdown()),
  };
}

/** Compares HMACs of both sides: equal lengths for timingSafeEqual, no early exit on a prefix. */
function createTokenCheck(expected: string): (candidate: string | null) => boolean {
  const key = randomBytes(32);
  const digest = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest();
  const expectedDigest = digest(expected);
  return (candidate) => candidate !== null && timingSafeEqual(digest(candidate), expectedDigest);
}

function parseClientFrame(text: string): ClientFrame | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ClientFrameSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

function serializeFrame(frame: Exclude<ServerFrame, { type: 'events' }>, logger: Logger): string {
  try {
    return JSON.stringify(frame);
  } catch (error) {
    // A handler returned something JSON cannot carry (a BigInt, a cycle): a core bug, not the UI's.
    logger.error('headless: could not serialize a frame', { error: describeError(error) });
    const fallback = failure('INTERNAL', 'Something went wrong inside Inlet. See the log.');
    return JSON.stringify(
      frame.type === 'result'
        ? { type: 'result', id: frame.id, result: fallback }
        : { type: 'event', channel: frame.channel, payload: null },
    );
  }
}

function rawDataToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function sendText(response: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body); // Node drops the body itself for HEAD
}

/** Answers a refused upgrade on the raw socket (there is no ServerResponse for upgrades). */
function rejectUpgrade(socket: Duplex, { status, reason }: Refusal): void {
  const body = `${reason}\n`;
  const headers = {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...SECURITY_HEADERS,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}\r\n${body}`);
}

function closeGracefully(socket: WebSocket): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1001, 'Inlet is shutting down');
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Loopback only, IPv4 only: never `::` or `0.0.0.0`, whatever the port.
    server.listen({ port, host: HEADLESS_HOST, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
