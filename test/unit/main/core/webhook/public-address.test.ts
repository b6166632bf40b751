import { describe, expect, it, vi } from 'vitest';
import { PublicAddress, TUNNEL_OFF } from '../../../../../main/core/webhook/public-address';
import { fixedClock } from '../../../../fakes/clock';
import { FakeTunnelProvider } from '../../../../fakes/fake-tunnel';
import { memoryLogger } from '../../../../fakes/logger';

const NGROK = { authtoken: '2abcNgrokAuthtokenForThisTest', domain: 'calm-otter.ngrok-free.app' };

function setup() {
  const provider = new FakeTunnelProvider();
  const seen = { changes: 0, backOnline: 0 };
  const address = new PublicAddress({
    provider,
    clock: fixedClock(),
    logger: memoryLogger(),
    onChange: () => void (seen.changes += 1),
    onBackOnline: () => void (seen.backOnline += 1),
  });
  return { provider, address, seen };
}

/** A tunnel opened to the listener on port 4100, once it is online. */
async function online() {
  const parts = setup();
  parts.address.start(NGROK, 4100);
  await vi.waitFor(() => expect(parts.address.status.state).toBe('online'));
  return parts;
}

describe('PublicAddress: Meta’s way in to this machine', () => {
  it('is off, with no URL, until started', () => {
    const { address } = setup();
    expect(address.status).toEqual(TUNNEL_OFF);
    expect(address.url).toBeNull();
  });

  it.each([
    ['no ngrok authtoken is configured', null, 4100],
    ['the local listener has no port', NGROK, null],
  ])('says why there is no tunnel when %s, and opens none', (_case, ngrok, port) => {
    const { address, provider, seen } = setup();
    address.start(ngrok, port);
    expect(address.status).toEqual({
      state: 'off',
      error: {
        text: 'No ngrok authtoken configured (INLET_NGROK_AUTHTOKEN): Meta cannot reach this machine.',
        detail: { key: 'errorDetail.tunnelNotConfigured', vars: null },
      },
      retryAt: null,
    });
    expect(address.url).toBeNull();
    expect(seen.changes).toBe(1);
    expect(provider.opened).toEqual([]);
  });

  it('opens the tunnel to the local listener with the authtoken and reserved domain, and gives its URL', async () => {
    const { address, provider, seen } = await online();

    expect(provider.opened.map(({ options }) => options)).toMatchObject([
      { localPort: 4100, authtoken: NGROK.authtoken, domain: NGROK.domain },
    ]);
    expect(address.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(address.status).toEqual({
      state: 'online',
      error: null,
      retryAt: null,
    });
    // Connecting, then online: Meta could not deliver before, so what it missed is fetched.
    expect(seen.changes).toBe(2);
    expect(seen.backOnline).toBe(1);
    await address.stop();
  });

  it('asks for what Meta could not deliver each time the tunnel comes back after a drop', async () => {
    const { address, provider, seen } = await online();

    provider.drop();
    expect(address.status.state).not.toBe('online');
    expect(seen.backOnline).toBe(1);
    provider.restore();
    expect(address.status.state).toBe('online');
    expect(seen.backOnline).toBe(2);
    await address.stop();
  });

  it('closes the tunnel on stop and reads off again', async () => {
    const { address, provider, seen } = await online();
    const changes = seen.changes;

    await address.stop();
    expect(provider.opened.map(({ closed }) => closed)).toEqual([true]);
    expect(address.status).toEqual(TUNNEL_OFF);
    expect(address.url).toBeNull();
    expect(seen.changes).toBe(changes + 1);
  });

  it('restarts by closing the tunnel and opening a new one to the same listener, resolving once it is up', async () => {
    const { address, provider } = await online();

    await address.restart(NGROK, 4100);
    expect(address.status.state).toBe('online');
    expect(provider.opened.map(({ options, closed }) => [options.localPort, closed])).toEqual([
      [4100, true],
      [4100, false],
    ]);
    await address.stop();
  });

  it('stops cleanly when it was never started', async () => {
    const { address } = setup();
    await address.stop();
    expect(address.status).toEqual(TUNNEL_OFF);
  });
});
