import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../../shared/domain/schemas';
import type { UpdateState } from '../../../../shared/ipc/updates-contract';
import { buildDiagnostics, diagnosticsHandler } from '../../../../main/core/diagnostics';
import { createLogger } from '../../../../main/core/logger';

const VERIFY_TOKEN = 'vt-7f3c9a1e5b';
const STATUS: AppStatus = {
  mode: 'live',
  sandboxReason: null,
  accounts: [
    {
      igUserId: '17841405309211844',
      username: 'acme.studio',
      state: 'connected',
      reason: null,
      source: 'oauth',
      pictureUrl: null,
    },
    {
      igUserId: '17841405309211845',
      username: 'acme.outlet',
      state: 'reconnect-needed',
      reason: { text: 'Instagram refused the login (190)', detail: null },
      source: 'oauth',
      pictureUrl: null,
    },
  ],
  webhookUrl: 'http://127.0.0.1:4871/webhook',
  publicWebhookUrl: 'https://calm-otter.ngrok.app/webhook',
  tunnel: {
    state: 'error',
    error: { text: 'the session closed', detail: null },
    retryAt: Date.UTC(2026, 11, 5, 9, 1),
  },
  verifyToken: VERIFY_TOKEN,
  lastEventAt: Date.UTC(2026, 11, 5, 8, 59),
  diskFull: false,
};
const UPDATES: UpdateState = {
  currentVersion: '0.1.0',
  unsupported: null,
  phase: 'ready',
  update: { version: '0.2.0', notes: 'Faster search' },
  releasesUrl: 'https://github.com/acme/inlet/releases',
  lastCheckedAt: Date.UTC(2026, 11, 5, 8, 0),
  nextCheckAt: null,
  problem: null,
  pendingSends: 2,
  settings: { autoCheck: true, prereleases: false },
};

describe('Copy diagnostics', () => {
  it('gives versions, health, update state and recent log lines without any token, secret or signature', () => {
    const log: string[] = [];
    const logger = createLogger((line) => log.push(line), { now: () => 0 });
    logger.info(
      'sent via https://graph.instagram.com/v24.0/me/messages?access_token=IGAAsecret123456',
      {
        signature: `sha256=${'c'.repeat(64)}`,
        appSecret: 'app-secret-value',
      },
    );
    // A line that escaped the logger's redaction (written raw by a library): caught here again.
    log.push(`handshake hub.verify_token=${VERIFY_TOKEN} Authorization: Bearer EAAGm0PX4ZCps`);

    const text = buildDiagnostics({
      versions: { inlet: '0.1.0', electron: '45.4.1', node: '24.10.0', chrome: undefined },
      platform: 'darwin arm64',
      status: STATUS,
      updates: UPDATES,
      recentLogLines: log,
      secrets: [VERIFY_TOKEN, null],
      now: Date.UTC(2026, 11, 5, 9, 0),
    });

    for (const secret of [
      'IGAAsecret123456',
      'c'.repeat(64),
      'app-secret-value',
      VERIFY_TOKEN,
      'EAAGm0PX4ZCps',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('inlet: 0.1.0');
    expect(text).toContain('electron: 45.4.1');
    expect(text).not.toContain('chrome');
    expect(text).toContain('tunnel: error (the session closed)');
    expect(text).toContain('last webhook delivery: 2026-12-05T08:59:00.000Z');
    expect(text).toContain(
      'account @acme.outlet: reconnect-needed (Instagram refused the login (190))',
    );
    expect(text).toContain('state: ready');
    expect(text).toContain('available: 0.2.0');
    expect(text).toContain('messages going out: 2');
    expect(text).toContain(
      'sent via https://graph.instagram.com/v24.0/me/messages?access_token=[redacted]',
    );
  });

  it('keeps only the newest 100 log lines', () => {
    const text = buildDiagnostics({
      versions: {},
      platform: 'linux x64',
      status: { ...STATUS, accounts: [] },
      updates: { ...UPDATES, unsupported: 'package-manager' },
      recentLogLines: Array.from({ length: 150 }, (_, n) => `line-${n}`),
      secrets: [],
      now: 0,
    });
    expect(text).not.toContain('line-49\n');
    expect(text).toContain('line-50\n');
    expect(text.endsWith('line-149')).toBe(true);
    expect(text).toContain('state: not by Inlet (package-manager)');
  });

  it('answers app:getDiagnostics from the live status, update state and log, with the verify token blanked', async () => {
    const handler = diagnosticsHandler({
      status: () => STATUS,
      updates: () => ({ ...UPDATES, unsupported: 'headless' }),
      recentLogLines: () => [`webhook verified with ${VERIFY_TOKEN}`, 'outbox idle'],
      clock: { now: () => Date.UTC(2026, 11, 5, 9, 0) },
    });
    const { text } = await handler['app:getDiagnostics']();
    expect(text).toContain('Inlet diagnostics, 2026-12-05T09:00:00.000Z');
    expect(text).toContain(`node: ${process.versions.node}`);
    expect(text).toContain(`platform: ${process.platform} ${process.arch}`);
    expect(text).toContain('state: not by Inlet (headless)');
    expect(text).toContain('webhook verified with [redacted]');
    expect(text).toContain('outbox idle');
    expect(text).not.toContain(VERIFY_TOKEN);
  });
});
