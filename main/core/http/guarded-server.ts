import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { describeError } from '../errors';
import type { Logger } from '../ports';
import { parseRequestPath } from '../security/renderer-files';

/**
 * Every HTTP listener Inlet runs is built here, so the rules that keep a stranger's bytes from
 * stopping the process live in one place:
 *
 * - A request target that is not a plain origin-form path (`/path?query`), or whose path
 *   `parseRequestPath` refuses (undecodable, NUL, backslashes, `..`), is a 400 before any handler
 *   sees it. Resolving a target against a base (`new URL('//x:99999/', base)`) reads `//…` as a
 *   host and throws; handlers get a `URL` that was already parsed safely.
 * - A handler that throws or rejects becomes a 500 and one log line, never an unhandled rejection.
 * - Headers, and the whole request, have deadlines. Node checks them every 30 s unless told
 *   otherwise, so a slow sender got its 408 up to 30 s late; here they are checked 4 times a second.
 * - A body is invited (`100 Continue`) only when a handler reads it.
 * - A response never waits for a body it did not read: when it is sent before the request was
 *   complete (a refusal, a 404 to a POST), the connection is closed instead of drained. Otherwise
 *   Node reads and discards the rest to reuse the connection, however large it was declared.
 * - Optionally a cap on open connections: requests on connections beyond it get 503 with
 *   Retry-After (Meta retries), and beyond twice the cap connections are dropped unanswered, since
 *   answering would cost the sockets the cap is protecting.
 */

export type ListenerLimits = {
  /** Until the last header line; Node answers 408 and closes. */
  headersTimeoutMs: number;
  /** Until the last body byte (headers included); Node answers 408 and closes. */
  requestTimeoutMs: number;
  /** Open connections served; `Infinity` for listeners only the owner's machine reaches. */
  maxConnections: number;
};

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: Infinity,
};

/** How often Node looks for requests past their deadline: well within a second of the limit. */
export const TIMEOUT_CHECK_INTERVAL_MS = 250;
/** What a 503 asks the sender to wait; Meta keeps its own retry schedule either way. */
export const RETRY_AFTER_SECONDS = 5;

export type GuardedHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => void | Promise<void>;

export type GuardedServerOptions = {
  /** Names the listener in log lines. */
  name: string;
  handler: GuardedHandler;
  logger: Logger;
  limits?: Partial<ListenerLimits>;
};

/** The origin handlers' URLs are built on; only their path and query mean anything. */
const PLACEHOLDER_ORIGIN = 'http://127.0.0.1';

/**
 * The target of a request as a URL, or null when it is not origin-form or its path is refused.
 * The text is appended to a fixed origin rather than resolved against it, so `//host…` stays a
 * path and cannot throw.
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  if (target === undefined || parseRequestPath(target) === null) return null;
  return URL.parse(`${PLACEHOLDER_ORIGIN}${target}`);
}

export function createGuardedServer(options: GuardedServerOptions): Server {
  const { name, handler, logger } = options;
  const limits = { ...DEFAULT_LISTENER_LIMITS, ...options.limits };
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  });

  const overCap = new WeakSet<Socket>();
  if (Number.isFinite(limits.maxConnections)) {
    let open = 0;
    server.maxConnections = limits.maxConnections * 2;
    server.on('connection', (socket: Socket) => {
      open += 1;
      if (open > limits.maxConnections) overCap.add(socket);
      socket.once('close', () => (open -= 1));
    });
  }

  // Node answers `Expect: 100-continue` with "100 Continue" before any handler runs, inviting a
  // body (declared 10 GiB, say) the handler may be about to refuse. Here the invitation goes out
  // only once a handler starts reading, so a refusal is the first and only answer.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const invite = (event: string | symbol): void => {
      if (event !== 'data' && event !== 'readable') return;
      request.off('newListener', invite);
      if (!response.headersSent) response.writeContinue();
    };
    request.on('newListener', invite);
    server.emit('request', request, response);
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // Kept now: Node detaches `request.socket` (null) once the connection is done with, which can
    // happen before 'finish' (a 413 racing the sender's last bytes).
    const socket = request.socket;
    response.once('finish', () => {
      if (!request.complete) socket.destroy();
    });
    if (overCap.has(socket)) {
      return answerAndClose(response, 503, 'Too many connections; retry later.', {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      });
    }
    const url = parseRequestTarget(request.url);
    if (url === null) return answerAndClose(response, 400, 'Bad request target.');
    const fail = (error: unknown): void => {
      logger.error(`${name}: a request failed`, {
        method: request.method,
        path: url.pathname,
        error: describeError(error),
      });
      if (response.headersSent) response.destroy();
      else answerAndClose(response, 500, 'Inlet could not answer this request. See its log.');
    };
    try {
      void Promise.resolve(handler(request, response, url)).catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  return server;
}

/**
 * A plain-text answer after which the connection closes: for refusals, where reading on (a body
 * declared 10 GiB, a sender past its budget) would cost more than the sender deserves.
 */
export function answerAndClose(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  response.end(text);
}

export type OpenedFile = { handle: FileHandle; size: number };

/**
 * Opens `path` for serving if it is a regular file. The check is made on the opened descriptor, so
 * a file removed or replaced after a directory lookup cannot turn into a crash or a directory read,
 * and a FIFO is opened without blocking (then refused) instead of waiting for a writer.
 */
export async function openRegularFile(path: string): Promise<OpenedFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  const info = await handle.stat().catch(() => null);
  if (info?.isFile() !== true) {
    await handle.close().catch(() => undefined);
    return null;
  }
  return { handle, size: info.size };
}

/**
 * Sends an opened file as the body of a response whose head is written (nothing for HEAD), and
 * closes it. A reader that goes away mid-file ends the stream quietly; a read error is logged and
 * cuts the response (its length was promised).
 */
export async function sendOpenedFile(
  file: OpenedFile,
  request: IncomingMessage,
  response: ServerResponse,
  logger: Logger,
): Promise<void> {
  try {
    if (request.method === 'HEAD') return void response.end();
    await pipeline(file.handle.createReadStream({ autoClose: true }), response);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      logger.warn('a file transfer failed', { error: describeError(error) });
    }
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}
