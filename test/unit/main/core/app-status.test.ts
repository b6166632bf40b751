import { describe, expect, it } from 'vitest';
import type { Account, AppStatus } from '../../../../shared/domain/schemas';
import { appStatus, oncePerTurn, type RunningStatus } from '../../../../main/core/app-status';
import { TUNNEL_OFF } from '../../../../main/core/webhook/public-address';

const SHOP: Account = {
  igUserId: '17841400000000001',
  username: 'acme.studio',
  source: 'configured',
  state: 'connected',
  reason: null,
  pictureUrl: null,
};
const ONLINE: AppStatus['tunnel'] = {
  state: 'online',
  error: null,
  retryAt: null,
};

const running: RunningStatus = {
  config: { mode: 'live', verifyToken: 'app-status-verify-token', sandboxReason: null },
  accounts: { list: () => [SHOP] },
  webhook: { url: 'http://127.0.0.1:4871/webhook' },
  inbox: { lastEventAt: 1_773_842_751_091 },
};

describe('appStatus: the status strip’s picture of Inlet', () => {
  it('tells a running core’s mode, accounts, listener, verify token and last delivery', () => {
    expect(
      appStatus({
        running,
        publicAddress: { url: 'https://calm-otter.ngrok-free.app', status: ONLINE },
        diskFull: { full: false },
      }),
    ).toEqual({
      mode: 'live',
      sandboxReason: null,
      accounts: [SHOP],
      webhookUrl: 'http://127.0.0.1:4871/webhook',
      publicWebhookUrl: 'https://calm-otter.ngrok-free.app/webhook',
      tunnel: ONLINE,
      verifyToken: 'app-status-verify-token',
      lastEventAt: 1_773_842_751_091,
      diskFull: false,
    });
  });

  it('reads a stopped core as sandbox mode with nothing connected, but still tells the tunnel and the disk', () => {
    const failed: AppStatus['tunnel'] = {
      state: 'error',
      error: { text: 'ngrok refused the authtoken', detail: null },
      retryAt: 1_773_842_811_091,
    };
    expect(
      appStatus({
        running: null,
        publicAddress: { url: null, status: failed },
        diskFull: { full: true },
      }),
    ).toEqual({
      mode: 'sandbox',
      sandboxReason: null,
      accounts: [],
      webhookUrl: null,
      publicWebhookUrl: null,
      tunnel: failed,
      verifyToken: null,
      lastEventAt: null,
      diskFull: true,
    });
  });

  it('gives no public webhook URL while the tunnel is not online', () => {
    const status = appStatus({
      running,
      publicAddress: { url: null, status: TUNNEL_OFF },
      diskFull: { full: false },
    });
    expect(status.publicWebhookUrl).toBeNull();
    expect(status.webhookUrl).toBe('http://127.0.0.1:4871/webhook');
  });
});

describe('oncePerTurn: a burst publishes the status once', () => {
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('publishes once for every ask within a turn of the event loop, after it', async () => {
    let published = 0;
    const publishSoon = oncePerTurn(() => void (published += 1));
    publishSoon();
    publishSoon();
    publishSoon();
    expect(published).toBe(0);
    await turn();
    expect(published).toBe(1);
  });

  it('publishes again for an ask in a later turn', async () => {
    let published = 0;
    const publishSoon = oncePerTurn(() => void (published += 1));
    publishSoon();
    await turn();
    publishSoon();
    await turn();
    expect(published).toBe(2);
  });
});
