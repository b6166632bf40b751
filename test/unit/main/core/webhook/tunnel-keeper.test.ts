import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ngrokTunnel,
  describeTunnelError,
  TunnelNoPublicUrlError,
  TunnelTimeoutError,
  withTimeout,
} from '../../../../../main/core/webhook/ngrok-tunnel';
import { TunnelKeeper, type TunnelState } from '../../../../../main/core/webhook/tunnel-keeper';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { FakeTunnelProvider } from '../../../../fakes/fake-tunnel';
import { memoryLogger } from '../../../../fakes/logger';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function keeper(provider: FakeTunnelProvider, localPort = 1) {
  const states: TunnelState[] = [];
  const tunnel = new TunnelKeeper({
    provider,
    localPort,
    authtoken: 'token',
    domain: 'calm-otter.ngrok.app',
    logger: memoryLogger(),
    now: () => Date.now(),
    onChange: (state) => states.push(state),
    initialDelayMs: 1_000,
    maxDelayMs: 8_000,
    reconnectGraceMs: 30_000,
  });
  cleanups.push(() => tunnel.stop());
  return { tunnel, states };
}

async function until(check: () => boolean): Promise<void> {
  for (let index = 0; index < 200 && !check(); index += 1) await vi.advanceTimersByTimeAsync(0);
  expect(check()).toBe(true);
}

describe('TunnelKeeper', () => {
  it('goes connecting → online with the public URL and passes the reserved domain', async () => {
    const provider = new FakeTunnelProvider();
    const { tunnel, states } = keeper(provider);
    tunnel.start();
    await vi.waitFor(() => expect(tunnel.state.state).toBe('online'));
    expect(states[0]?.state).toBe('connecting');
    expect(tunnel.state.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(provider.opened[0]?.options.domain).toBe('calm-otter.ngrok.app');
  });

  it('retries a failed connect with doubling back-off and says why meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    provider.failNext(
      3,
      new Error('failed to connect session: failed to establish tcp connection'),
    );
    const { tunnel, states } = keeper(provider);
    const started = Date.now();
    tunnel.start();
    await until(() => tunnel.state.state === 'error');
    expect(tunnel.state.error?.text).toMatch(
      /Could not reach ngrok.*Check the internet connection/,
    );
    expect(tunnel.state.error?.detail).toEqual({
      key: 'errorDetail.tunnelUnreachable',
      vars: { technical: 'failed to connect session: failed to establish tcp connection' },
    });
    expect(tunnel.state.retryAt).toBe(started + 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => tunnel.state.retryAt === Date.now() + 2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await until(() => tunnel.state.retryAt === Date.now() + 4_000);
    expect(provider.opened).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(4_000);
    await until(() => tunnel.state.state === 'online');
    expect(tunnel.state.error).toBeNull();
    expect(states.filter((state) => state.state === 'error')).toHaveLength(3);
  });

  it('caps the back-off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    provider.failNext(10, new Error('authentication failed: ERR_NGROK_105'));
    const { tunnel } = keeper(provider);
    tunnel.start();
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await until(() => tunnel.state.state === 'error');
      const wait = (tunnel.state.retryAt ?? 0) - Date.now();
      expect(wait).toBe(Math.min(8_000, 1_000 * 2 ** attempt));
      await vi.advanceTimersByTimeAsync(wait);
    }
    expect(tunnel.state.error?.text).toBe(
      'ngrok refused the authtoken. Check it in your ngrok dashboard.',
    );
    expect(tunnel.state.error?.detail?.key).toBe('errorDetail.tunnelAuthtokenRefused');
  });

  it('shows a drop as reconnecting, and online again when the session comes back by itself', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    const { tunnel } = keeper(provider);
    tunnel.start();
    await until(() => tunnel.state.state === 'online');
    const url = tunnel.state.url;
    provider.drop('connection reset');
    expect(tunnel.state).toMatchObject({ state: 'connecting', url: null });
    expect(tunnel.state.error?.text).toMatch(/lost \(connection reset\); reconnecting/);
    expect(tunnel.state.error?.detail).toEqual({
      key: 'errorDetail.tunnelReconnecting',
      vars: { technical: 'connection reset' },
    });
    provider.restore();
    expect(tunnel.state).toEqual({
      state: 'online',
      url,
      error: null,
      retryAt: null,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(provider.opened).toHaveLength(1); // the grace timer was cancelled
  });

  it('replaces a dropped session that does not come back within the grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    const { tunnel } = keeper(provider);
    tunnel.start();
    await until(() => tunnel.state.state === 'online');
    provider.drop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(tunnel.state.state).toBe('error');
    expect(tunnel.state.error?.text).toMatch(/did not come back/);
    expect(tunnel.state.error?.detail).toEqual({
      key: 'errorDetail.tunnelLost',
      vars: { technical: 'network unreachable' },
    });
    expect(provider.opened[0]?.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => tunnel.state.state === 'online');
    expect(provider.opened).toHaveLength(2);
  });

  it('stop() closes the session, cancels retries and reports off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    provider.failNext(1, new Error('boom'));
    const { tunnel } = keeper(provider);
    tunnel.start();
    await until(() => tunnel.state.state === 'error');
    await tunnel.stop();
    expect(tunnel.state.state).toBe('off');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(provider.opened).toHaveLength(0);
  });
});

// What ngrok's SDK says (its English, with the ERR_NGROK_ code on its own line), per failure kind.
const REFUSED_TOKEN =
  'authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.\n\nERR_NGROK_105';
const SESSION_LIMIT =
  'authentication failed: Your account is limited to 1 simultaneous ngrok agent sessions.\n\nERR_NGROK_108';
const DOMAIN_TAKEN =
  'failed to start tunnel: This domain is reserved for another account. Failed to create an endpoint with the domain calm-otter.ngrok.app for the account A. If you have reserved this name, make sure that you are using an authtoken credential for the appropriate account.\n\nERR_NGROK_320';
const UNREACHABLE = 'failed to connect session: failed to resolve connect.ngrok-agent.com';

describe('each tunnel failure reaches the owner as a key, with ngrok’s words apart', () => {
  it.each([
    {
      error: new Error(REFUSED_TOKEN),
      key: 'tunnelAuthtokenRefused',
      vars: { technical: REFUSED_TOKEN },
    },
    {
      error: new Error(SESSION_LIMIT),
      key: 'tunnelSessionLimit',
      vars: { technical: SESSION_LIMIT },
    },
    {
      error: new Error(DOMAIN_TAKEN),
      key: 'tunnelDomainRefused',
      vars: { domain: 'calm-otter.ngrok.app', technical: DOMAIN_TAKEN },
    },
    { error: new Error(UNREACHABLE), key: 'tunnelUnreachable', vars: { technical: UNREACHABLE } },
    { error: new TunnelTimeoutError(15), key: 'tunnelTimeout', vars: { seconds: 15 } },
    { error: new TunnelNoPublicUrlError(), key: 'tunnelNoPublicUrl', vars: null },
    {
      error: new Error('tunnel session ended unexpectedly'),
      key: 'tunnelFailed',
      vars: { technical: 'tunnel session ended unexpectedly' },
    },
  ])('errorDetail.$key', async ({ error, key, vars }) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    provider.failNext(1, error);
    const { tunnel } = keeper(provider);
    tunnel.start();
    await until(() => tunnel.state.state === 'error');
    expect(tunnel.state.error?.detail).toEqual({ key: `errorDetail.${key}`, vars });
    // The English sentence stays for logs and the CLI, and is never ngrok's words alone.
    expect(tunnel.state.error?.text).not.toBe(error.message);
    expect(tunnel.state.error?.text).not.toBe('');
  });

  it('the connect timeout is told apart from other failures', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let timedOut = false;
    const waiting = withTimeout(new Promise<never>(() => undefined), 15_000, () => {
      timedOut = true;
    }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(timedOut).toBe(true);
    expect(describeTunnelError(await waiting)).toEqual({
      text: 'Could not reach ngrok: no answer from ngrok within 15 s (is this machine online?). Check the internet connection.',
      detail: { key: 'errorDetail.tunnelTimeout', vars: { seconds: 15 } },
    });
  });

  it('a domain refusal without a configured domain is not blamed on one', () => {
    expect(describeTunnelError(new Error(DOMAIN_TAKEN)).detail?.key).toBe(
      'errorDetail.tunnelAuthtokenRefused',
    );
    expect(describeTunnelError(new Error(DOMAIN_TAKEN), 'calm-otter.ngrok.app').text).toBe(
      'ngrok refused the reserved domain calm-otter.ngrok.app: check that it is reserved for the account of this authtoken.',
    );
  });

  it('a thrown non-Error is still described, its text as the technical detail', () => {
    expect(describeTunnelError('boom')).toEqual({
      text: 'The tunnel failed: boom',
      detail: { key: 'errorDetail.tunnelFailed', vars: { technical: 'boom' } },
    });
  });
});

describe('what the tunnel exposes', () => {
  it('forwards the webhook and mounted routes; every other path is a 404', async () => {
    const server = new WebhookServer({
      port: 0,
      secrets: () => ['secret'],
      verifyToken: () => 'verify-me',
      onDelivery: () => undefined,
      logger: memoryLogger(),
    });
    await server.start();
    cleanups.push(() => server.stop());
    server.mount('/oauth/callback', (_request, response) => void response.end('callback'));
    server.mount('/media/out/', (_request, response) => void response.end('attachment'));
    const provider = new FakeTunnelProvider();
    const { tunnel } = keeper(provider, server.port ?? 0);
    tunnel.start();
    await vi.waitFor(() => expect(tunnel.state.state).toBe('online'));
    const base = tunnel.state.url ?? '';
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      return [response.status, await response.text()];
    };
    expect(
      await get('/webhook?hub.mode=subscribe&hub.challenge=42&hub.verify_token=verify-me'),
    ).toEqual([200, '42']);
    expect(await get('/oauth/callback?code=x&state=y')).toEqual([200, 'callback']);
    expect(await get('/media/out/a.jpg')).toEqual([200, 'attachment']);
    for (const path of [
      '/',
      '/admin',
      '/webhook/../admin',
      '/oauth/callback/extra',
      '/media/outside',
      '/.env',
    ]) {
      expect((await get(path))[0], path).toBe(404);
    }
  });
});

describe('the real @ngrok/ngrok adapter', () => {
  it('fails within seconds with a plain reason when ngrok cannot be reached or refuses the token', async () => {
    const started = Date.now();
    const error = await ngrokTunnel.open({ localPort: 9, authtoken: 'not-a-real-authtoken' }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(16_000);
    // Offline (CI, this sandbox): unreachable. Online: the bogus token is refused.
    const said = describeTunnelError(error);
    expect(said.text).toMatch(
      /^(Could not reach ngrok: .+\. Check the internet connection\.|ngrok refused the authtoken\. Check it in your ngrok dashboard\.)$/,
    );
    expect(['errorDetail.tunnelUnreachable', 'errorDetail.tunnelAuthtokenRefused']).toContain(
      said.detail?.key,
    );
  }, 20_000);
});

describe('TunnelKeeper.woke', () => {
  it('retries at once a connect that was waiting out its back-off, and settles when online', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    provider.failNext(4, new Error('failed to connect session: dns error'));
    const { tunnel } = keeper(provider);
    tunnel.start();
    // Three failures: the next try is 4 s away (it would be longer after a night of failures).
    for (const wait of [1_000, 2_000]) {
      await until(() => tunnel.state.state === 'error');
      await vi.advanceTimersByTimeAsync(wait);
    }
    await until(() => tunnel.state.retryAt === Date.now() + 4_000);
    // The fourth queued failure is consumed by the wake's immediate try; the fifth try succeeds.
    let settled: string | null = null;
    void tunnel.woke(20_000).then((state) => (settled = state));
    await until(() => settled !== null);
    expect(settled).toBe('error'); // tried at once, without waiting the 4 s
    const before = Date.now();
    let second: string | null = null;
    void tunnel.woke(20_000).then((state) => (second = state));
    await until(() => second !== null);
    expect(second).toBe('online');
    expect(Date.now()).toBe(before); // no back-off was waited out
    expect(provider.opened).toHaveLength(1);
  });

  it('settles at once when online already, and when it is not running', async () => {
    const provider = new FakeTunnelProvider();
    const { tunnel } = keeper(provider);
    await expect(tunnel.woke(20_000)).resolves.toBe('off');
    tunnel.start();
    await vi.waitFor(() => expect(tunnel.state.state).toBe('online'));
    await expect(tunnel.woke(20_000)).resolves.toBe('online');
    expect(provider.opened).toHaveLength(1); // a live session is not replaced
  });

  it('gives up waiting after the timeout while a dropped session is in its grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const provider = new FakeTunnelProvider();
    const { tunnel } = keeper(provider);
    tunnel.start();
    await until(() => tunnel.state.state === 'online');
    provider.drop('network unreachable');
    let settled: string | null = null;
    void tunnel.woke(5_000).then((state) => (settled = state));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe('connecting');
    expect(provider.opened).toHaveLength(1); // the SDK keeps its chance to restore the session
  });
});
