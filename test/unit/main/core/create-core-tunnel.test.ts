import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../../../shared/domain/schemas';
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

function liveCore(tunnel: FakeTunnelProvider) {
  dataDir = mkdtempSync(join(tmpdir(), 'inlet-core-'));
  const statuses: AppStatus[] = [];
  core = createCore({
    cipher: { isAvailable: () => false, seal: async (s) => s, open: async (s) => s },
    kv: memoryKv(),
    browser: { open: async () => undefined },
    notifier: { notify: () => undefined },
    clock: { now: () => Date.now() },
    fetch: () => Promise.reject(new Error('no network in this test')),
    logger: memoryLogger(),
    tunnel,
    dataDir,
    env: {
      INLET_APP_SECRET: 'core-secret',
      INLET_VERIFY_TOKEN: 'paste-me-into-meta',
      INLET_NGROK_AUTHTOKEN: 'ngrok-token',
      INLET_NGROK_DOMAIN: 'calm-otter.ngrok.app',
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
    expect(statuses.at(-1)?.lastEventAt).not.toBeNull();

    // The menu's export reads the running archive.
    let exported = '';
    core.exportArchive('json', (chunk) => (exported += chunk));
    expect(JSON.parse(exported)).toMatchObject({ format: 'inlet-export', version: 1 });
  });

  it('reports a connect failure in plain words and keeps retrying', async () => {
    const tunnel = new FakeTunnelProvider();
    tunnel.failNext(1, new Error('failed to connect session: dns error'));
    const { core } = liveCore(tunnel);
    await core.start();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('error'));
    expect(core.status().tunnel.error).toMatch(/^Could not reach ngrok/);
    expect(core.status().tunnel.retryAt).not.toBeNull();
    expect(core.status().publicWebhookUrl).toBeNull();
    await vi.waitFor(() => expect(core.status().tunnel.state).toBe('online'), { timeout: 3_000 });
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
