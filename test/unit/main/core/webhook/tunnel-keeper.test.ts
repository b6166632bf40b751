import { afterEach, describe, expect, it, vi } from 'vitest';
import { ngrokTunnel, describeTunnelError } from '../../../../../main/core/webhook/ngrok-tunnel';
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
    expect(tunnel.state.error).toMatch(/Could not reach ngrok.*Check the internet connection/);
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
    expect(tunnel.state.error).toBe(
      'ngrok refused the authtoken. Check it in your ngrok dashboard.',
    );
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
    expect(tunnel.state.error).toMatch(/lost \(connection reset\); reconnecting/);
    provider.restore();
    expect(tunnel.state).toEqual({ state: 'online', url, error: null, retryAt: null });
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
    expect(tunnel.state.error).toMatch(/did not come back/);
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
    expect(describeTunnelError(error)).toMatch(
      /^(Could not reach ngrok: .+\. Check the internet connection\.|ngrok refused the authtoken\. Check it in your ngrok dashboard\.)$/,
    );
  }, 20_000);
});
