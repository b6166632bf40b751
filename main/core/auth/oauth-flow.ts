import { detail, type LocalizedText } from '../../../shared/domain/localized-text';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppErrorCode } from '../../../shared/ipc/result';
import { AppError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import { GraphError } from '../graph/graph-errors';
import { createGuardedServer, type ListenerLimits } from '../http/guarded-server';
import type { Clock, ExternalBrowser, Logger } from '../ports';
import { defaultSchedule, type Schedule } from './token-refresher';
import { INBOX_WEBHOOK_FIELDS } from '../../../shared/domain/webhook-fields';

/**
 * Business Login for Instagram through the system browser, in the spirit of RFC 8252
 * (docs/platform.md#accounts-and-login). Meta only redirects to a registered https URI
 * (docs/platform.md#redirect-uri), so the registered URI is the tunnel's https address plus
 * `CALLBACK_PATH`, and the tunnel forwards it to a one-shot listener on 127.0.0.1. PKCE is not
 * supported by this flow (docs/platform.md#oauth): a random single-use `state` and an exchange done
 * here, in main, protect it instead.
 */

export const CALLBACK_PATH = '/oauth/callback';
export const DEFAULT_OAUTH_TIMEOUT_MS = 5 * 60_000;

export const BASIC_SCOPE = 'instagram_business_basic';
export const MESSAGES_SCOPE = 'instagram_business_manage_messages';
export const COMMENTS_SCOPE = 'instagram_business_manage_comments';
/**
 * Every permission a feature needs (docs/platform.md#oauth): basic is mandatory, messages is the
 * inbox, comments is the Comments view and private replies. Only messages is required to connect.
 */
export const LOGIN_SCOPES = [BASIC_SCOPE, MESSAGES_SCOPE, COMMENTS_SCOPE] as const;

/** The per-account install of docs/platform.md#subscriptions, layer 3: every field a feature reads. */
export { INBOX_WEBHOOK_FIELDS };

/** What a token without the comments permission can subscribe (docs/platform.md#webhook-fields). */
export const MESSAGING_WEBHOOK_FIELDS = INBOX_WEBHOOK_FIELDS.filter(
  (field) => field !== 'comments' && field !== 'live_comments',
);

/**
 * The per-account install, done at every connect and start: Meta delivers nothing to an account
 * that is not subscribed, and may drop a subscription that kept failing. A token without the
 * comments permission (unticked at login, or generated without it) still gets its messages.
 * Returns the fields now subscribed.
 */
export async function subscribeAccount(
  graph: Pick<GraphClient, 'subscribeApp'>,
  accessToken: string,
  igUserId: string,
): Promise<readonly string[]> {
  try {
    await graph.subscribeApp(accessToken, igUserId, [...INBOX_WEBHOOK_FIELDS]);
    return INBOX_WEBHOOK_FIELDS;
  } catch (error) {
    if (!(error instanceof GraphError) || error.failure.reason !== 'permission-missing')
      throw error;
    await graph.subscribeApp(accessToken, igUserId, MESSAGING_WEBHOOK_FIELDS);
    return MESSAGING_WEBHOOK_FIELDS;
  }
}

export type ConnectedAccount = {
  /** `/me`'s `user_id`: the id webhooks carry in `entry[].id` (docs/platform.md#ids). */
  igUserId: string;
  username: string;
  /** Long-lived (60 days, docs/platform.md#token-exchange). */
  accessToken: string;
  issuedAt: number;
  expiresAt: number;
  permissions: string[] | null;
};

export type OAuthFailureReason =
  'denied' | 'permission-missing' | 'exchange-failed' | 'timeout' | 'cancelled' | 'browser-failed';

/** Why a login ended without an account; `reason` lets the UI offer the right next step. */
export class OAuthFlowError extends AppError {
  readonly reason: OAuthFailureReason;

  constructor(
    reason: OAuthFailureReason,
    code: AppErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: LocalizedText | null },
  ) {
    super(code, message, options);
    this.name = 'OAuthFlowError';
    this.reason = reason;
  }
}

export type OAuthFlowOptions = {
  /** The Instagram app id (docs/platform.md#oauth), not the Meta app id. */
  appId: string;
  appSecret: string;
  /** Authorize host, e.g. https://www.instagram.com or the emulator (docs/platform.md#oauth). */
  oauthUrl: string;
  /**
   * The redirect URI registered at Meta: the tunnel's https URL + `CALLBACK_PATH`, sent identically
   * in the authorize call and the exchange (docs/platform.md#redirect-uri). Plain http is accepted
   * for loopback hosts only (the emulator; dashboards that allow it). The renderer never chooses
   * it.
   */
  redirectUri: string;
  graph: GraphClient;
  browser: ExternalBrowser;
  clock: Clock;
  logger: Logger;
  /** Default 5 minutes. */
  timeoutMs?: number;
  /** Runs the timeout; tests pass one they fire by hand instead of waiting 5 minutes. */
  schedule?: Schedule;
  listen: { port?: number };
  /** Header and request deadlines of the callback listener; tests shorten them. */
  limits?: Partial<ListenerLimits>;
};

export type OAuthFlow = {
  authorizeUrl: URL;
  /** Where the tunnel must forward `redirectUri` to: http://127.0.0.1:PORT/oauth/callback. */
  localCallbackUrl: string;
  result: Promise<ConnectedAccount>;
  /** Idempotent; rejects `result` with reason `cancelled` unless it already settled. */
  cancel(): void;
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function startOAuthFlow(options: OAuthFlowOptions): Promise<OAuthFlow> {
  const { logger, graph, clock } = options;
  const redirect = parseRedirectUri(options.redirectUri);
  const timeoutMs = options.timeoutMs ?? DEFAULT_OAUTH_TIMEOUT_MS;
  const state = randomBytes(32).toString('base64url');
  const stateBytes = Buffer.from(state);

  let settle: { resolve(account: ConnectedAccount): void; reject(error: Error): void };
  const result = new Promise<ConnectedAccount>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Marks the promise handled for Node; callers awaiting `result` still see the rejection.
  result.catch(() => {});

  /** One-way: waiting → exchanging (state consumed) → done. */
  let phase: 'waiting' | 'exchanging' | 'done' = 'waiting';

  const server = createGuardedServer({
    name: 'oauth callback',
    handler: handle,
    logger,
    limits: options.limits,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const localCallbackUrl = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  /**
   * Host check: the loopback names this listener answers to, plus the redirect URI's host, which
   * the tunnel forwards unchanged (ngrok keeps the public Host by default). Its purpose is DNS
   * rebinding: a web page that resolves its own name to 127.0.0.1 still sends its own Host. The
   * tunnel host is public anyway; `state` is what stops forged callbacks.
   */
  const allowedHosts = new Set([
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    redirect.host.toLowerCase(),
  ]);

  const finish = (outcome: { account: ConnectedAccount } | { error: Error }) => {
    if (phase === 'done') return;
    phase = 'done';
    cancelTimeout();
    server.close();
    server.closeIdleConnections();
    if ('account' in outcome) settle.resolve(outcome.account);
    else settle.reject(outcome.error);
  };

  const cancelTimeout = (options.schedule ?? defaultSchedule)(() => {
    logger.warn('oauth login timed out', { timeoutMs });
    finish({
      error: new OAuthFlowError(
        'timeout',
        'NOT_CONNECTED',
        `The Instagram login was not finished within ${formatDuration(timeoutMs)}. Start it again from Inlet.`,
        { detail: detail('loginTimedOut') },
      ),
    });
  }, timeoutMs);

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) {
      logger.warn('oauth callback refused: unexpected Host header');
      return page(response, 421, 'Wrong address', 'This address does not belong to Inlet’s login.');
    }
    if (url.pathname !== CALLBACK_PATH) return page(response, 404, 'Not found', 'Nothing here.');
    if (request.method !== 'GET')
      return page(response, 405, 'Not allowed', 'The login callback is a GET.');

    if (!isSameState(url.searchParams.get('state'), stateBytes)) {
      // Not consumed: the real redirect may still come. A replay from an earlier login
      // carries that login's state and lands here too.
      logger.warn('oauth callback refused: wrong or missing state');
      return page(
        response,
        400,
        'This login link is not valid',
        'It does not belong to the login Inlet is waiting for. Start the connection again from Inlet.',
      );
    }
    if (phase !== 'waiting') {
      // The state is single use; a second callback never reaches the token endpoint.
      logger.warn('oauth callback refused: state already used');
      return page(
        response,
        400,
        'This login link was already used',
        'Go back to Inlet to see whether the account is connected.',
      );
    }

    const error = url.searchParams.get('error');
    if (error !== null) {
      phase = 'exchanging';
      const isDenied = error === 'access_denied';
      logger.info('oauth login not granted', { error: isDenied ? error : 'other' });
      const message = isDenied
        ? 'You declined the Instagram login, so no account was connected.'
        : 'Instagram did not complete the login, so no account was connected.';
      page(response, 200, 'No account connected', `${message} You can close this tab.`);
      return finish({
        error: new OAuthFlowError('denied', 'FORBIDDEN', message, {
          detail: detail(isDenied ? 'loginDeclined' : 'loginNotCompleted'),
        }),
      });
    }

    // docs/platform.md#oauth: the `#_` Instagram appends is not part of the code (browsers drop the
    // fragment, a captured URL may keep it).
    const code = (url.searchParams.get('code') ?? '').trim().replace(/#_$/, '');
    if (code === '') {
      logger.warn('oauth callback refused: neither code nor error');
      return page(response, 400, 'Incomplete login', 'Instagram sent no authorization code.');
    }
    phase = 'exchanging';
    cancelTimeout(); // the exchange has its own per-request timeouts (graph client)

    let account: ConnectedAccount;
    try {
      account = await connect(code);
    } catch (caught) {
      const failure =
        caught instanceof OAuthFlowError
          ? caught
          : new OAuthFlowError(
              'exchange-failed',
              caught instanceof AppError ? caught.code : 'INTERNAL',
              caught instanceof AppError
                ? caught.message
                : 'Inlet could not finish the Instagram login.',
              {
                cause: caught,
                detail: caught instanceof AppError ? caught.detail : detail('loginFailed'),
              },
            );
      logger.warn('oauth login failed', { reason: failure.reason, code: failure.code });
      page(response, 200, 'The account was not connected', `${failure.message} Return to Inlet.`);
      return finish({ error: failure });
    }
    page(response, 200, 'Connected', `@${account.username} is connected. You can close this tab.`);
    logger.info('instagram account connected', {
      igUserId: account.igUserId,
      username: account.username,
    });
    finish({ account });
  }

  async function connect(code: string): Promise<ConnectedAccount> {
    // docs/platform.md#token-exchange: single use, never retried (the graph client does not retry
    // it either).
    const short = await graph.exchangeCode({
      appId: options.appId,
      appSecret: options.appSecret,
      redirectUri: options.redirectUri,
      code,
    });
    // Users can untick scopes on the consent page (docs/platform.md#token-exchange); without
    // messages there is no inbox.
    if (short.permissions !== null && !short.permissions.includes(MESSAGES_SCOPE)) {
      throw new OAuthFlowError(
        'permission-missing',
        'FORBIDDEN',
        'Instagram did not grant permission to manage messages, so Inlet cannot show this inbox. ' +
          'Connect again and leave “manage messages” ticked.',
        { detail: detail('loginPermissionMissing') },
      );
    }
    const long = await graph.exchangeForLongLived({
      appSecret: options.appSecret,
      accessToken: short.accessToken,
    });
    const issuedAt = clock.now();
    // The exchange's `user_id` is app-scoped and routes nothing; /me's `user_id` does
    // (docs/platform.md#ids).
    const me = await graph.getMe(long.accessToken);
    await subscribeAccount(graph, long.accessToken, me.igUserId);
    return {
      igUserId: me.igUserId,
      username: me.username,
      accessToken: long.accessToken,
      issuedAt,
      expiresAt: issuedAt + long.expiresInSeconds * 1000,
      permissions: short.permissions,
    };
  }

  const authorizeUrl = new URL('/oauth/authorize', options.oauthUrl);
  authorizeUrl.search = new URLSearchParams({
    client_id: options.appId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: LOGIN_SCOPES.join(','),
    state,
    // Meta pairs these two: Instagram credentials only, asked every time (docs/platform.md#oauth).
    enable_fb_login: '0',
    force_authentication: '1',
  }).toString();

  logger.info('oauth login started', { port, timeoutMs });
  void options.browser.open(authorizeUrl).catch((error: unknown) => {
    logger.warn('could not open the browser for the login', { error: String(error) });
    finish({
      error: new OAuthFlowError(
        'browser-failed',
        'NOT_CONNECTED',
        'Inlet could not open the browser for the Instagram login.',
        { cause: error, detail: detail('loginBrowserFailed') },
      ),
    });
  });

  return {
    authorizeUrl,
    localCallbackUrl,
    result,
    cancel: () => {
      if (phase === 'done') return;
      logger.info('oauth login cancelled');
      finish({
        error: new OAuthFlowError(
          'cancelled',
          'NOT_CONNECTED',
          'The Instagram login was cancelled.',
          { detail: detail('loginCancelled') },
        ),
      });
    },
  };
}

function parseRedirectUri(value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || url.search !== '' || url.hash !== '')
    throw new AppError('INVALID_INPUT', 'The redirect URI must be a plain https URL');
  // The tunnel forwards the path as is, and the listener answers at exactly one path.
  if (url.pathname !== CALLBACK_PATH)
    throw new AppError('INVALID_INPUT', `The redirect URI must end in ${CALLBACK_PATH}`);
  const isLoopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !isLoopbackHttp)
    throw new AppError('INVALID_INPUT', 'Instagram only redirects to https URLs');
  return url;
}

function isSameState(given: string | null, expected: Buffer): boolean {
  if (given === null) return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) {
    const minutes = ms / 60_000;
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  if (ms >= 1000) return `${Math.ceil(ms / 1000)} seconds`;
  return `${ms} ms`;
}

/** Small, self-contained answer page: no script, no secret, no referrer for the URL's `code`. */
function page(response: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Inlet</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;line-height:1.5">
<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  response.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
