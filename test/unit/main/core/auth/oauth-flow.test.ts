import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CALLBACK_PATH,
  DEFAULT_OAUTH_TIMEOUT_MS,
  OAuthFlowError,
  startOAuthFlow,
  type OAuthFlowOptions,
} from '../../../../../main/core/auth/oauth-flow';
import {
  INBOX_WEBHOOK_FIELDS,
  MESSAGING_WEBHOOK_FIELDS,
} from '../../../../../main/core/auth/webhook-subscription';
import type { Schedule } from '../../../../../main/core/auth/token-refresher';
import { TokenVault } from '../../../../../main/core/auth/token-vault';
import { createLogger } from '../../../../../main/core/logger';
import type { ExternalBrowser } from '../../../../../main/core/ports';
import {
  APP_ID,
  APP_SECRET,
  consentBrowser,
  getPage,
  getWithHost,
  recordingKv,
  startAuthHarness,
  startFakeTunnel,
  testCipher,
  type AuthHarness,
} from './auth-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('startOAuthFlow against the emulator (docs/platform.md#accounts-and-login)', () => {
  let h: AuthHarness;
  let tunnel: Awaited<ReturnType<typeof startFakeTunnel>>;
  let redirectUri: string;

  beforeEach(async () => {
    h = await startAuthHarness();
    tunnel = await startFakeTunnel();
    // The registered redirect URI is the tunnel's address plus the one callback path
    // (docs/platform.md#redirect-uri).
    redirectUri = `${tunnel.url}${CALLBACK_PATH}`;
    await h.client.configureApp({ redirectUris: [redirectUri] });
  });
  afterEach(async () => {
    await tunnel.close();
    await h.stop();
  });

  async function start(browser: ExternalBrowser, overrides: Partial<OAuthFlowOptions> = {}) {
    const flow = await startOAuthFlow({
      appId: APP_ID,
      appSecret: APP_SECRET,
      oauthUrl: h.emulator.url,
      redirectUri,
      graph: h.graph,
      browser,
      clock: h.clock,
      logger: h.logger,
      listen: { port: 0 },
      ...overrides,
    });
    tunnel.forwardTo(flow.localCallbackUrl);
    return flow;
  }

  const rejectionOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OAuthFlowError);
    return error as OAuthFlowError;
  };

  async function expectClosed(localCallbackUrl: string) {
    await expect(fetch(localCallbackUrl)).rejects.toThrow();
  }

  it('connects: webhook-routing id from /me, long-lived token, account subscribed', async () => {
    const browser = consentBrowser({ decision: 'approve' });
    const flow = await start(browser);

    const params = Object.fromEntries(flow.authorizeUrl.searchParams);
    expect(params).toMatchObject({
      client_id: APP_ID,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope:
        'instagram_business_basic,instagram_business_manage_messages,instagram_business_manage_comments',
      enable_fb_login: '0',
      force_authentication: '1',
    });
    expect(params.state).toMatch(/^[\w-]{43}$/);
    expect(browser.opened).toEqual([flow.authorizeUrl]);
    expect(flow.localCallbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);

    const account = await flow.result;
    expect(account.igUserId).toBe(h.account.igUserId);
    expect(account.username).toBe('acme.studio');
    expect(account.accessToken).toMatch(/^IGAA/);
    expect(account.issuedAt).toBe(h.clock.now());
    expect(account.expiresAt).toBe(h.clock.now() + 60 * DAY);
    expect(account.permissions).toEqual([
      'instagram_business_basic',
      'instagram_business_manage_messages',
      'instagram_business_manage_comments',
    ]);

    // The token-exchange user_id is the app-scoped id, never the routing id (docs/platform.md#ids).
    const me = await h.graph.getMe(account.accessToken);
    expect(me.appScopedId).not.toBe(account.igUserId);
    expect(me.igUserId).toBe(account.igUserId);
    const apps = await h.graph.getSubscribedApps(account.accessToken, account.igUserId);
    expect(apps[0]?.subscribedFields).toEqual([...INBOX_WEBHOOK_FIELDS]);

    const visit = await browser.visit;
    expect(visit.answers.map((a) => a.status)).toEqual([200]);
    expect(visit.answers[0]!.text).toContain('Connected');
    expect(visit.answers[0]!.text).not.toContain(account.accessToken);
    expect(h.fetch.count('/oauth/access_token')).toBe(1);
    await expectClosed(flow.localCallbackUrl);
  });

  it('asks for every permission a feature needs and accepts the wrapped data[] token response', async () => {
    await h.client.configureApp({ tokenResponseShape: 'wrapped' });
    const browser = consentBrowser({ decision: 'approve' });
    const flow = await start(browser);
    expect(flow.authorizeUrl.searchParams.get('scope')).toBe(
      'instagram_business_basic,instagram_business_manage_messages,instagram_business_manage_comments',
    );
    const account = await flow.result;
    expect(account.igUserId).toBe(h.account.igUserId);
    expect(account.permissions).toContain('instagram_business_manage_comments');
  });

  it('connects without the comments permission and subscribes the messaging fields only', async () => {
    const browser = consentBrowser({
      decision: 'approve',
      grant: ['instagram_business_basic', 'instagram_business_manage_messages'],
    });
    const account = await (await start(browser)).result;

    expect(account.permissions).not.toContain('instagram_business_manage_comments');
    const apps = await h.graph.getSubscribedApps(account.accessToken, account.igUserId);
    expect(apps[0]?.subscribedFields).toEqual([...MESSAGING_WEBHOOK_FIELDS]);
  });

  it('wrong state: refuses a tampered or missing state and keeps waiting for the real one', async () => {
    const seen: { status: number; text: string }[] = [];
    const browser = consentBrowser({
      decision: 'approve',
      beforeRedirect: async (location) => {
        const forged = new URL(location.replace(/#_$/, ''));
        forged.searchParams.set('state', 'forged-state');
        seen.push(await getPage(forged.toString()));
        const missing = new URL(forged);
        missing.searchParams.delete('state');
        seen.push(await getPage(missing.toString()));
      },
    });
    const flow = await start(browser);
    const account = await flow.result;
    expect(seen.map((page) => page.status)).toEqual([400, 400]);
    expect(seen[0]!.text).toContain('not valid');
    expect(account.igUserId).toBe(h.account.igUserId);
    expect(h.fetch.count('/oauth/access_token')).toBe(1);
  });

  it('replayed state: refuses a callback from an earlier login; nothing is exchanged', async () => {
    const first = consentBrowser({ decision: 'approve' });
    await (
      await start(first)
    ).result;
    const { location } = await first.visit;

    const second = await start({ open: async () => Promise.resolve() });
    const replay = await getPage(location);
    expect(replay.status).toBe(400);
    expect(h.fetch.count('/oauth/access_token')).toBe(1);
    second.cancel();
    const error = await rejectionOf(second.result);
    expect(error.reason).toBe('cancelled');
    expect(error.code).toBe('NOT_CONNECTED');
    await expectClosed(second.localCallbackUrl);
  });

  it('code used twice: the second callback is refused and the code is exchanged once', async () => {
    const browser = consentBrowser({ decision: 'approve', follow: 2 });
    const flow = await start(browser);
    await flow.result;
    const { answers } = await browser.visit;
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.some((a) => a.text.includes('already used'))).toBe(true);
    expect(h.fetch.count('/oauth/access_token')).toBe(1);
  });

  it('denied consent: rejects with FORBIDDEN, exchanges nothing and closes', async () => {
    const browser = consentBrowser({ decision: 'deny' });
    const flow = await start(browser);
    const error = await rejectionOf(flow.result);
    expect(error.reason).toBe('denied');
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/^You declined/);
    const { answers } = await browser.visit;
    expect(answers[0]!.text).toContain('You declined');
    expect(h.fetch.count('/oauth/access_token')).toBe(0);
    await expectClosed(flow.localCallbackUrl);
  });

  it('timeout: a custom timeout ends the login with a clear message and closes the listener', async () => {
    const flow = await start({ open: async () => Promise.resolve() }, { timeoutMs: 50 });
    const error = await rejectionOf(flow.result);
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('was not finished within 50 ms');
    await expectClosed(flow.localCallbackUrl);
  });

  it('timeout: the listener gives up after 5 minutes, closes, and a late callback exchanges nothing', async () => {
    const timers: { delayMs: number; fire: () => void; isCancelled: boolean }[] = [];
    const schedule: Schedule = (fire, delayMs) => {
      const timer = { delayMs, fire, isCancelled: false };
      timers.push(timer);
      return () => void (timer.isCancelled = true);
    };
    let consentUrl: URL | null = null;
    const flow = await start(
      { open: async (url) => void (consentUrl = url) },
      { schedule }, // no timeoutMs: the default
    );
    expect(timers.map((t) => t.delayMs)).toEqual([DEFAULT_OAUTH_TIMEOUT_MS]);
    expect(DEFAULT_OAUTH_TIMEOUT_MS).toBe(5 * 60_000);
    // Until the timer fires the listener still answers.
    expect((await getPage(`${flow.localCallbackUrl}?state=x&code=y`)).status).toBe(400);

    timers[0]!.fire();
    const error = await rejectionOf(flow.result);
    expect(error.reason).toBe('timeout');
    expect(error.code).toBe('NOT_CONNECTED');
    expect(error.message).toContain('was not finished within 5 minutes');
    await expectClosed(flow.localCallbackUrl);

    // The user approves afterwards: the redirect reaches nothing, no code is exchanged.
    const late = consentBrowser({ decision: 'approve' });
    await late.open(consentUrl!);
    const { answers } = await late.visit;
    expect(answers.map((a) => a.status)).toEqual([502]); // the tunnel finds no listener
    expect(h.fetch.count('/oauth/access_token')).toBe(0);
  });

  it('fails cleanly when the short-lived code expired before it came back (docs/platform.md#oauth)', async () => {
    const browser = consentBrowser({
      decision: 'approve',
      beforeRedirect: () => h.advance(HOUR + 1),
    });
    const flow = await start(browser);
    const error = await rejectionOf(flow.result);
    expect(error.reason).toBe('exchange-failed');
    expect(error.code).toBe('NOT_CONNECTED');
    expect(error.message).toContain('This authorization code has expired.');
    const { answers } = await browser.visit;
    expect(answers[0]!.text).toContain('was not connected');
    expect(h.fetch.count('/access_token')).toBe(0);
    await expectClosed(flow.localCallbackUrl);
  });

  it('refuses a login without the messages permission before subscribing', async () => {
    const browser = consentBrowser({ decision: 'approve', grant: [] });
    const flow = await start(browser);
    const error = await rejectionOf(flow.result);
    expect(error.reason).toBe('permission-missing');
    expect(error.code).toBe('FORBIDDEN');
    expect(h.fetch.count('/access_token')).toBe(0);
    expect(h.fetch.count(`/v24.0/${h.account.igUserId}/subscribed_apps`)).toBe(0);
  });

  it('checks the Host header: loopback and the tunnel host only', async () => {
    const flow = await start({ open: async () => Promise.resolve() });
    const port = new URL(flow.localCallbackUrl).port;
    const callback = `${flow.localCallbackUrl}?state=x&code=y`;
    expect((await getWithHost(callback, 'evil.example')).status).toBe(421);
    expect((await getWithHost(callback, `127.0.0.1:${port}`)).status).toBe(400);
    expect((await getWithHost(callback, `localhost:${port}`)).status).toBe(400);
    expect((await getWithHost(callback, new URL(redirectUri).host)).status).toBe(400);
    expect((await getPage(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    flow.cancel();
    flow.cancel();
    expect((await rejectionOf(flow.result)).reason).toBe('cancelled');
  });

  it('refuses a redirect URI that is not https or not the callback path', async () => {
    const browser = { open: async () => Promise.resolve() };
    await expect(
      start(browser, { redirectUri: 'http://calm-otter.ngrok.app/oauth/callback' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      start(browser, { redirectUri: 'https://calm-otter.ngrok.app/callback' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('rejects when the browser cannot be opened', async () => {
    const flow = await start({ open: async () => Promise.reject(new Error('no browser')) });
    expect((await rejectionOf(flow.result)).reason).toBe('browser-failed');
    await expectClosed(flow.localCallbackUrl);
  });

  it('leaves no token, code, state or secret in plain text in the KV or the log', async () => {
    const lines: string[] = [];
    const logger = createLogger((line) => lines.push(line), h.clock);
    const kv = recordingKv();
    const vault = new TokenVault({ cipher: testCipher(), kv, logger });
    await vault.setSecret('appSecret', APP_SECRET);
    await vault.setSecret('ngrokAuthtoken', 'ngrok-authtoken-2b9d7e');

    const browser = consentBrowser({ decision: 'approve' });
    const flow = await start(browser, { logger });
    const account = await flow.result;
    await vault.saveAccount(account);
    const { location } = await browser.visit;
    const callback = new URL(location.replace(/#_$/, ''));

    const secrets = [
      account.accessToken,
      APP_SECRET,
      'ngrok-authtoken-2b9d7e',
      callback.searchParams.get('code')!,
      callback.searchParams.get('state')!,
    ];
    const written = JSON.stringify(kv.writes);
    expect(kv.writes.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(written).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
      expect(JSON.stringify(h.logger.lines)).not.toContain(secret);
    }
    expect(lines.join('\n')).toContain('instagram account connected');
  });
});
