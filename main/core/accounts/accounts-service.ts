import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FailureReason } from '../../../shared/domain/failure-reason';
import { detail } from '../../../shared/domain/localized-text';
import type { Account } from '../../../shared/domain/schemas';
import type { EventPayload } from '../../../shared/ipc/contract';
import {
  OAuthFlowError,
  startOAuthFlow,
  type ConnectedAccount,
  type OAuthFlow,
} from '../auth/oauth-flow';
import { subscribeAccount } from '../auth/webhook-subscription';
import { TokenRefresher, type AccountAuthState, type Schedule } from '../auth/token-refresher';
import type { TokenVault } from '../auth/token-vault';
import { AppError, describeError, reasonOf } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import type { HealthAccount } from '../health/checks';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock, ExternalBrowser, Logger, LoginWindow } from '../ports';
import { deliverCapturedRedirect, forwardToLogin, noLoginPage } from './callback-proxy';

/**
 * Every connected Instagram account of this run: the ones connected through the login
 * (tokens in the vault, refreshed ahead of expiry) and the configured ones (the sandbox shop, or
 * INLET_IG_USER_ID + INLET_ACCESS_TOKEN), side by side. Webhooks route by `entry[].id`, which is
 * the `igUserId` key here (docs/platform.md#ids).
 */

export type ConnectResult = EventPayload<'accounts:connectFinished'>;

const NEEDS_LOGIN = 'This account needs a new login.';

type Entry = {
  igUserId: string;
  username: string;
  source: Account['source'];
  /** Null while a reconnect is needed: nothing may call Graph for this account then. */
  accessToken: string | null;
  reason: FailureReason | null;
  /**
   * What a configured token's login granted, when whoever issued it said so (the sandbox does; a
   * token generated in Meta's dashboard comes without it). Logins keep theirs in the vault.
   */
  permissions?: readonly string[];
};

export type LoginSetup = {
  appId: string;
  appSecret: string;
  oauthUrl: string;
  redirectUri: string;
  /** Set when no tunnel carries the redirect: the login window catches it instead. */
  loginWindow: LoginWindow | null;
};

export type AccountsServiceOptions = {
  vault: TokenVault;
  graph: GraphClient;
  browser: ExternalBrowser;
  clock: Clock;
  logger: Logger;
  /** What a login needs right now; throws an AppError saying what is missing. */
  loginSetup: () => Promise<LoginSetup>;
  /** The archive keeps the names, so an account needing a reconnect still shows who it is. */
  rememberAccount: (igUserId: string, username: string) => void;
  knownUsername: (igUserId: string) => string | null;
  /**
   * Subscribe every account at start (default). Off for `inlet doctor`, which reports a missing
   * subscription and repairs only when asked.
   */
  subscribeAtStart?: boolean;
  onChange: () => void;
  onConnectFinished: (result: ConnectResult) => void;
  /**
   * The account's own profile picture, kept like a customer's (media-archiver.ts): `keep` stores
   * a copy of the link `/me` gives (true when a new copy was stored), `url` names the copy.
   */
  picture?: {
    keep: (igUserId: string, url: string | null) => Promise<boolean>;
    url: (igUserId: string) => string | null;
  };
  schedule?: Schedule;
  loginTimeoutMs?: number;
};

export class AccountsService {
  readonly #options: AccountsServiceOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #refresher: TokenRefresher;
  readonly #readyListeners = new Set<(igUserId: string) => void>();
  #login: { flow: OAuthFlow; expected: string | null } | null = null;

  constructor(options: AccountsServiceOptions) {
    this.#options = options;
    this.#refresher = new TokenRefresher({
      vault: options.vault,
      graph: options.graph,
      clock: options.clock,
      logger: options.logger,
      onChange: (igUserId, state) => void this.#onAuthState(igUserId, state),
      ...(options.schedule ? { schedule: options.schedule } : {}),
    });
  }

  /** Loads the vault's accounts, then keeps their tokens fresh. */
  async start(): Promise<void> {
    for (const account of await this.#options.vault.listAccounts()) {
      if (account.status === 'ok') {
        const { token } = account;
        this.#entries.set(token.igUserId, {
          igUserId: token.igUserId,
          username: token.username,
          source: 'oauth',
          accessToken: token.accessToken,
          reason: null,
        });
      } else {
        this.#entries.set(account.igUserId, {
          igUserId: account.igUserId,
          username: this.#options.knownUsername(account.igUserId) ?? account.igUserId,
          source: 'oauth',
          accessToken: null,
          reason: { text: account.reason, detail: account.detail },
        });
      }
    }
    // Off the start's path: the picture is cosmetic and its link expires, so each run reads it.
    for (const { igUserId, accessToken } of this.#entries.values()) {
      if (accessToken !== null) this.#readPicture(igUserId, accessToken);
    }
    if (this.#options.subscribeAtStart !== false) {
      await Promise.all(
        [...this.#entries.values()].flatMap(({ igUserId, accessToken }) =>
          accessToken === null ? [] : [this.#subscribe(igUserId, accessToken)],
        ),
      );
    }
    this.#refresher.start();
  }

  /**
   * Every start re-subscribes: Meta may have dropped a subscription while Inlet was away. A refusal
   * leaves the account connected (its token may still read the inbox) and is logged with Inlet's
   * explanation, e.g. the missing tester role of an app in Development mode.
   */
  async #subscribe(igUserId: string, accessToken: string): Promise<void> {
    const { graph, logger } = this.#options;
    try {
      const fields = await subscribeAccount(graph, accessToken, igUserId);
      logger.info('account subscribed to webhooks', { igUserId, fields: fields.join(',') });
    } catch (error) {
      logger.warn('could not subscribe the account to webhooks', {
        igUserId,
        error: describeError(error),
      });
    }
  }

  stop(): void {
    this.#refresher.stop();
    this.#login?.flow.cancel();
    this.#login = null;
  }

  /**
   * The sandbox shop or the environment's account: not in the vault, never refreshed here. A token
   * Instagram already rejected stays unused: the account needs a login (or another token).
   */
  addConfigured(
    igUserId: string,
    username: string,
    accessToken: string,
    permissions?: readonly string[],
  ): void {
    if (this.#entries.get(igUserId)?.source === 'oauth') return; // a real login wins
    const rejected = this.isRejected(igUserId, accessToken);
    this.#entries.set(igUserId, {
      igUserId,
      username,
      source: 'configured',
      accessToken: rejected ? null : accessToken,
      reason: rejected ? this.#options.vault.rejection(igUserId, accessToken) : null,
      ...(permissions === undefined ? {} : { permissions }),
    });
    this.#options.rememberAccount(igUserId, username);
  }

  /**
   * Adds the sandbox shop or the environment's account under its Instagram username. A token
   * Instagram already rejected is not offered to it again, not even to read the name.
   */
  async addConfiguredAccount(account: {
    igUserId: string;
    accessToken: string;
    permissions?: readonly string[];
  }): Promise<void> {
    const { igUserId, accessToken, permissions } = account;
    const username = this.isRejected(igUserId, accessToken)
      ? (this.#options.knownUsername(igUserId) ?? igUserId)
      : await this.#readUsername(igUserId, accessToken);
    this.addConfigured(igUserId, username, accessToken, permissions);
    if (this.#options.subscribeAtStart !== false && !this.isRejected(igUserId, accessToken))
      await this.#subscribe(igUserId, accessToken);
  }

  async #readUsername(igUserId: string, accessToken: string): Promise<string> {
    const { graph, logger } = this.#options;
    try {
      const me = await graph.getMe(accessToken);
      if (me.igUserId !== igUserId) {
        logger.warn('the access token belongs to another account than INLET_IG_USER_ID', {
          igUserId,
          tokenAccount: me.igUserId,
        });
      }
      this.#keepPicture(igUserId, me.profilePictureUrl);
      return me.username;
    } catch (error) {
      // The inbox still works from webhooks; the name is cosmetic and is fetched again next start.
      logger.warn('could not read the account profile from Graph', {
        igUserId,
        error: describeError(error),
      });
      return igUserId;
    }
  }

  /** Reads the account's picture link from `/me` and keeps a copy; a failure is only logged. */
  #readPicture(igUserId: string, accessToken: string): void {
    if (!this.#options.picture) return;
    this.#options.graph.getMe(accessToken).then(
      (me) => this.#keepPicture(igUserId, me.profilePictureUrl),
      (error: unknown) =>
        this.#options.logger.warn('could not read the account picture from Graph', {
          igUserId,
          error: describeError(error),
        }),
    );
  }

  #keepPicture(igUserId: string, url: string | null): void {
    this.#options.picture?.keep(igUserId, url).then(
      (isNew) => {
        if (isNew) this.#options.onChange();
      },
      (error: unknown) =>
        this.#options.logger.warn('account picture not kept', {
          igUserId,
          error: describeError(error),
        }),
    );
  }

  /** Instagram rejected this token in this run or an earlier one (code 190). */
  isRejected(igUserId: string, accessToken: string): boolean {
    return this.#options.vault.rejection(igUserId, accessToken) !== null;
  }

  /** Webhooks for an account that is not here are kept aside, not shown (inbox-service). */
  has(igUserId: string): boolean {
    return this.#entries.has(igUserId);
  }

  /** The token Graph calls for this account use; null when absent or a reconnect is needed. */
  token(igUserId: string): string | null {
    return this.#entries.get(igUserId)?.accessToken ?? null;
  }

  list(): Account[] {
    return [...this.#entries.values()]
      .sort((a, b) => a.username.localeCompare(b.username) || a.igUserId.localeCompare(b.igUserId))
      .map(({ igUserId, username, source, accessToken, reason }) => ({
        igUserId,
        username,
        source,
        state: accessToken === null ? 'reconnect-needed' : 'connected',
        reason: accessToken === null ? reason : null,
        pictureUrl: this.#options.picture?.url(igUserId) ?? null,
      }));
  }

  /**
   * Every account as the health checks see it: its token, why it needs a new login, and what its
   * login granted (the vault's record, or what a configured token's issuer said; else null).
   */
  healthAccounts(): Promise<HealthAccount[]> {
    return Promise.all(
      this.list().map(async (account) => {
        const stored = await this.#options.vault.getAccount(account.igUserId);
        return {
          igUserId: account.igUserId,
          username: account.username,
          token: this.token(account.igUserId),
          reconnectReason: account.reason,
          permissions:
            stored?.status === 'ok'
              ? stored.token.permissions
              : (this.#entries.get(account.igUserId)?.permissions ?? null),
        };
      }),
    );
  }

  /** Why each account needs a new login (to hold its outbox across a restart). */
  reconnectReasons(): Map<string, FailureReason> {
    const reasons = new Map<string, FailureReason>();
    for (const entry of this.#entries.values())
      if (entry.accessToken === null)
        reasons.set(entry.igUserId, entry.reason ?? { text: NEEDS_LOGIN, detail: null });
    return reasons;
  }

  /**
   * The hook for whatever paused on this account (e.g. an outbox paused on code 190): called when
   * the account becomes usable again after a login. Returns the unsubscribe.
   */
  onAccountReady(listener: (igUserId: string) => void): () => void {
    this.#readyListeners.add(listener);
    return () => void this.#readyListeners.delete(listener);
  }

  /**
   * Graph said 190 (or the token was revoked) outside a refresh: only a new login helps. The vault
   * remembers the rejected token, so after a restart the account still waits for that login.
   */
  markReconnectNeeded(igUserId: string, reason: FailureReason): void {
    const entry = this.#entries.get(igUserId);
    if (!entry || entry.accessToken === null) return;
    this.#options.vault.markRejected(igUserId, entry.accessToken, reason);
    entry.accessToken = null;
    entry.reason = reason;
    this.#options.logger.warn('account needs a new login', { igUserId });
    this.#options.onChange();
  }

  readonly handlers = {
    'accounts:connect': () => this.connect(),
    'accounts:reconnect': async ({ igUserId }) => this.reconnect(igUserId),
    'accounts:disconnect': ({ igUserId }) => this.disconnect(igUserId),
  } satisfies HandlersFor<'accounts'>;

  /** Starts a login in the browser; the outcome arrives through `onConnectFinished`. */
  connect(): Promise<{ authorizeUrl: string }> {
    return this.#startLogin(null);
  }

  reconnect(igUserId: string): Promise<{ authorizeUrl: string }> {
    if (!this.#entries.has(igUserId))
      throw new AppError('NOT_FOUND', 'This account is not connected to Inlet.', {
        detail: detail('accountUnknown'),
      });
    return this.#startLogin(igUserId);
  }

  async disconnect(igUserId: string): Promise<void> {
    const entry = this.#entries.get(igUserId);
    if (!entry)
      throw new AppError('NOT_FOUND', 'This account is not connected to Inlet.', {
        detail: detail('accountUnknown'),
      });
    if (entry.source === 'configured')
      throw new AppError(
        'INVALID_INPUT',
        'This account comes from the sandbox or from INLET_ACCESS_TOKEN; remove it there.',
        { detail: detail('accountConfigured') },
      );
    this.#refresher.forget(igUserId);
    this.#options.vault.remove(igUserId);
    this.#entries.delete(igUserId);
    this.#options.logger.info('account disconnected', { igUserId });
    this.#options.onChange();
    return Promise.resolve();
  }

  /**
   * The public listener's handler for the callback path: hands the request to the login that is
   * waiting, or says that none is.
   */
  handleCallback = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const login = this.#login;
    if (login === null) return noLoginPage(response);
    await forwardToLogin(request, response, login.flow.localCallbackUrl);
  };

  async #startLogin(expected: string | null): Promise<{ authorizeUrl: string }> {
    const { loginWindow, ...setup } = await this.#options.loginSetup();
    // One login at a time: a new click replaces the one left open in another tab.
    this.#login?.flow.cancel();
    let flowStarted: (flow: OAuthFlow) => void = () => {};
    const started = new Promise<OAuthFlow>((resolve) => (flowStarted = resolve));
    const browser: ExternalBrowser = loginWindow
      ? { open: (url) => this.#captureLogin(loginWindow, url, setup.redirectUri, started) }
      : this.#options.browser;
    const flow = await startOAuthFlow({
      ...setup,
      graph: this.#options.graph,
      browser,
      clock: this.#options.clock,
      logger: this.#options.logger,
      listen: { port: 0 },
      ...(this.#options.loginTimeoutMs ? { timeoutMs: this.#options.loginTimeoutMs } : {}),
    });
    flowStarted(flow);
    const login = { flow, expected };
    this.#login = login;
    void flow.result.then(
      (account) => this.#finishLogin(login, account),
      (error: unknown) => {
        const wasReplaced = this.#login !== login;
        if (!wasReplaced) this.#login = null;
        // A login replaced by a newer one says nothing: the newer one will.
        if (wasReplaced && error instanceof OAuthFlowError && error.reason === 'cancelled') return;
        this.#options.onConnectFinished({
          ok: false,
          code: error instanceof OAuthFlowError ? error.reason : 'exchange-failed',
          reason:
            error instanceof AppError
              ? reasonOf(error)
              : { text: 'Inlet could not finish the login.', detail: detail('loginFailed') },
        });
      },
    );
    return { authorizeUrl: flow.authorizeUrl.href };
  }

  /** The login window's way back: no tunnel, so the caught redirect is delivered locally. */
  async #captureLogin(
    loginWindow: LoginWindow,
    authorizeUrl: URL,
    redirectUri: string,
    started: Promise<OAuthFlow>,
  ): Promise<void> {
    const caught = await loginWindow.capture(authorizeUrl, redirectUri);
    const flow = await started;
    if (caught === null) {
      flow.cancel(); // the user closed the window
      return;
    }
    await deliverCapturedRedirect(flow.localCallbackUrl, caught);
  }

  async #finishLogin(
    login: { flow: OAuthFlow; expected: string | null },
    account: ConnectedAccount,
  ): Promise<void> {
    if (this.#login === login) this.#login = null;
    try {
      await this.#options.vault.saveAccount({
        igUserId: account.igUserId,
        username: account.username,
        accessToken: account.accessToken,
        issuedAt: account.issuedAt,
        expiresAt: account.expiresAt,
        permissions: account.permissions,
      });
    } catch (error) {
      this.#options.logger.error('could not save the new login', { igUserId: account.igUserId });
      this.#options.onConnectFinished({
        ok: false,
        code: 'exchange-failed',
        reason:
          error instanceof AppError
            ? reasonOf(error)
            : { text: 'Inlet could not save the login.', detail: detail('loginNotSaved') },
      });
      return;
    }
    this.#refresher.forget(account.igUserId);
    this.#entries.set(account.igUserId, {
      igUserId: account.igUserId,
      username: account.username,
      source: 'oauth',
      accessToken: account.accessToken,
      reason: null,
    });
    this.#options.rememberAccount(account.igUserId, account.username);
    this.#options.onChange();
    this.#readPicture(account.igUserId, account.accessToken);
    if (login.expected !== null && login.expected !== account.igUserId) {
      // Connected, but not the one that needed it: say so rather than pretend it was fixed.
      this.#options.onConnectFinished({
        ok: false,
        code: 'wrong-account',
        reason: {
          text: `You logged in as @${account.username}, which is now connected too; the account that needs a new login is still waiting for one.`,
          detail: detail('loginWrongAccount', { username: account.username }),
        },
      });
    } else {
      this.#options.onConnectFinished({
        ok: true,
        igUserId: account.igUserId,
        username: account.username,
      });
    }
    this.#emitReady(account.igUserId);
  }

  async #onAuthState(igUserId: string, state: AccountAuthState): Promise<void> {
    const entry = this.#entries.get(igUserId);
    if (!entry || entry.source !== 'oauth') return;
    if (state.status === 'needs-reconnect') {
      if (entry.accessToken === null && entry.reason?.text === state.reason) return;
      entry.accessToken = null;
      entry.reason = { text: state.reason, detail: state.detail };
      this.#options.onChange();
      return;
    }
    // Connected or a failed refresh with a working token: pick up whatever the vault holds now.
    const stored = await this.#options.vault.getAccount(igUserId);
    if (stored?.status !== 'ok') return;
    const wasBlocked = entry.accessToken === null;
    entry.accessToken = stored.token.accessToken;
    entry.reason = null;
    if (wasBlocked) {
      this.#options.onChange();
      this.#emitReady(igUserId);
    }
  }

  #emitReady(igUserId: string): void {
    this.#options.logger.info('account ready', { igUserId });
    for (const listener of this.#readyListeners) {
      try {
        listener(igUserId);
      } catch (error) {
        this.#options.logger.error('account-ready listener failed', { error: String(error) });
      }
    }
  }
}
