import type { FailureReason } from '../../../shared/domain/failure-reason';
import { detail } from '../../../shared/domain/localized-text';
import type { Logger, TunnelProvider, TunnelSession } from '../ports';
import { describeTunnelError } from './ngrok-tunnel';

export type TunnelState = {
  state: 'off' | 'connecting' | 'online' | 'error';
  /** Public https base URL while online. */
  url: string | null;
  /** Why the tunnel is not online; null when nothing went wrong. */
  error: FailureReason | null;
  /** Epoch ms of the next connection attempt after a failure. */
  retryAt: number | null;
};

export type TunnelKeeperOptions = {
  provider: TunnelProvider;
  localPort: number;
  authtoken: string;
  domain: string | null;
  logger: Logger;
  now: () => number;
  onChange: (state: TunnelState) => void;
  /** First wait after a failure; doubles each time up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long the SDK may try to restore a dropped session itself before a fresh connect. */
  reconnectGraceMs?: number;
};

const OFF: TunnelState = { state: 'off', url: null, error: null, retryAt: null };

/**
 * Keeps the public tunnel up for as long as Inlet runs. A failed connect is retried with
 * exponential back-off (Meta keeps retrying deliveries for a while, docs/platform.md#delivery, so
 * every minute back online counts); a dropped session gets a grace period to come back by itself,
 * then is replaced. Every change is reported in plain words for the status strip.
 */
export class TunnelKeeper {
  readonly #options: TunnelKeeperOptions;
  #state: TunnelState = OFF;
  #session: TunnelSession | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #running = false;
  #generation = 0;
  /** Callers of `woke` waiting for the tunnel to settle (online or failed). */
  #settled: (() => void)[] = [];

  constructor(options: TunnelKeeperOptions) {
    this.#options = options;
  }

  get state(): TunnelState {
    return this.#state;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#connect();
  }

  /**
   * The machine woke: a connect waiting out its back-off is tried at once (Meta's retries are
   * running out while we wait). Resolves when the tunnel is online, failed again or after
   * `timeoutMs`; at once when it is online already or not running. A session that dropped during
   * the sleep keeps its grace period: the SDK may restore it by itself.
   */
  woke(timeoutMs: number): Promise<TunnelState['state']> {
    if (!this.#running || this.#state.state === 'online') {
      return Promise.resolve(this.#state.state);
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#settled = this.#settled.filter((waiter) => waiter !== done);
        resolve(this.#state.state);
      };
      const timer = setTimeout(done, timeoutMs);
      this.#settled.push(done);
      if (this.#state.state === 'error') {
        this.#options.logger.info('tunnel: retrying now, after wake');
        this.#clearTimer();
        void this.#connect();
      }
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#generation += 1; // anything still connecting will close what it opens
    this.#clearTimer();
    const session = this.#session;
    this.#session = null;
    this.#set(OFF);
    await session
      ?.close()
      .catch((error: unknown) =>
        this.#options.logger.warn('tunnel close failed', { error: String(error) }),
      );
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    const { provider, localPort, authtoken, domain, logger } = this.#options;
    this.#set({ ...this.#state, state: 'connecting', url: null, retryAt: null });
    try {
      const session = await provider.open({
        localPort,
        authtoken,
        ...(domain ? { domain } : {}),
        onDisconnected: (reason) => this.#dropped(generation, reason),
        onReconnected: () => this.#restored(generation),
      });
      if (generation !== this.#generation || !this.#running) {
        await session.close(); // stopped or superseded while connecting
        return;
      }
      this.#session = session;
      this.#failures = 0;
      this.#set({
        state: 'online',
        url: session.url,
        error: null,
        retryAt: null,
      });
      logger.info('tunnel online', { url: session.url });
    } catch (error) {
      if (generation !== this.#generation || !this.#running) return;
      this.#failed(describeTunnelError(error, domain));
    }
  }

  #failed(reason: FailureReason): void {
    const { initialDelayMs = 1_000, maxDelayMs = 60_000, logger } = this.#options;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** this.#failures);
    this.#failures += 1;
    const retryAt = this.#options.now() + delay;
    logger.warn('tunnel failed; will retry', { error: reason.text, retryInMs: delay });
    this.#set({
      state: 'error',
      url: null,
      error: reason,
      retryAt,
    });
    this.#schedule(delay, () => void this.#connect());
  }

  #dropped(generation: number, reason: string): void {
    if (generation !== this.#generation || !this.#running || this.#session === null) return;
    const { reconnectGraceMs = 30_000, logger } = this.#options;
    logger.warn('tunnel connection lost; reconnecting', { reason });
    this.#set({
      state: 'connecting',
      url: null,
      error: {
        text: `The connection to ngrok was lost (${reason}); reconnecting.`,
        detail: detail('tunnelReconnecting', { technical: reason }),
      },
      retryAt: null,
    });
    this.#schedule(reconnectGraceMs, () => {
      // The SDK did not restore it: start over with a fresh session.
      const session = this.#session;
      this.#session = null;
      this.#generation += 1;
      void session?.close().catch(() => undefined);
      this.#failed({
        text: `The connection to ngrok was lost (${reason}) and did not come back.`,
        detail: detail('tunnelLost', { technical: reason }),
      });
    });
  }

  #restored(generation: number): void {
    if (generation !== this.#generation || !this.#running || this.#session === null) return;
    this.#clearTimer();
    this.#options.logger.info('tunnel connection restored');
    this.#set({
      state: 'online',
      url: this.#session.url,
      error: null,
      retryAt: null,
    });
  }

  #schedule(delay: number, task: () => void): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#running) task();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #set(state: TunnelState): void {
    this.#state = state;
    this.#options.onChange(state);
    if (state.state !== 'connecting') for (const done of [...this.#settled]) done();
  }
}
