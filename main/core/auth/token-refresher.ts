import { detail, type LocalizedText } from '../../../shared/domain/localized-text';
import { AppError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import { GraphError, type GraphFailure } from '../graph/graph-errors';
import type { Clock, Logger } from '../ports';
import type { StoredToken, TokenVault } from './token-vault';

/**
 * Keeps every connected account's 60-day token alive (docs/platform.md#token-refresh):
 * refresh once a token is at least 24 h old and expires within 7 days, one refresh in flight per
 * account, back off on transient failures while the old token keeps working, and stop at
 * "reconnect needed" on code 190 or expiry, since an expired token cannot be refreshed.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Meta refuses younger tokens (docs/platform.md#token-refresh). */
export const MIN_TOKEN_AGE_MS = DAY_MS;
/**
 * The seed guidance (docs/platform.md#token-refresh suggests 10–15 days; 7 leaves several
 * daily chances).
 */
export const REFRESH_WINDOW_MS = 7 * DAY_MS;
export const CHECK_INTERVAL_MS = 6 * HOUR_MS;
export const RETRY_BASE_MS = 60_000;
export const RETRY_CAP_MS = 6 * HOUR_MS;

export type AccountAuthState =
  | { status: 'connected'; expiresAt: number }
  /** The old token still works; `retryAt` is null when only the next periodic check will try. */
  | {
      status: 'refresh-failed';
      expiresAt: number;
      reason: string;
      retryAt: number | null;
      /** The Graph classification (graph-errors.ts), null for a non-Graph failure. */
      failure: Pick<GraphFailure, 'kind' | 'reason'> | null;
    }
  | { status: 'needs-reconnect'; reason: string; detail: LocalizedText | null };

export type Cancel = () => void;
/** setTimeout-like; the default unrefs its timers so they never keep the process alive. */
export type Schedule = (callback: () => void, delayMs: number) => Cancel;

export type TokenRefresherOptions = {
  vault: TokenVault;
  graph: Pick<GraphClient, 'refreshLongLived'>;
  clock: Clock;
  logger: Logger;
  onChange: (igUserId: string, state: AccountAuthState) => void;
  schedule?: Schedule;
  /** In [0, 1), for the back-off's jitter. */
  random?: () => number;
};

const TOO_YOUNG_REASON =
  'Instagram only refreshes a token that is at least 24 hours old; the current one keeps working.';
const EXPIRED_REASON =
  'The Instagram access token has expired and cannot be refreshed. Connect the account again.';
const EXPIRED: AccountAuthState = {
  status: 'needs-reconnect',
  reason: EXPIRED_REASON,
  detail: detail('tokenExpired'),
};

export function isExpired(token: Pick<StoredToken, 'expiresAt'>, now: number): boolean {
  return token.expiresAt <= now;
}

/** The refresh policy: old enough for Meta to accept, close enough to expiry to bother. */
export function isRefreshDue(token: Pick<StoredToken, 'issuedAt' | 'expiresAt'>, now: number) {
  return (
    !isExpired(token, now) &&
    now - token.issuedAt >= MIN_TOKEN_AGE_MS &&
    token.expiresAt - now <= REFRESH_WINDOW_MS
  );
}

/** Exponential back-off with full jitter: uniform in [0, min(cap, base · 2^attempt)). */
export function backoffDelayMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

export const defaultSchedule: Schedule = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

export class TokenRefresher {
  readonly #vault: TokenVault;
  readonly #graph: Pick<GraphClient, 'refreshLongLived'>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onChange: TokenRefresherOptions['onChange'];
  readonly #schedule: Schedule;
  readonly #random: () => number;

  #isRunning = false;
  #cancelCheck: Cancel | null = null;
  #checking: Promise<void> | null = null;
  readonly #inFlight = new Map<string, Promise<AccountAuthState>>();
  readonly #retries = new Map<string, { attempt: number; cancel: Cancel | null }>();
  readonly #states = new Map<string, AccountAuthState>();

  constructor(options: TokenRefresherOptions) {
    this.#vault = options.vault;
    this.#graph = options.graph;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#onChange = options.onChange;
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#random = options.random ?? Math.random;
  }

  /** Checks every account now, then every 6 h. Idempotent. */
  start(): void {
    if (this.#isRunning) return;
    this.#isRunning = true;
    void this.#periodicCheck();
  }

  /** Cancels the periodic check and pending retries; a refresh already in flight still lands. */
  stop(): void {
    if (!this.#isRunning) return;
    this.#isRunning = false;
    this.#cancelCheck?.();
    this.#cancelCheck = null;
    for (const retry of this.#retries.values()) retry.cancel?.();
    this.#retries.clear();
  }

  stateOf(igUserId: string): AccountAuthState | null {
    return this.#states.get(igUserId) ?? null;
  }

  /** Disconnect: no more refreshes or retries for this account. */
  forget(igUserId: string): void {
    this.#retries.get(igUserId)?.cancel?.();
    this.#retries.delete(igUserId);
    this.#states.delete(igUserId);
  }

  /** One pass over the vault by policy; concurrent callers share the pass in progress. */
  checkNow(): Promise<void> {
    this.#checking ??= this.#checkAll().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  /**
   * Refreshes regardless of the age policy (a "refresh now" button, a retry). Concurrent callers
   * get the same promise, so Meta sees one refresh per account at a time. Resolves to the state
   * it ends in; Graph failures are states, not rejections.
   */
  refreshNow(igUserId: string): Promise<AccountAuthState> {
    const pending = this.#inFlight.get(igUserId);
    if (pending) return pending;
    const attempt = this.#refresh(igUserId).finally(() => this.#inFlight.delete(igUserId));
    this.#inFlight.set(igUserId, attempt);
    return attempt;
  }

  async #periodicCheck(): Promise<void> {
    try {
      await this.checkNow();
    } catch (error) {
      this.#logger.error('token check failed', { error: String(error) });
    }
    if (!this.#isRunning) return;
    this.#cancelCheck = this.#schedule(() => void this.#periodicCheck(), CHECK_INTERVAL_MS);
  }

  async #checkAll(): Promise<void> {
    const now = this.#clock.now();
    const accounts = await this.#vault.listAccounts();
    await Promise.all(
      accounts.map(async (account) => {
        if (account.status === 'needs-reconnect')
          return this.#setState(account.igUserId, {
            status: 'needs-reconnect',
            reason: account.reason,
            detail: account.detail,
          });
        const { token } = account;
        if (isExpired(token, now)) return this.#setState(token.igUserId, EXPIRED);
        // A scheduled back-off retry owns the timing until it succeeds.
        if (isRefreshDue(token, now) && !this.#retries.get(token.igUserId)?.cancel) {
          await this.refreshNow(token.igUserId);
          return;
        }
        if (!this.#states.has(token.igUserId))
          this.#setState(token.igUserId, { status: 'connected', expiresAt: token.expiresAt });
      }),
    );
  }

  async #refresh(igUserId: string): Promise<AccountAuthState> {
    const account = await this.#vault.getAccount(igUserId);
    if (account === null) throw new AppError('NOT_CONNECTED', 'This account is not connected.');
    if (account.status === 'needs-reconnect')
      return this.#setState(igUserId, {
        status: 'needs-reconnect',
        reason: account.reason,
        detail: account.detail,
      });
    const { token } = account;
    if (isExpired(token, this.#clock.now())) return this.#setState(igUserId, EXPIRED);

    let fresh: { accessToken: string; expiresInSeconds: number };
    try {
      fresh = await this.#graph.refreshLongLived({ accessToken: token.accessToken });
    } catch (error) {
      return this.#onFailure(token, error);
    }
    const now = this.#clock.now();
    // Disconnected while the request was out: do not bring the token back.
    if ((await this.#vault.getAccount(igUserId)) === null)
      throw new AppError('NOT_CONNECTED', 'This account was disconnected.');
    // Meta may hand back the same string with a new expiry (docs/platform.md#token-refresh): store
    // whatever came back.
    const refreshed: StoredToken = {
      ...token,
      accessToken: fresh.accessToken,
      issuedAt: now,
      expiresAt: now + fresh.expiresInSeconds * 1000,
    };
    await this.#vault.saveAccount(refreshed);
    this.#clearRetry(igUserId);
    this.#logger.info('access token refreshed', {
      igUserId,
      expiresAt: new Date(refreshed.expiresAt).toISOString(),
    });
    return this.#setState(igUserId, { status: 'connected', expiresAt: refreshed.expiresAt });
  }

  #onFailure(token: StoredToken, error: unknown): AccountAuthState {
    const { igUserId } = token;
    const graphError = error instanceof GraphError ? error : null;
    const failure = graphError
      ? { kind: graphError.failure.kind, reason: graphError.failure.reason }
      : null;
    const reason =
      error instanceof AppError ? error.message : 'Inlet could not refresh the access token.';
    this.#logger.warn('token refresh failed', {
      igUserId,
      kind: graphError?.failure.kind ?? 'unexpected',
      reason: graphError?.failure.reason ?? String(error),
    });
    // 190 and revoked access (docs/platform.md#error-codes): only a new login helps, so no retry
    // loop.
    if (graphError?.failure.kind === 'reauth') {
      this.#clearRetry(igUserId);
      // Remembered across restarts: this token is never offered to Instagram again.
      this.#vault.markRejected(igUserId, token.accessToken, {
        text: reason,
        detail: graphError.detail,
      });
      return this.#setState(igUserId, {
        status: 'needs-reconnect',
        reason,
        detail: graphError.detail,
      });
    }
    // Transient (network, 5xx, throttling): back off; the old token stays in use meanwhile.
    if (graphError?.isRetryable === true && this.#isRunning) {
      const attempt = this.#retries.get(igUserId)?.attempt ?? 0;
      const now = this.#clock.now();
      const delay = Math.max(
        backoffDelayMs(attempt, this.#random),
        graphError.failure.retryAfterMs ?? 0,
      );
      const retryAt = now + delay;
      // A retry due after expiry finds the token expired and ends at "reconnect", not in a loop.
      const cancel = this.#schedule(() => {
        const retry = this.#retries.get(igUserId);
        if (retry) retry.cancel = null;
        void this.refreshNow(igUserId).catch((failure: unknown) =>
          this.#logger.warn('scheduled token refresh failed', { error: String(failure) }),
        );
      }, delay);
      this.#retries.set(igUserId, { attempt: attempt + 1, cancel });
      return this.#setState(igUserId, {
        status: 'refresh-failed',
        expiresAt: token.expiresAt,
        reason,
        retryAt,
        failure,
      });
    }
    // Permanent (e.g. "too young to refresh"): keep the token; the next periodic check decides.
    this.#clearRetry(igUserId);
    return this.#setState(igUserId, {
      status: 'refresh-failed',
      expiresAt: token.expiresAt,
      reason: this.#clock.now() - token.issuedAt < MIN_TOKEN_AGE_MS ? TOO_YOUNG_REASON : reason,
      retryAt: null,
      failure,
    });
  }

  #clearRetry(igUserId: string): void {
    this.#retries.get(igUserId)?.cancel?.();
    this.#retries.delete(igUserId);
  }

  #setState(igUserId: string, state: AccountAuthState): AccountAuthState {
    const previous = this.#states.get(igUserId);
    this.#states.set(igUserId, state);
    if (JSON.stringify(previous) !== JSON.stringify(state)) this.#onChange(igUserId, state);
    return state;
  }
}
