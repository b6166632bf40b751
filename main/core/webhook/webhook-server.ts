import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../ports';
import { matchSignature } from './signature';

export const WEBHOOK_PATH = '/webhook';
/** Meta batches up to 1000 updates per POST (platform §2.4); 4 MiB leaves ample room. */
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;
/** A client that trickles its body this slowly is not Meta; drop it before it ties up a socket. */
const BODY_TIMEOUT_MS = 10_000;

export type WebhookServerOptions = {
  port: number;
  /** Secrets that may sign deliveries; an empty list refuses every POST (nothing can be verified). */
  secrets: () => readonly string[];
  verifyToken: () => string;
  /**
   * Called with the exact bytes of a delivery whose signature checked out. Must resolve only once
   * the delivery is durably stored: the 200 that follows tells Meta it may forget the event.
   */
  onDelivery: (body: Uint8Array) => Promise<void> | void;
  /** Told of each delivery that could not be stored (default: a log line each). */
  onStoreFailed?: (error: unknown) => void;
  logger: Logger;
};

/**
 * A handler for one more public path. The tunnel forwards to this listener only, so whatever must
 * be reachable from the internet (the OAuth callback, attachments Instagram fetches by URL) is
 * mounted here and everything else stays a 404.
 */
export type PublicRouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => void | Promise<void>;

export class WebhookServer {
  readonly #options: WebhookServerOptions;
  readonly #routes = new Map<string, PublicRouteHandler>();
  #server: Server | null = null;
  #port: number | null = null;

  constructor(options: WebhookServerOptions) {
    this.#options = options;
  }

  /** The local URL Meta's deliveries reach through the tunnel. */
  get url(): string | null {
    return this.#port === null ? null : `http://127.0.0.1:${this.#port}${WEBHOOK_PATH}`;
  }

  get port(): number | null {
    return this.#port;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((request, response) => void this.#handle(request, response));
    server.requestTimeout = BODY_TIMEOUT_MS;
    server.headersTimeout = BODY_TIMEOUT_MS;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the tunnel is the one public path in (STYLE §5).
      server.listen(this.#options.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      this.#server = null;
      const code = (error as NodeJS.ErrnoException).code;
      throw code === 'EADDRINUSE'
        ? new Error(
            `The webhook port ${this.#options.port} is already in use; choose another with --webhook-port.`,
            { cause: error },
          )
        : error;
    });
    this.#port = (server.address() as AddressInfo).port;
  }

  /**
   * Serves `pathPrefix` (e.g. `/oauth/callback` or `/media/out/`) from `handler`: exact match, or
   * any path under it when the prefix ends in `/`. Returns the function that unmounts it.
   */
  mount(pathPrefix: string, handler: PublicRouteHandler): () => void {
    if (!pathPrefix.startsWith('/') || pathPrefix === WEBHOOK_PATH || this.#routes.has(pathPrefix))
      throw new Error(`Cannot mount a public route at ${pathPrefix}`);
    this.#routes.set(pathPrefix, handler);
    return () => {
      if (this.#routes.get(pathPrefix) === handler) this.#routes.delete(pathPrefix);
    };
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    this.#port = null;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? '/';
    // Deliveries are POSTed to the bare path: no need to build a URL for each of them.
    const url = target === WEBHOOK_PATH ? null : new URL(target, 'http://127.0.0.1');
    if (url && url.pathname !== WEBHOOK_PATH) {
      const route = this.#routeFor(url.pathname);
      if (!route) return reply(response, 404, 'Not found');
      try {
        return await route(request, response, url);
      } catch (error) {
        this.#options.logger.error('public route failed', {
          path: url.pathname,
          error: String(error),
        });
        if (!response.headersSent) return reply(response, 500, 'Internal error');
        return void response.destroy();
      }
    }
    if (request.method === 'GET') return this.#verify(url?.searchParams, response);
    if (request.method !== 'POST') return reply(response, 405, 'Method not allowed');
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      request.resume();
      return reply(response, 415, 'Expected application/json');
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_WEBHOOK_BYTES) {
      request.resume();
      return reply(response, 413, 'Payload too large');
    }
    let body: Uint8Array;
    try {
      body = await readBody(request, MAX_WEBHOOK_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) return void request.destroy();
      // Stop reading the oversized body, answer, then drop the connection.
      response.once('finish', () => request.destroy());
      response.setHeader('Connection', 'close');
      return reply(response, 413, 'Payload too large');
    }
    // The signature is checked on the raw bytes before anything parses them (platform §2.3).
    const signature = request.headers['x-hub-signature-256'];
    const matched = matchSignature(
      body,
      Array.isArray(signature) ? signature[0] : signature,
      this.#options.secrets(),
    );
    if (matched < 0) {
      this.#options.logger.warn('webhook refused: signature missing or wrong', {
        bytes: body.length,
        hasSignature: signature !== undefined,
      });
      return reply(response, 401, 'Invalid signature');
    }
    try {
      await this.#options.onDelivery(body);
    } catch (error) {
      // Not stored means not acknowledged: Meta will retry (platform §2.4).
      if (this.#options.onStoreFailed) this.#options.onStoreFailed(error);
      else
        this.#options.logger.error('webhook delivery could not be stored', {
          error: String(error),
        });
      return reply(response, 503, 'Could not store the delivery; retry later');
    }
    reply(response, 200, 'EVENT_RECEIVED');
  }

  #routeFor(pathname: string): PublicRouteHandler | undefined {
    for (const [prefix, handler] of this.#routes) {
      if (prefix.endsWith('/') ? pathname.startsWith(prefix) : pathname === prefix) return handler;
    }
    return undefined;
  }

  #verify(query: URLSearchParams | undefined, response: ServerResponse): void {
    const mode = query?.get('hub.mode') ?? null;
    const token = query?.get('hub.verify_token') ?? '';
    const challenge = query?.get('hub.challenge') ?? null;
    if (
      mode === 'subscribe' &&
      challenge !== null &&
      sameSecret(token, this.#options.verifyToken())
    ) {
      this.#options.logger.info('webhook verification handshake answered');
      return reply(response, 200, challenge);
    }
    this.#options.logger.warn('webhook verification refused', { mode });
    reply(response, 403, 'Verification failed');
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return expected !== '' && a.length === b.length && timingSafeEqual(a, b);
}

function reply(response: ServerResponse, status: number, text: string): void {
  // With the length declared the reply goes out in one write, not chunked (writeHead fixes the
  // headers before end() could add it).
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        request.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
    request.on('aborted', () => reject(new Error('aborted')));
  });
}
