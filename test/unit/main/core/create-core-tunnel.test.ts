import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppStatusSchema, type AppStatus } from '../../../../shared/domain/schemas';
import { startSandbox } from '../../../../main/sandbox/sandbox';
import { createCore } from '../../../../main/core/create-core';
import type { Core } from '../../../../main/core/core-types';
import { signBody } from '../../../../main/core/webhook/signature';
import { FakeTunnelProvider } from '../../../fakes/fake-tunnel';
import { memoryKv } from '../../../fakes/memory-kv';
import { memoryLogger } from '../../../fakes/logger';
import { textMessageBody } from '../../../fakes/webhook-bodies';

let core: Core | null = null;
let dataDir = '';
afterEach(async () => {
  await core?.stop();
  core = null;
  rmSync(dataDir, { recursive: true, force: true });
});

function liveCore(
  tunnel: FakeTunnelProvider,
  extra: { env?: Record<string, string>; fetched?: string[] } = {},
) {
  dataDir = mkdtempSync(join(tmpdir(), 'inlet-core-'));
  const statuses: AppStatus[] = [];
  core = createCore({
    startSandbox,
    cipher: { isAvailable: () => false, seal: async (s) => s, open: async (s) => s },
    kv: memoryKv(),
    browser: { open: async () => undefined },
    notifier: { notify: () => undefined },
    clock: { now: () => Date.now() },
    fetch: (input) => {
      extra.fetched?.push(input instanceof Request ? input.url : String(input));
      return Promise.reject(new Error('no network in this test'));
    },
    logger: memoryLogger(),
    tunnel,
    dataDir,
    env: {
      INLET_APP_SECRET: 'core-secret',
      INLET_VERIFY_TOKEN: 'paste-me-into-meta',
      INLET_NGROK_AUTHTOKEN: 'ngrok-token',
      INLET_NGROK_DOMAIN: 'calm-otter.ngrok.app',
      ...extra.env,
    },
    options: { webhookPort: 0 },
  });
  core.events.on('app:statusChanged', (status) => statuses.push(status));
  return { core, statuses };
}

describe('the tunnel in the running core', () => {
  it('pushes connecting, then online with the public callback URL and the verify token', async () => {
    const tunnel = new FakeTunnelProvider();
    const { core, statuses } = liveCore(tunnel);
    await core.start();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('online'));
    expect(statuses.map((status) => status.tunnel.state)).toContain('connecting');
    const status = statuses.at(-1);
    expect(tunnel.opened[0]?.options.domain).toBe('calm-otter.ngrok.app');
    expect(status?.publicWebhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(status?.verifyToken).toBe('paste-me-into-meta');

    // A delivery through the tunnel is stored and shows up as the last event.
    const body = textMessageBody({ mid: 'through-the-tunnel', text: 'Hi' });
    const response = await fetch(status?.publicWebhookUrl ?? '', {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Signature-256': signBody(body, 'core-secret'),
      },
    });
    expect(response.status).toBe(200);
    // The receiver thread tells this one right after the ack.
    await vi.waitFor(() => expect(statuses.at(-1)?.lastEventAt).not.toBeNull());

    // The menu's export reads the running archive.
    let exported = '';
    core.exportArchive('json', (chunk) => (exported += chunk));
    expect(JSON.parse(exported)).toMatchObject({ format: 'inlet-export', version: 1 });
  });

  it('catches up through the Conversations API on start and when the tunnel is back', async () => {
    const tunnel = new FakeTunnelProvider();
    const fetched: string[] = [];
    const { core } = liveCore(tunnel, {
      env: { INLET_IG_USER_ID: '17841405309211844', INLET_ACCESS_TOKEN: 'token' },
      fetched,
    });
    const catchUps = () => fetched.filter((url) => url.includes('/conversations?')).length;
    await core.start();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('online'));
    // On start, and once more for the first connect (nothing could arrive before it).
    await vi.waitFor(() => expect(catchUps()).toBeGreaterThanOrEqual(1));
    // Let those runs settle (each fails fast: there is no network), so the next one is the reconnect's.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = catchUps();
    tunnel.drop();
    await vi.waitFor(() => expect(core.status().tunnel.state).not.toBe('online'));
    tunnel.restore();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('online'));
    await vi.waitFor(() => expect(catchUps()).toBeGreaterThan(before));
    expect(fetched.find((url) => url.includes('/conversations?'))).toContain(
      '/17841405309211844/conversations?platform=instagram',
    );
  });

  it('reports a connect failure in plain words and keeps retrying', async () => {
    const tunnel = new FakeTunnelProvider();
    tunnel.failNext(1, new Error('failed to connect session: dns error'));
    const { core } = liveCore(tunnel);
    await core.start();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('error'));
    expect(core.status().tunnel.error?.text).toMatch(/^Could not reach ngrok/);
    // The owner reads it in their language: the key crosses the typed contract with ngrok's words.
    expect(AppStatusSchema.parse(core.status()).tunnel.error?.detail).toEqual({
      key: 'errorDetail.tunnelUnreachable',
      vars: { technical: 'failed to connect session: dns error' },
    });
    expect(core.status().tunnel.retryAt).not.toBeNull();
    expect(core.status().publicWebhookUrl).toBeNull();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('online'), { timeout: 3_000 });
  });

  it('without an authtoken, says the tunnel is off and why, with its key', async () => {
    const tunnel = new FakeTunnelProvider();
    const { core } = liveCore(tunnel, { env: { INLET_NGROK_AUTHTOKEN: '' } });
    await core.start();
    expect(core.status().tunnel).toEqual({
      state: 'off',
      error: {
        text: 'No ngrok authtoken configured (INLET_NGROK_AUTHTOKEN): Meta cannot reach this machine.',
        detail: { key: 'errorDetail.tunnelNotConfigured', vars: null },
      },
      retryAt: null,
    });
    expect(tunnel.opened).toHaveLength(0);
  });

  it('stop() closes the tunnel and reports it off', async () => {
    const tunnel = new FakeTunnelProvider();
    const { core } = liveCore(tunnel);
    await core.start();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('online'));
    await core.stop();
    expect(tunnel.opened[0]?.closed).toBe(true);
    expect(core.status().tunnel.state).toBe('off');
  });
});
