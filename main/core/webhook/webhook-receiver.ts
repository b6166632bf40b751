import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createGuardedServer } from '../http/guarded-server';
import type { Logger } from '../ports';
import { writeWaitsBuffer } from '../archive/database';
import { workerEntry } from '../worker-thread';
import type { ListenerAnswer } from '../deliveries/listener-record';
import type {
  FromReceiver,
  ReceiverData,
  ReceiverNotice,
  ReceiverSettings,
  StoredNotice,
  ToReceiver,
} from './receiver-protocol';
import {
  PublicRoutes,
  WEBHOOK_PATH,
  type PublicListenerLimits,
  type PublicRouteHandler,
} from './webhook-server';

export type WebhookReceiverOptions = {
  port: number;
  /** The archive deliveries are committed to (its migrations have run). */
  databasePath: string;
  /** Secrets that may sign deliveries; an empty list refuses every POST. */
  secrets: () => readonly string[];
  verifyToken: () => string;
  /** Whether stored deliveries are forwarded (their bytes and headers then come along). */
  forwarding: () => boolean;
  /**
   * Told of each delivery once it is durably stored, in the order stored; its 200 is on its way.
   * The body is in the journal (and in `forward` while forwarding is on).
   */
  onStored: (delivery: StoredNotice) => void;
  /** Told of every signature check: the index of the secret that matched, or -1 when none did. */
  onSignatureChecked?: (matched: number) => void;
  /** Told when a verification request (Meta checking the callback URL) was answered. */
  onVerified?: () => void;
  /** Told how each POST to the webhook path was answered. */
  onAnswered?: (answer: ListenerAnswer) => void;
  /** Told of each delivery that could not be stored, with SQLite's `errcode` (default: a log line). */
  onStoreFailed?: (error: Error) => void;
  /**
   * The receiver thread was restarted after it stopped unexpectedly: deliveries it committed but
   * could not announce are in the journal, unprocessed.
   */
  onRestarted?: () => void;
  logger: Logger;
  limits?: Partial<PublicListenerLimits>;
};

/**
 * How long a receiver thread that stopped unexpectedly waits before it is started again: doubling
 * while starting it fails (its port taken meanwhile, say), so the log is not flooded.
 */
export const RECEIVER_RESTART_MS = { firstMs: 500, maxMs: 30_000 };
/** How long a stopping receiver thread may take to answer what is in flight. */
const STOP_GRACE_MS = 10_000;

/**
 * The public listener, run on a worker thread (receiver-worker.ts) so that receiving never waits
 * for the main thread, which serves the UI and processes deliveries. This side starts the thread,
 * tells it the secrets, relays what it reports, starts it again if it dies, and serves the other
 * public paths (OAuth callback, outgoing attachments, probe) on a loopback listener of its own,
 * which the receiver passes their requests to.
 */
export class WebhookReceiver {
  readonly #options: WebhookReceiverOptions;
  readonly #routes = new PublicRoutes();
  #routesServer: Server | null = null;
  #worker: Worker | null = null;
  #port: number | null = null;
  #restart: ReturnType<typeof setTimeout> | null = null;
  #restartDelay = RECEIVER_RESTART_MS.firstMs;

  constructor(options: WebhookReceiverOptions) {
    this.#options = options;
  }

  /** The local URL Meta's deliveries reach through the tunnel. */
  get url(): string | null {
    return this.#port === null ? null : `http://127.0.0.1:${this.#port}${WEBHOOK_PATH}`;
  }

  get port(): number | null {
    return this.#port;
  }

  /** Where a replayed delivery goes: this listener, signed with its first secret. */
  get replayTarget(): { url: string; secret: string } | null {
    const secret = this.#options.secrets()[0];
    return this.url && secret ? { url: this.url, secret } : null;
  }

  /**
   * Serves `pathPrefix` (e.g. `/oauth/callback` or `/media/out/`) from `handler` on this thread:
   * exact match, or any path under it when the prefix ends in `/`. Returns the unmount function.
   */
  mount(pathPrefix: string, handler: PublicRouteHandler): () => void {
    return this.#routes.mount(pathPrefix, handler);
  }

  /** Tells the receiver thread the current secrets, verify token and forwarding. */
  settingsChanged(): void {
    this.#worker?.postMessage({
      kind: 'settings',
      settings: this.#settings(),
    } satisfies ToReceiver);
  }

  async start(): Promise<void> {
    if (this.#routesServer) return;
    const routesServer = createGuardedServer({
      name: 'public routes',
      handler: this.#routes.handle,
      logger: this.#options.logger,
    });
    this.#routesServer = routesServer;
    await new Promise<void>((resolve) => routesServer.listen(0, '127.0.0.1', resolve));
    try {
      this.#port = await this.#spawn(this.#options.port);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.#restart) clearTimeout(this.#restart);
    this.#restart = null;
    const worker = this.#worker;
    const routesServer = this.#routesServer;
    this.#worker = null;
    this.#routesServer = null;
    this.#port = null;
    if (worker) await stopWorker(worker);
    if (routesServer) {
      routesServer.closeIdleConnections();
      await new Promise<void>((resolve) => routesServer.close(() => resolve()));
    }
  }

  #settings(): ReceiverSettings {
    return {
      secrets: [...this.#options.secrets()],
      verifyToken: this.#options.verifyToken(),
      forwarding: this.#options.forwarding(),
    };
  }

  /** Starts a receiver thread on `port`; resolves with the port it listens on. */
  #spawn(port: number): Promise<number> {
    const entry = workerEntry('receiver');
    const workerData: ReceiverData = {
      port,
      databasePath: this.#options.databasePath,
      routesPort: (this.#routesServer?.address() as AddressInfo).port,
      limits: this.#options.limits,
      settings: this.#settings(),
      writeWaits: writeWaitsBuffer(),
    };
    const worker = new Worker(entry.url, { workerData, execArgv: entry.execArgv });
    this.#worker = worker;
    return new Promise<number>((resolve, reject) => {
      worker.on('message', (message: FromReceiver) => {
        if (message.kind === 'listening') resolve(message.port);
        else if (message.kind === 'failed') reject(new Error(message.message));
        else this.#relay(message.notices);
      });
      worker.on('error', (error) =>
        this.#options.logger.error('the receiver thread failed', { error: String(error) }),
      );
      worker.once('exit', (code) => {
        reject(new Error(`the receiver thread stopped before it listened (exit code ${code})`));
        if (this.#worker !== worker) return; // stopped on purpose
        this.#worker = null;
        this.#options.logger.error('the receiver thread stopped; starting it again', { code });
        this.#scheduleRestart();
      });
    });
  }

  #scheduleRestart(): void {
    this.#restart = setTimeout(() => {
      this.#restart = null;
      if (this.#port === null) return;
      this.#spawn(this.#port).then(
        () => {
          this.#restartDelay = RECEIVER_RESTART_MS.firstMs;
          this.#options.logger.info('the receiver thread listens again', { port: this.#port });
          this.#options.onRestarted?.();
        },
        (error: unknown) =>
          this.#options.logger.error('the receiver thread could not start again', {
            error: String(error),
          }),
      );
    }, this.#restartDelay);
    this.#restartDelay = Math.min(this.#restartDelay * 2, RECEIVER_RESTART_MS.maxMs);
  }

  #relay(notices: readonly ReceiverNotice[]): void {
    const options = this.#options;
    for (const notice of notices) {
      switch (notice.kind) {
        case 'stored':
          options.onStored(notice);
          break;
        case 'answered':
          options.onAnswered?.(notice.answer);
          break;
        case 'signature':
          options.onSignatureChecked?.(notice.matched);
          break;
        case 'verified':
          options.onVerified?.();
          break;
        case 'store-failed': {
          const error = Object.assign(new Error(notice.message), { errcode: notice.errcode });
          if (options.onStoreFailed) options.onStoreFailed(error);
          else
            options.logger.error('webhook delivery could not be stored', { error: String(error) });
          break;
        }
        case 'log':
          options.logger[notice.level](notice.message, notice.fields);
          break;
      }
    }
  }
}

/** Asks a receiver thread to finish what it holds and end; ends it if it takes too long. */
async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ kind: 'stop' } satisfies ToReceiver);
  const grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
  await exited;
  clearTimeout(grace);
}
