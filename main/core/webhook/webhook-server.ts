import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import {
  answerAndClose,
  createGuardedServer,
  RETRY_AFTER_SECONDS,
  type ListenerLimits,
} from '../http/guarded-server';
import type { Logger } from '../ports';
import type { ListenerAnswer, SignatureResult } from '../deliveries/listener-record';
import { matchSignature } from './signature';

export const WEBHOOK_PATH = '/webhook';
/**
 * Meta batches up to 1000 updates per POST (docs/platform.md#delivery); 4 MiB leaves ample room.
 */
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;

export type PublicListenerLimits = ListenerLimits & {
  /**
   * Body bytes held before their signature is checked, across all connections. Anyone who finds
   * the tunnel can send them, so they are what an attacker could make Inlet hold in memory.
   */
  unverifiedBytes: number;
};

export const PUBLIC_LISTENER_LIMITS: PublicListenerLimits = {
  // A client that trickles its request this slowly is not Meta; drop it before it ties up a socket.
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  // Meta delivers over a handful of connections; the bench's 20 keep-alive ones fit many times.
  maxConnections: 128,
  // Eight maximal bodies at once; real deliveries are a few KiB.
  unverifiedBytes: 8 * MAX_WEBHOOK_BYTES,
};

export type WebhookServerOptions = {
  port: number;
  /**
   * Secrets that may sign deliveries; an empty list refuses every POST (nothing can be verified).
   */
  secrets: () => readonly string[];
  verifyToken: () => string;
  /** Told of every signature check: the index of the secret that matched, or -1 when none did. */
  onSignatureChecked?: (matched: number) => void;
  /** Told when a verification request (Meta checking the callback URL) was answered. */
  onVerified?: () => void;
  /**
   * Called with the exact bytes of a delivery whose signature checked out. Must resolve only once
   * the delivery is durably stored: the 200 that follows tells Meta it may forget the event.
   */
  onDelivery: (
    body: Uint8Array,
    headers: Record<string, string>,
  ) => Promise<number | void> | number | void;
  /**
   * Told how each POST to the webhook path was answered: a stored delivery's id (when onDelivery
   * returned one) and how fast, or a refusal with what was seen of the request.
   */
  onAnswered?: (answer: ListenerAnswer) => void;
  /** Told of each delivery that could not be stored (default: a log line each). */
  onStoreFailed?: (error: unknown) => void;
  logger: Logger;
  /** Default `PUBLIC_LISTENER_LIMITS`; tests shorten the timeouts or lower the cap. */
  limits?: Partial<PublicListenerLimits>;
};

/** What the listener holds right now, and the most unverified bytes it ever held at once. */
export type PublicListenerLoad = { unverifiedBytes: number; peakUnverifiedBytes: number };

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

/**
 * The public paths besides the webhook: exact match, or any path under a prefix ending in `/`;
 * everything else is a 404.
 */
export class PublicRoutes {
  readonly #routes = new Map<string, PublicRouteHandler>();

  /** Serves `pathPrefix` from `handler`; returns the function that unmounts it. */
  mount(pathPrefix: string, handler: PublicRouteHandler): () => void {
    if (!pathPrefix.startsWith('/') || pathPrefix === WEBHOOK_PATH || this.#routes.has(pathPrefix))
      throw new Error(`Cannot mount a public route at ${pathPrefix}`);
    this.#routes.set(pathPrefix, handler);
    return () => {
      if (this.#routes.get(pathPrefix) === handler) this.#routes.delete(pathPrefix);
    };
  }

  readonly handle: PublicRouteHandler = (request, response, url) => {
    for (const [prefix, handler] of this.#routes) {
      if (prefix.endsWith('/') ? url.pathname.startsWith(prefix) : url.pathname === prefix)
        return handler(request, response, url);
    }
    return reply(response, 404, 'Not found');
  };
}

export class WebhookServer {
  readonly #options: WebhookServerOptions;
  readonly #routes = new PublicRoutes();
  readonly #limits: PublicListenerLimits;
  readonly #budget: ByteBudget;
  #server: Server | null = null;
  #port: number | null = null;

  constructor(options: WebhookServerOptions) {
    this.#options = options;
    this.#limits = { ...PUBLIC_LISTENER_LIMITS, ...options.limits };
    this.#budget = new ByteBudget(this.#limits.unverifiedBytes);
  }

  get load(): PublicListenerLoad {
    return { unverifiedBytes: this.#budget.held, peakUnverifiedBytes: this.#budget.peak };
  }

  /** The local URL Meta's deliveries reach through the tunnel. */
  get url(): string | null {
    return this.#port === null ? null : `http://127.0.0.1:${this.#port}${WEBHOOK_PATH}`;
  }

  get port(): number | null {
    return this.#port;
  }

  /**
   * Where a replayed delivery goes: this listener, signed with the first secret it verifies, so a
   * replay passes the same check as Meta's deliveries. Null while it is not listening or has no
   * first secret.
   */
  get replayTarget(): { url: string; secret: string } | null {
    const secret = this.#options.secrets()[0];
    return this.url && secret ? { url: this.url, secret } : null;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createGuardedServer({
      name: 'webhook listener',
      handler: (request, response, url) => this.#handle(request, response, url),
      logger: this.#options.logger,
      limits: this.#limits,
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the tunnel is the one public path in.
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
    return this.#routes.mount(pathPrefix, handler);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    this.#port = null;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== WEBHOOK_PATH) return this.#routes.handle(request, response, url);
    if (request.method === 'GET') return this.#verify(url.searchParams, response);
    const started = performance.now();
    const refuse = (
      status: number,
      reason: string,
      seen: { signature?: SignatureResult; body?: Uint8Array } = {},
    ): void =>
      this.#options.onAnswered?.({
        kind: 'refused',
        receivedAt: Date.now(),
        status,
        reason,
        signature: seen.signature ?? 'unchecked',
        headers: headersOf(request),
        bytes: seen.body?.byteLength ?? Number(request.headers['content-length'] ?? 0),
        body: seen.body ?? new Uint8Array(0),
        answerMs: Math.round(performance.now() - started),
      });
    if (request.method !== 'POST') {
      refuse(405, 'Method not allowed');
      return answerAndClose(response, 405, 'Method not allowed');
    }
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      refuse(415, 'Not application/json');
      return answerAndClose(response, 415, 'Expected application/json');
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_WEBHOOK_BYTES) {
      refuse(413, 'Payload too large');
      return answerAndClose(response, 413, 'Payload too large');
    }
    const read = await readBody(request, MAX_WEBHOOK_BYTES, this.#budget);
    switch (read.kind) {
      case 'aborted':
        return;
      case 'too-large':
        refuse(413, 'Payload too large');
        return answerAndClose(response, 413, 'Payload too large');
      case 'over-budget':
        this.#options.logger.warn('webhook refused: too many unverified bytes in flight', {
          budget: this.#limits.unverifiedBytes,
        });
        refuse(503, 'Too many unverified bytes in flight');
        return answerAndClose(response, 503, 'Busy; retry later', {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        });
      case 'body':
        break;
    }
    const { body } = read;
    // The signature is checked on the raw bytes before anything parses them
    // (docs/platform.md#signatures).
    const signature = request.headers['x-hub-signature-256'];
    const matched = matchSignature(
      body,
      Array.isArray(signature) ? signature[0] : signature,
      this.#options.secrets(),
    );
    this.#budget.release(body.length);
    this.#options.onSignatureChecked?.(matched);
    if (matched < 0) {
      this.#options.logger.warn('webhook refused: signature missing or wrong', {
        bytes: body.length,
        hasSignature: signature !== undefined,
      });
      refuse(401, signature === undefined ? 'Signature missing' : 'Signature wrong', {
        signature: signature === undefined ? 'missing' : 'wrong',
        body,
      });
      return reply(response, 401, 'Invalid signature');
    }
    let deliveryId: number | void;
    try {
      deliveryId = await this.#options.onDelivery(body, headersOf(request));
    } catch (error) {
      // Not stored means not acknowledged: Meta will retry (docs/platform.md#delivery).
      if (this.#options.onStoreFailed) this.#options.onStoreFailed(error);
      else
        this.#options.logger.error('webhook delivery could not be stored', {
          error: String(error),
        });
      refuse(503, 'Could not store the delivery', { signature: 'valid', body });
      return reply(response, 503, 'Could not store the delivery; retry later');
    }
    reply(response, 200, 'EVENT_RECEIVED');
    if (typeof deliveryId === 'number')
      this.#options.onAnswered?.({
        kind: 'stored',
        deliveryId,
        answerMs: Math.round(performance.now() - started),
      });
  }

  #verify(query: URLSearchParams, response: ServerResponse): void {
    const mode = query.get('hub.mode');
    const token = query.get('hub.verify_token') ?? '';
    const challenge = query.get('hub.challenge');
    if (
      mode === 'subscribe' &&
      challenge !== null &&
      sameSecret(token, this.#options.verifyToken())
    ) {
      this.#options.logger.info('webhook verification handshake answered');
      this.#options.onVerified?.();
      return reply(response, 200, challenge);
    }
    this.#options.logger.warn('webhook verification refused', { mode });
    reply(response, 403, 'Verification failed');
  }
}

/** The request's headers as sent, one value each (repeats joined as Node joins them). */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
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

/**
 * Unverified body bytes held across connections. Bytes are reserved as they arrive, so a sender
 * must really send them to use the budget, and released once the signature has been checked.
 */
class ByteBudget {
  held = 0;
  peak = 0;

  constructor(readonly limit: number) {}

  reserve(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    this.peak = Math.max(this.peak, this.held);
    return true;
  }

  release(bytes: number): void {
    this.held -= bytes;
  }
}

type BodyRead =
  | { kind: 'body'; body: Uint8Array }
  | { kind: 'too-large' }
  | { kind: 'over-budget' }
  | { kind: 'aborted' };

/**
 * Reads a body of at most `limit` bytes, each chunk held against `budget`. Only a `body` result
 * keeps its bytes reserved (the caller releases them); every other outcome has released them and
 * stopped reading.
 */
function readBody(request: IncomingMessage, limit: number, budget: ByteBudget): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (result: BodyRead): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      if (result.kind !== 'body') {
        request.pause();
        budget.release(size);
        chunks.length = 0;
      }
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limit) return stop({ kind: 'too-large' });
      if (!budget.reserve(chunk.length)) return stop({ kind: 'over-budget' });
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => stop({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onClose = (): void => stop({ kind: 'aborted' });
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('close', onClose);
    // Errors end in 'close'; listening keeps an aborted upload from being an unhandled error.
    request.on('error', () => undefined);
  });
}
