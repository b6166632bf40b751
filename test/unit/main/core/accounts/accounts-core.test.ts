import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../../../../shared/domain/schemas';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { startSandbox } from '../../../../../main/sandbox/sandbox';
import { createCore } from '../../../../../main/core/create-core';
import type { Core, CoreDeps } from '../../../../../main/core/core-types';
import type { ExternalBrowser, LoginWindow, SecretCipher } from '../../../../../main/core/ports';
import { nodeFileKv } from '../../../../../main/headless/node-file-kv';
import { passphraseCipher } from '../../../../../main/headless/passphrase-cipher';
import { startEmulator, type RunningEmulator } from '../../../../../main/sandbox/emulator';
import {
  createEmulatorClient,
  type EmulatorClient,
} from '../../../../../main/sandbox/emulator-client';
import { fixedClock } from '../../../../fakes/clock';
import { memoryKv } from '../../../../fakes/memory-kv';
import { memoryLogger } from '../../../../fakes/logger';
import {
  APP_ID,
  APP_SECRET,
  consentBrowser,
  getPage,
  getWithHost,
  startFakeTunnel,
  type ConsentChoice,
} from '../auth/auth-harness';

const DAY = 24 * 3_600_000;
const VERIFY_TOKEN = 'accounts-core-verify-token';
const PASSPHRASE = 'a passphrase for this test run';
const NGROK_AUTHTOKEN = '2abcNgrokAuthtokenNeverInPlainText';

type Finished = EventPayload<'accounts:connectFinished'>;

/**
 * The real core in live mode, configured as a developer would (env), against the emulator playing
 * Instagram, without a tunnel: the OAuth host is loopback, so the login comes back to the webhook
 * listener's own address and is handed to the one-shot listener.
 */
describe('accounts in the core', () => {
  let dataDir: string;
  let emulator: RunningEmulator;
  let client: EmulatorClient;
  let clock: ReturnType<typeof fixedClock>;
  let logger: ReturnType<typeof memoryLogger>;
  let core: Core;
  /** 'hold': the user has not come back from the consent page yet. */
  let nextChoice: ConsentChoice | 'hold' = { decision: 'approve' };
  let shop: { igUserId: string; username: string };
  let cafe: { igUserId: string; username: string };
  const browser: ExternalBrowser & { visits: Promise<unknown>[] } = {
    visits: [],
    open: async (url) => {
      if (nextChoice === 'hold') return;
      const visit = consentBrowser(nextChoice);
      browser.visits.push(visit.visit);
      await visit.open(url);
    },
  };

  function buildCore(cipher: SecretCipher = passphraseCipher(PASSPHRASE, dataDir)): Core {
    return createCore({
      ...coreDeps(),
      cipher,
    });
  }

  function coreDeps(): CoreDeps {
    return {
      startSandbox,
      cipher: passphraseCipher(PASSPHRASE, dataDir),
      kv: nodeFileKv(dataDir, { logger }),
      browser,
      notifier: { notify: () => {} },
      clock,
      fetch: globalThis.fetch,
      logger,
      tunnel: { open: () => Promise.reject(new Error('no tunnel in this test')) },
      dataDir,
      env: {
        ...instagramLoginEnv(),
        INLET_VERIFY_TOKEN: VERIFY_TOKEN,
        INLET_OAUTH_URL: emulator.url,
      },
      options: { noTunnel: true, webhookPort: 0 },
    };
  }

  async function startCore(cipher?: SecretCipher) {
    core = buildCore(cipher);
    await core.start();
    await registerAtEmulator();
  }

  /** What the developer does in Meta's dashboard whenever the local ports change. */
  async function registerAtEmulator() {
    const status = core.status();
    await client.configureApp({ redirectUris: [redirectOf(status)] });
    await client.registerWebhook({ callbackUrl: status.webhookUrl!, verifyToken: VERIFY_TOKEN });
  }

  const redirectOf = (status: AppStatus) =>
    status.webhookUrl!.replace(/\/webhook$/, '/oauth/callback');

  function nextFinished(): Promise<Finished> {
    return new Promise((resolve) => {
      const off = core.events.on('accounts:connectFinished', (result) => {
        off();
        resolve(result);
      });
    });
  }

  async function connect(choice: ConsentChoice, igUserId?: string): Promise<Finished> {
    nextChoice = choice;
    const finished = nextFinished();
    const started = igUserId
      ? await core.handlers['accounts:reconnect']({ igUserId })
      : await core.handlers['accounts:connect']();
    expect(new URL(started.authorizeUrl).origin).toBe(emulator.url);
    return finished;
  }

  const accountsOf = () => core.status().accounts;

  /** A customer writes to the shop; the id of the conversation it lands in, once it is there. */
  async function shopConversation(): Promise<string> {
    const lena = await client.createCustomer({ accountId: shop.igUserId, username: 'lena.k' });
    await client.customerSends(lena.igsid, { text: 'Still open?' });
    await expect
      .poll(async () => (await core.handlers['inbox:listConversations']({})).conversations.length)
      .toBe(1);
    return (await core.handlers['inbox:listConversations']({})).conversations[0]!.id;
  }

  /** The shop's own messages in a conversation, oldest first. */
  const outgoing = async (conversationId: string) =>
    (await core.handlers['inbox:listMessages']({ conversationId })).messages.filter(
      (message) => message.direction === 'out',
    );

  /** Live mode with Instagram's own login host (not loopback): only a tunnel's https serves it. */
  const instagramLoginEnv = () => ({
    INLET_APP_ID: APP_ID,
    INLET_APP_SECRET: APP_SECRET,
    INLET_GRAPH_URL: emulator.url,
    INLET_TOKEN_URL: emulator.url,
  });

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'inlet-accounts-'));
    clock = fixedClock(Date.UTC(2026, 2, 18, 14, 0, 0));
    logger = memoryLogger();
    emulator = await startEmulator({
      appId: APP_ID,
      appSecret: APP_SECRET,
      clock,
      // The owner's app is published and Live, so customers' DMs are sent.
      app: { mode: 'live', published: true },
    });
    client = createEmulatorClient(emulator.url);
    shop = await client.createAccount({ username: 'acme.studio', name: 'Acme Studio' });
    cafe = await client.createAccount({ username: 'acme.cafe', name: 'Acme Café' });
    browser.visits = [];
    await startCore();
  });

  afterEach(async () => {
    await core.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('connects two accounts side by side and routes each one’s DMs by entry id', async () => {
    expect(accountsOf()).toEqual([]);
    expect(await connect({ decision: 'approve', account: shop.igUserId })).toEqual({
      ok: true,
      igUserId: shop.igUserId,
      username: 'acme.studio',
    });
    expect(await connect({ decision: 'approve', account: cafe.igUserId })).toMatchObject({
      ok: true,
      igUserId: cafe.igUserId,
    });
    // The pictures are kept in the background: whether they are there yet is another test's.
    expect(accountsOf()).toMatchObject([
      {
        igUserId: cafe.igUserId,
        username: 'acme.cafe',
        state: 'connected',
        reason: null,
        source: 'oauth',
      },
      {
        igUserId: shop.igUserId,
        username: 'acme.studio',
        state: 'connected',
        reason: null,
        source: 'oauth',
      },
    ]);
    // Each account was subscribed with its own token (docs/platform.md#subscriptions layer 3).
    const visits = await Promise.all(browser.visits);
    expect(visits).toHaveLength(2);

    const lena = await client.createCustomer({ accountId: cafe.igUserId, username: 'lena.k' });
    await client.customerSends(lena.igsid, { text: 'A table for two?' });
    // Acknowledged by the receiver thread; processed once its notice reaches the main thread.
    await expect
      .poll(async () => (await core.handlers['inbox:listConversations']({})).conversations.length)
      .toBe(1);
    const { conversations } = await core.handlers['inbox:listConversations']({});
    expect(conversations[0]).toMatchObject({ accountId: cafe.igUserId, customerId: lena.igsid });

    // The reply goes out with the café's token, not the shop's.
    await core.handlers['sending:sendText']({ conversationId: conversations[0]!.id, text: 'Yes!' });
    await expect.poll(async () => (await client.sent(cafe.igUserId)).length).toBe(1);
    expect(await client.sent(shop.igUserId)).toHaveLength(0);
  });

  it('keeps the accounts across a restart, and disconnect removes the token for good', async () => {
    await connect({ decision: 'approve', account: shop.igUserId });
    await core.stop();
    await startCore();
    expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);

    await core.handlers['accounts:disconnect']({ igUserId: shop.igUserId });
    expect(accountsOf()).toEqual([]);
    await core.stop();
    await startCore();
    expect(accountsOf()).toEqual([]);
    const settings = JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as {
      vaultAccounts?: Record<string, unknown>;
    };
    expect(settings.vaultAccounts ?? {}).toEqual({});
    await expect(
      core.handlers['accounts:disconnect']({ igUserId: shop.igUserId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports a denied consent and connects nothing', async () => {
    expect(await connect({ decision: 'deny' })).toMatchObject({
      ok: false,
      code: 'denied',
      reason: { detail: { key: 'errorDetail.loginDeclined', vars: null } },
    });
    expect(accountsOf()).toEqual([]);
  });

  it('answers a callback with no login waiting, and refuses a foreign Host', async () => {
    const callback = redirectOf(core.status());
    const idle = await getPage(`${callback}?code=x&state=y`);
    expect(idle.status).toBe(404);
    expect(idle.text).toContain('No login is waiting');

    nextChoice = 'hold';
    await core.handlers['accounts:connect']();
    // Forwarded with its Host kept, so the login's DNS-rebinding check still sees the real one.
    const foreign = await getWithHost(`${callback}?code=x&state=y`, 'evil.example:80');
    expect(foreign.status).toBe(421);
    const wrongState = await getPage(`${callback}?code=x&state=y`);
    expect(wrongState.status).toBe(400);
    expect(wrongState.text).toContain('not valid');
  });

  it('an expired token means reconnect-needed; one click reconnects it', async () => {
    await connect({ decision: 'approve', account: shop.igUserId });
    await core.stop();
    clock.advance(61 * DAY);
    await startCore();
    await expect.poll(() => accountsOf()[0]?.state).toBe('reconnect-needed');
    expect(accountsOf()[0]?.reason?.text).toContain('expired');

    expect(await connect({ decision: 'approve', account: shop.igUserId }, shop.igUserId)).toEqual({
      ok: true,
      igUserId: shop.igUserId,
      username: 'acme.studio',
    });
    expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);
  });

  it('code 190 on a send means reconnect-needed and holds the account’s sends; one click reconnects and they go out once, in order', async () => {
    await connect({ decision: 'approve', account: shop.igUserId });
    const conversationId = await shopConversation();
    // Meta revoked the token (the user removed the app, changed the password…).
    await client.setFaults({ sendFailures: { count: 1, code: 190, httpStatus: 400 } });
    await core.handlers['sending:sendText']({ conversationId, text: 'Yes, until 6' });
    await expect.poll(() => accountsOf()[0]?.state).toBe('reconnect-needed');
    expect(accountsOf()[0]?.reason?.text).toContain('Connect the account again');
    await core.handlers['sending:sendText']({ conversationId, text: 'See you!' });
    // Held, not failed: nothing more reaches Instagram while the token is refused.
    await expect
      .poll(async () => (await outgoing(conversationId)).map((message) => message.status))
      .toEqual(['queued', 'queued']);
    expect((await client.sent(shop.igUserId)).map((r) => r.response.status)).toEqual([400]);

    expect(await connect({ decision: 'approve', account: shop.igUserId }, shop.igUserId)).toEqual({
      ok: true,
      igUserId: shop.igUserId,
      username: 'acme.studio',
    });
    expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);
    await expect
      .poll(async () => (await outgoing(conversationId)).map((message) => message.status))
      .toEqual(['sent', 'sent']);
    const delivered = (await client.sent(shop.igUserId)).filter((r) => r.response.status === 200);
    expect(delivered.map((request) => JSON.stringify(request.body))).toEqual([
      expect.stringContaining('Yes, until 6'),
      expect.stringContaining('See you!'),
    ]);
  });

  it('code 190 outlives a restart: still reconnect-needed, sends still held, the rejected token never used again; the login clears it', async () => {
    // Every request the core makes, with the credentials it carries.
    const requests: { url: string; credentials: string }[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      requests.push({
        url,
        credentials: `${authorization} ${typeof init?.body === 'string' ? init.body : ''}`,
      });
      return globalThis.fetch(input, init);
    };
    const startRecordingCore = async () => {
      core = createCore({
        ...coreDeps(),
        fetch: recordingFetch,
      });
      await core.start();
      await registerAtEmulator();
    };
    await core.stop();
    await startRecordingCore();
    await connect({ decision: 'approve', account: shop.igUserId });
    const conversationId = await shopConversation();
    await client.setFaults({ sendFailures: { count: 1, code: 190, httpStatus: 400 } });
    await core.handlers['sending:sendText']({ conversationId, text: 'Yes, until 6' });
    await expect.poll(() => accountsOf()[0]?.state).toBe('reconnect-needed');
    const rejectedToken = /Bearer (\S+)/.exec(requests.at(-1)!.credentials)?.[1];
    expect(rejectedToken).toBeDefined();

    await core.stop();
    requests.length = 0;
    await startRecordingCore();
    // After the restart: the same state, the same reason, in the owner's language too.
    expect(accountsOf()).toMatchObject([
      {
        igUserId: shop.igUserId,
        username: 'acme.studio',
        state: 'reconnect-needed',
        reason: {
          text: expect.stringContaining('Connect the account again') as unknown,
          detail: { key: 'sendError.tokenInvalid', vars: null },
        },
      },
    ]);
    // The queued message is held, not failed, and a new one waits behind it.
    await core.handlers['sending:sendText']({ conversationId, text: 'See you!' });
    await expect
      .poll(async () =>
        (await outgoing(conversationId)).map((message) => [
          message.status,
          message.error?.detail?.key,
        ]),
      )
      .toEqual([
        ['queued', 'sendError.tokenInvalid'],
        ['queued', 'sendError.tokenInvalid'],
      ]);
    await core.handlers['inbox:listConversations']({});
    expect(requests.filter((r) => r.credentials.includes(rejectedToken!))).toEqual([]);
    expect((await client.sent(shop.igUserId)).map((r) => r.response.status)).toEqual([400]);

    // The login clears it: the queued messages go out once, in order, and stay cleared.
    expect(await connect({ decision: 'approve', account: shop.igUserId }, shop.igUserId)).toEqual({
      ok: true,
      igUserId: shop.igUserId,
      username: 'acme.studio',
    });
    await expect
      .poll(async () => (await outgoing(conversationId)).map((message) => message.status))
      .toEqual(['sent', 'sent']);
    await core.stop();
    await startRecordingCore();
    expect(accountsOf()).toMatchObject([
      { igUserId: shop.igUserId, state: 'connected', reason: null },
    ]);
    const delivered = (await client.sent(shop.igUserId)).filter((r) => r.response.status === 200);
    expect(delivered.map((request) => JSON.stringify(request.body))).toEqual([
      expect.stringContaining('Yes, until 6'),
      expect.stringContaining('See you!'),
    ]);
  });

  it('an INLET_ACCESS_TOKEN Instagram rejected is not used again after a restart, not even to read the name; another token is', async () => {
    const { igUserId: envAccount, accessToken } = await client.createAccount({
      username: 'acme.env',
      name: 'Env',
    });
    const requests: string[] = [];
    const startEnvCore = async (token: string) => {
      core = createCore({
        ...coreDeps(),
        env: { ...coreDeps().env, INLET_IG_USER_ID: envAccount, INLET_ACCESS_TOKEN: token },
        fetch: (input, init) => {
          requests.push(new Headers(init?.headers).get('authorization') ?? '');
          return globalThis.fetch(input, init);
        },
      });
      await core.start();
      await registerAtEmulator();
    };
    await core.stop();
    await startEnvCore(accessToken);
    expect(accountsOf()).toMatchObject([{ username: 'acme.env', state: 'connected' }]);
    const lena = await client.createCustomer({ accountId: envAccount, username: 'lena.k' });
    await client.customerSends(lena.igsid, { text: 'Hello?' });
    await expect
      .poll(async () => (await core.handlers['inbox:listConversations']({})).conversations.length)
      .toBe(1);
    const conversationId = (await core.handlers['inbox:listConversations']({})).conversations[0]!
      .id;
    await client.setFaults({ sendFailures: { count: 1, code: 190, httpStatus: 400 } });
    await core.handlers['sending:sendText']({ conversationId, text: 'Hi Lena' });
    await expect.poll(() => accountsOf()[0]?.state).toBe('reconnect-needed');

    await core.stop();
    requests.length = 0;
    await startEnvCore(accessToken);
    expect(accountsOf()).toMatchObject([
      {
        igUserId: envAccount,
        username: 'acme.env',
        state: 'reconnect-needed',
        source: 'configured',
      },
    ]);
    expect(requests.filter((authorization) => authorization.includes(accessToken))).toEqual([]);
    const [held] = (await core.handlers['inbox:listMessages']({ conversationId })).messages.filter(
      (message) => message.direction === 'out',
    );
    expect(held).toMatchObject({
      status: 'queued',
      error: { detail: { key: 'sendError.tokenInvalid' } },
    });

    // The owner put another token in the environment: the mark was that token's, this one is tried.
    await core.stop();
    await startEnvCore('IGAAanother-token-from-the-environment');
    expect(requests.some((authorization) => authorization.includes('IGAAanother-token'))).toBe(
      true,
    );
  });

  it('a reconnect with the wrong account says so and keeps the old one waiting', async () => {
    await connect({ decision: 'approve', account: shop.igUserId });
    await core.stop();
    clock.advance(61 * DAY);
    await startCore();
    await expect.poll(() => accountsOf()[0]?.state).toBe('reconnect-needed');
    const finished = await connect({ decision: 'approve', account: cafe.igUserId }, shop.igUserId);
    expect(finished).toMatchObject({
      ok: false,
      code: 'wrong-account',
      reason: { detail: { key: 'errorDetail.loginWrongAccount', vars: { username: 'acme.cafe' } } },
    });
    expect(accountsOf()).toMatchObject([
      { igUserId: cafe.igUserId, state: 'connected' },
      { igUserId: shop.igUserId, state: 'reconnect-needed' },
    ]);
  });

  it('a vault that cannot be decrypted (other key) means reconnect-needed, never plaintext', async () => {
    await connect({ decision: 'approve', account: shop.igUserId });
    await core.stop();
    await startCore(passphraseCipher('not the same passphrase', dataDir));
    expect(accountsOf()).toMatchObject([
      { igUserId: shop.igUserId, username: 'acme.studio', state: 'reconnect-needed' },
    ]);
    expect(accountsOf()[0]?.reason?.text).toContain('could not be decrypted');
    expect(accountsOf()[0]?.reason?.detail).toEqual({
      key: 'errorDetail.savedLoginUndecryptable',
      vars: null,
    });
  });

  it('refreshes a due token on start and keeps using the new one', async () => {
    await connect({ decision: 'approve', account: shop.igUserId });
    await core.stop();
    clock.advance(55 * DAY);
    await startCore();
    await expect
      .poll(() => logger.lines.some((line) => line.message === 'access token refreshed'))
      .toBe(true);
    expect(accountsOf()).toMatchObject([{ state: 'connected' }]);
  });

  it('live without a tunnel and a non-loopback OAuth host: a clear error, no login', async () => {
    await core.stop();
    // No OAuth URL: Instagram's real, non-loopback host, which only a tunnel's https can serve.
    core = createCore({
      ...coreDeps(),
      env: instagramLoginEnv(),
    });
    await core.start();
    await expect(core.handlers['accounts:connect']()).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
      message: expect.stringContaining('https') as unknown,
      detail: { key: 'errorDetail.noTunnel', vars: null },
    });
    const settings = await core.handlers['settings:get']();
    expect(settings.redirectUriProblem?.text).toContain('tunnel');
    expect(settings.redirectUriProblem?.detail).toEqual({
      key: 'errorDetail.noTunnel',
      vars: null,
    });
    expect(browser.visits).toHaveLength(0);
  });

  describe('settings entered in the panel reach the core', () => {
    const DOMAIN = 'calm-otter.ngrok.app';
    let opened: { localPort: number; authtoken: string; domain?: string }[];
    let relay: Awaited<ReturnType<typeof startFakeTunnel>>;
    let paths: string[];

    /** Nothing from the environment but where "Meta" is: the user types the rest into Settings. */
    async function startSettingsCore() {
      await core.stop();
      opened = [];
      // A reserved domain: the same public address on every restart.
      relay = await startFakeTunnel();
      paths = [];
      core = createCore({
        ...coreDeps(),
        env: {
          INLET_GRAPH_URL: emulator.url,
          INLET_TOKEN_URL: emulator.url,
          INLET_OAUTH_URL: emulator.url,
        },
        fetch: (input, init) => {
          paths.push(new URL(input instanceof Request ? input.url : input.toString()).pathname);
          return globalThis.fetch(input, init);
        },
        // Plays ngrok: records what the core asked for and relays to the webhook listener.
        tunnel: {
          open: (options) => {
            opened.push(options);
            relay.forwardTo(`http://127.0.0.1:${options.localPort}/`);
            return Promise.resolve({ url: relay.url, close: () => Promise.resolve() });
          },
        },
        options: { webhookPort: 0 },
      });
      await core.start();
    }

    afterEach(async () => {
      await core.stop();
      await relay.close();
    });

    it('app id, app secret, Graph API version, ngrok authtoken and reserved domain drive the login and the tunnel', async () => {
      await startSettingsCore();
      expect(core.status().mode).toBe('sandbox'); // no app yet
      const saved = await core.handlers['settings:update']({
        appId: APP_ID,
        appSecret: APP_SECRET,
        graphVersion: 'v23.0',
        ngrokAuthtoken: NGROK_AUTHTOKEN,
        ngrokDomain: DOMAIN,
      });
      expect(core.status().mode).toBe('live');
      paths.length = 0; // the embedded emulator's calls before the app was saved
      expect(saved).toMatchObject({ appId: APP_ID, hasAppSecret: true, graphVersion: 'v23.0' });

      // The reserved domain and the authtoken reach the tunnel port, for the webhook listener.
      await expect.poll(() => core.status().tunnel.state).toBe('online');
      const webhookPort = Number(new URL(core.status().webhookUrl!).port);
      expect(opened).toMatchObject([
        { localPort: webhookPort, authtoken: NGROK_AUTHTOKEN, domain: DOMAIN },
      ]);

      // The redirect URI shown to copy is the tunnel's address plus the callback path.
      const settings = await core.handlers['settings:get']();
      expect(settings.redirectUri).toBe(`${relay.url}/oauth/callback`);
      await client.configureApp({ redirectUris: [settings.redirectUri!] });

      // The login comes back through the tunnel, signed in with the saved app id and secret.
      const finished = await connect({ decision: 'approve', account: shop.igUserId });
      expect(finished).toMatchObject({ ok: true, igUserId: shop.igUserId });
      const graphCalls = paths.filter((p) => /^\/v\d+\.\d+\//.test(p));
      expect(graphCalls).toContain('/v23.0/me');
      expect(graphCalls).toContain(`/v23.0/${shop.igUserId}/subscribed_apps`);
      expect(graphCalls.every((p) => p.startsWith('/v23.0/'))).toBe(true);

      // Changing the version changes the base path of the next Graph calls.
      paths.length = 0;
      await core.handlers['settings:update']({ graphVersion: 'v25.0' });
      await expect.poll(() => core.status().tunnel.state).toBe('online');
      expect(opened).toHaveLength(2);
      await connect({ decision: 'approve', account: cafe.igUserId });
      expect(paths).toContain('/v25.0/me');
      expect(paths.filter((p) => p.startsWith('/v23.0/'))).toEqual([]);
    });

    it('saving the app shows it at once, and Meta has not verified it just because the sandbox did', async () => {
      await startSettingsCore();
      // A first start with nothing remembered: no verification from an earlier test's app.
      await core.stop();
      core = createCore({
        ...coreDeps(),
        kv: memoryKv(),
        env: {
          INLET_GRAPH_URL: emulator.url,
          INLET_TOKEN_URL: emulator.url,
          INLET_OAUTH_URL: emulator.url,
        },
      });
      await core.start();
      expect(core.status().mode).toBe('sandbox');
      const before = await core.handlers['health:runNow']();
      // The embedded emulator verified the sandbox's own listener.
      expect(before.checks.find((c) => c.id === 'callback-verified')?.state).toBe('ok');
      const modes: string[] = [];
      core.events.on('app:statusChanged', (status) => modes.push(status.mode));
      await core.handlers['settings:update']({ appId: APP_ID, appSecret: APP_SECRET });
      expect(modes.at(-1)).toBe('live');
      const after = await core.handlers['health:runNow']();
      expect(after.checks.find((c) => c.id === 'callback-verified')?.state).toBe('warning');
    });

    it('the generated verify token is the one the webhook listener answers, until regenerated', async () => {
      await startSettingsCore();
      await core.handlers['settings:update']({ appId: APP_ID, appSecret: APP_SECRET });
      const { verifyToken } = await core.handlers['settings:get']();
      expect(verifyToken).toMatch(/^[\w-]{24}$/);
      const handshake = (token: string) =>
        getPage(
          `${core.status().webhookUrl!}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=4711`,
        );
      expect(await handshake(verifyToken)).toEqual({ status: 200, text: '4711' });

      const regenerated = await core.handlers['settings:update']({ regenerateVerifyToken: true });
      expect(regenerated.verifyToken).not.toBe(verifyToken);
      expect((await handshake(verifyToken)).status).toBe(403);
      expect(await handshake(regenerated.verifyToken)).toEqual({ status: 200, text: '4711' });
    });
  });

  describe('without a tunnel, through the desktop login window', () => {
    const REGISTERED = 'https://shop.example.com/oauth/callback';
    let windows: { authorizeUrl: URL; redirectUri: string }[];

    /** Plays the Electron window: shows the consent page, catches the redirect, loads nothing. */
    function loginWindow(outcome: 'approve' | 'close'): LoginWindow {
      return {
        capture: async (authorizeUrl, redirectUri) => {
          windows.push({ authorizeUrl, redirectUri });
          if (outcome === 'close') return null;
          let caught: string | null = null;
          const page = consentBrowser({
            decision: 'approve',
            account: shop.igUserId,
            beforeRedirect: (location) => {
              caught = location;
              throw new Error('the window stops at the redirect');
            },
          });
          // Meta's authorize page is played by the emulator.
          await page.open(new URL(`${authorizeUrl.pathname}${authorizeUrl.search}`, emulator.url));
          await page.visit.catch(() => undefined);
          return caught;
        },
      };
    }

    async function startWindowCore(outcome: 'approve' | 'close') {
      await core.stop();
      windows = [];
      core = createCore({
        ...coreDeps(),
        env: instagramLoginEnv(),
        loginWindow: loginWindow(outcome),
      });
      await core.start();
      await client.configureApp({ redirectUris: [REGISTERED] });
    }

    it('says how to use the login window when no redirect URI is set', async () => {
      await startWindowCore('approve');
      const settings = await core.handlers['settings:get']();
      expect(settings).toMatchObject({ hasLoginWindow: true, loginRedirectUri: null });
      expect(settings.redirectUriProblem?.text).toContain('its own window');
      expect(settings.redirectUriProblem?.detail).toEqual({
        key: 'errorDetail.noTunnelOrLoginWindow',
        vars: null,
      });
      await expect(core.handlers['accounts:connect']()).rejects.toMatchObject({
        code: 'NOT_CONNECTED',
      });
    });

    it('catches the redirect to the registered https URI and connects', async () => {
      await startWindowCore('approve');
      const saved = await core.handlers['settings:update']({ loginRedirectUri: REGISTERED });
      expect(saved).toMatchObject({ redirectUri: REGISTERED, loginRedirectUri: REGISTERED });
      const finished = nextFinished();
      const { authorizeUrl } = await core.handlers['accounts:connect']();
      expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(REGISTERED);
      expect(await finished).toMatchObject({ ok: true, igUserId: shop.igUserId });
      expect(windows).toHaveLength(1);
      expect(windows[0]!.redirectUri).toBe(REGISTERED);
      expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);
    });

    it('a closed window ends the login as cancelled', async () => {
      await startWindowCore('close');
      await core.handlers['settings:update']({ loginRedirectUri: REGISTERED });
      const finished = nextFinished();
      await core.handlers['accounts:connect']();
      expect(await finished).toMatchObject({ ok: false, code: 'cancelled' });
      expect(accountsOf()).toEqual([]);
    });
  });

  describe('where the OS offers only plaintext-equivalent storage (Linux basic_text)', () => {
    /** Like safeStorage on basic_text: it "encrypts", with a key anyone can look up. */
    const basicText: SecretCipher = {
      isAvailable: () => false,
      hasUnprotectedFallback: () => true,
      seal: (plain) => Promise.resolve(Buffer.from(plain).toString('base64')),
      open: (sealed) => Promise.resolve(Buffer.from(sealed, 'base64').toString()),
    };
    const settingsFile = () =>
      JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >;

    it('keeps secrets and logins in memory, across a settings restart, until the user opts in', async () => {
      await core.stop();
      await startCore(basicText);
      const before = await core.handlers['settings:update']({ ngrokAuthtoken: NGROK_AUTHTOKEN });
      expect(before.vault).toEqual({
        persistent: false,
        reason: { text: expect.stringContaining('memory') as unknown, detail: null },
        canAcceptUnprotected: true,
        unprotectedAccepted: false,
      });
      await registerAtEmulator();
      await connect({ decision: 'approve', account: shop.igUserId });
      expect(settingsFile().vaultAccounts).toBeUndefined();
      expect(settingsFile().vaultSecrets).toBeUndefined();

      // Saving a setting restarts the core: the memory-only login must survive it.
      await core.handlers['settings:update']({ graphVersion: 'v24.0' });
      expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);

      const accepted = await core.handlers['settings:update']({ acceptUnprotectedStorage: true });
      expect(accepted.vault).toMatchObject({ persistent: true, unprotectedAccepted: true });
      expect(Object.keys(settingsFile().vaultAccounts as object)).toEqual([shop.igUserId]);
      expect(accepted.hasNgrokAuthtoken).toBe(true);

      // A new run finds them on disk, as the user chose.
      await core.stop();
      await startCore(basicText);
      expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);

      // Changing their mind wipes the disk and keeps this session working.
      const revoked = await core.handlers['settings:update']({ acceptUnprotectedStorage: false });
      expect(revoked.vault).toMatchObject({ persistent: false, unprotectedAccepted: false });
      expect(settingsFile().vaultAccounts).toBeUndefined();
      expect(settingsFile().vaultSecrets).toBeUndefined();
      expect(revoked.hasNgrokAuthtoken).toBe(true);
      expect(accountsOf()).toMatchObject([{ igUserId: shop.igUserId, state: 'connected' }]);
    });
  });

  it('settings: secrets are write-only, sealed on disk, and read back by the config', async () => {
    const saved = await core.handlers['settings:update']({
      ngrokAuthtoken: NGROK_AUTHTOKEN,
      ngrokDomain: 'Calm-Otter.ngrok.app',
      graphVersion: 'v23.0',
    });
    expect(saved).toMatchObject({
      hasNgrokAuthtoken: true,
      ngrokDomain: 'calm-otter.ngrok.app',
      graphVersion: 'v23.0',
      appId: APP_ID,
      hasAppSecret: true,
      fromEnvironment: ['appId', 'appSecret', 'verifyToken'],
      vault: { persistent: true, reason: null },
    });
    expect(JSON.stringify(saved)).not.toContain(NGROK_AUTHTOKEN);
    expect(JSON.stringify(saved)).not.toContain(APP_SECRET);
    const before = saved.verifyToken;
    const regenerated = await core.handlers['settings:update']({ regenerateVerifyToken: true });
    // The environment's verify token wins over a regenerated one.
    expect(regenerated.verifyToken).toBe(before);
  });

  it('settings: the Meta app secret is write-only, sealed on disk, and signs deliveries the listener accepts', async () => {
    const metaSecret = 'the-meta-app-secret-of-this-test';
    expect((await core.handlers['settings:get']()).hasMetaAppSecret).toBe(false);
    const saved = await core.handlers['settings:update']({ metaAppSecret: metaSecret });
    expect(saved.hasMetaAppSecret).toBe(true);
    expect(saved.fromEnvironment).not.toContain('metaAppSecret');
    expect(JSON.stringify(saved)).not.toContain(metaSecret);
    expect(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain(metaSecret);

    // Saving restarted the core, which now accepts a delivery signed with either secret.
    const body = JSON.stringify({ object: 'instagram', entry: [] });
    const post = (secret: string) =>
      fetch(core.status().webhookUrl!, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
        body,
      });
    expect((await post(metaSecret)).status).toBe(200);
    expect((await post(APP_SECRET)).status).toBe(200);
    expect((await post('a-secret-nobody-gave-inlet')).status).toBe(401);

    const cleared = await core.handlers['settings:update']({ clearMetaAppSecret: true });
    expect(cleared.hasMetaAppSecret).toBe(false);
    expect((await post(metaSecret)).status).toBe(401);
  });

  it('after a full session no token, secret or authtoken is readable under the data dir or in the log', async () => {
    await core.handlers['settings:update']({ ngrokAuthtoken: NGROK_AUTHTOKEN });
    await registerAtEmulator(); // saving settings restarted the core on new ports
    await connect({ decision: 'approve', account: shop.igUserId });
    await connect({ decision: 'approve', account: cafe.igUserId });
    const firstTokens = [await tokenOf(shop.igUserId), await tokenOf(cafe.igUserId)];
    const lena = await client.createCustomer({ accountId: shop.igUserId, username: 'lena.k' });
    await client.customerSends(lena.igsid, { text: 'Size M?' });
    // Processed right after the ack, on this thread.
    const conversation = await vi.waitFor(async () => {
      const { conversations } = await core.handlers['inbox:listConversations']({});
      expect(conversations).toHaveLength(1);
      return conversations[0]!;
    });
    await core.handlers['sending:sendText']({ conversationId: conversation.id, text: 'Yes' });
    await expect.poll(async () => (await client.sent(shop.igUserId)).length).toBe(1);
    await core.stop();
    clock.advance(55 * DAY);
    await startCore();
    await expect
      .poll(() => logger.lines.filter((line) => line.message === 'access token refreshed').length)
      .toBe(2);
    await core.stop();

    const secrets = [APP_SECRET, NGROK_AUTHTOKEN, PASSPHRASE, ...firstTokens];
    // The tokens in use now (refreshed), plus every secret Inlet was given.
    for (const id of [shop.igUserId, cafe.igUserId]) {
      const token = await tokenOf(id);
      secrets.push(token);
    }
    const files = listFiles(dataDir);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets) {
        expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 6)}… in ${file}`).toBe(
          false,
        );
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), file).toBe(false);
      }
    }
    const log = JSON.stringify(logger.lines);
    for (const secret of secrets) expect(log.includes(secret), secret.slice(0, 6)).toBe(false);
  });

  /** The live token, read back through the vault of a core with the right key. */
  async function tokenOf(igUserId: string): Promise<string> {
    const { TokenVault } = await import('../../../../../main/core/auth/token-vault');
    const vault = new TokenVault({
      cipher: passphraseCipher(PASSPHRASE, dataDir),
      kv: nodeFileKv(dataDir),
      logger: memoryLogger(),
    });
    const account = await vault.getAccount(igUserId);
    if (account?.status !== 'ok') throw new Error(`no readable token for ${igUserId}`);
    return account.token.accessToken;
  }
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
