import { describe, expect, it, vi } from 'vitest';
import {
  checkAccount,
  checkApp,
  DELIVERY_GRACE_MS,
  type CheckDeps,
  type HealthAccount,
  type HealthGraph,
} from '../../../../../main/core/health/checks';
import { classifyGraphFailure, GraphError } from '../../../../../main/core/graph/graph-errors';
import { LOGIN_SCOPES } from '../../../../../main/core/auth/oauth-flow';
import { INBOX_WEBHOOK_FIELDS } from '../../../../../main/core/auth/webhook-subscription';
import type { HealthCheck } from '../../../../../shared/ipc/health-contract';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);
const ACCOUNT = '17841400000000001';

function graphError(code: number, message = 'x', status = 400) {
  return new GraphError(
    classifyGraphFailure({
      httpStatus: status,
      body: { error: { message, code } },
      requestSent: true,
    }),
    { operation: 'getMe', isIdempotent: true },
  );
}

function fakeGraph(overrides: Partial<HealthGraph> = {}): HealthGraph {
  return {
    getMe: vi.fn(() =>
      Promise.resolve({
        igUserId: ACCOUNT,
        appScopedId: '1',
        username: 'shop',
        name: null,
        accountType: null,
        profilePictureUrl: null,
      } as never),
    ),
    getSubscribedApps: vi.fn(() =>
      Promise.resolve([
        { appId: 'app-1', name: 'Inlet', subscribedFields: [...INBOX_WEBHOOK_FIELDS] },
      ]),
    ),
    subscribeApp: vi.fn(() => Promise.resolve()),
    listConversations: vi.fn(() => Promise.resolve({ conversations: [], after: null } as never)),
    ...overrides,
  };
}

function deps(overrides: Partial<CheckDeps> = {}): CheckDeps {
  return {
    graph: fakeGraph(),
    appId: 'app-1',
    lastMessageAt: () => null,
    tunnel: () => ({ state: 'online', url: 'https://calm.ngrok.app', error: null, retryAt: null }),
    tunnelRestartable: true,
    reachPublicUrl: () => Promise.resolve(true),
    lastVerificationAt: () => NOW - 60_000,
    signatureRefusalsSince: () => 0,
    hasMetaAppSecret: () => false,
    remoteTime: () => Promise.resolve(NOW + 2_000),
    now: () => NOW,
    listeningSince: NOW - 60 * 60_000,
    ...overrides,
  };
}

const account = (overrides: Partial<HealthAccount> = {}): HealthAccount => ({
  igUserId: ACCOUNT,
  username: 'shop',
  token: 'token',
  reconnectReason: null,
  permissions: [...LOGIN_SCOPES],
  ...overrides,
});

const byId = (checks: HealthCheck[], id: HealthCheck['id']) => {
  const found = checks.find((check) => check.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

describe('account checks', () => {
  it('are all ok for a healthy account, each with its id, account, time and sentence key', async () => {
    const checks = await checkAccount(account(), deps());
    expect(checks.map((c) => [c.id, c.state, c.account, c.ranAt])).toEqual([
      ['token-accepted', 'ok', ACCOUNT, NOW],
      ['permissions-granted', 'ok', ACCOUNT, NOW],
      ['subscription-complete', 'ok', ACCOUNT, NOW],
      ['deliveries-arriving', 'ok', ACCOUNT, NOW],
    ]);
    expect(byId(checks, 'token-accepted').reason.detail?.key).toBe('health.reason.tokenOk');
  });

  it('names the webhook fields missing from subscribed_apps and offers the resubscribe repair', async () => {
    const graph = fakeGraph({
      getSubscribedApps: () =>
        Promise.resolve([
          { appId: 'app-1', name: 'Inlet', subscribedFields: ['messages', 'message_edit'] },
          // Another app's fields do not count for Inlet.
          { appId: 'other', name: 'Other', subscribedFields: [...INBOX_WEBHOOK_FIELDS] },
        ]),
    });
    const check = byId(await checkAccount(account(), deps({ graph })), 'subscription-complete');
    expect(check.state).toBe('failing');
    expect(check.fix).toEqual({ kind: 'repair', repair: 'resubscribe' });
    expect(check.reason.detail?.vars?.names).toContain('comments');
    expect(check.reason.detail?.vars?.names).not.toContain('message_edit');
  });

  it('counts a subscription with no app at all as missing every field', async () => {
    const graph = fakeGraph({ getSubscribedApps: () => Promise.resolve([]) });
    const check = byId(await checkAccount(account(), deps({ graph })), 'subscription-complete');
    expect(check.state).toBe('failing');
    expect(check.reason.detail?.vars?.names).toBe(INBOX_WEBHOOK_FIELDS.join(', '));
  });

  it('reports a refused token (190) as failing with reconnect, and the rest as unknown, never ok', async () => {
    const graph = fakeGraph({ getMe: () => Promise.reject(graphError(190)) });
    const checks = await checkAccount(account(), deps({ graph }));
    expect(byId(checks, 'token-accepted')).toMatchObject({
      state: 'failing',
      fix: { kind: 'repair', repair: 'reconnect-account' },
    });
    expect(checks.slice(1).map((c) => c.state)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(graph.getSubscribedApps).not.toHaveBeenCalled();
    expect(byId(checks, 'token-accepted').technical).toContain('code 190');
  });

  it.each([4, 17, 32, 613])(
    'backs off on throttling code %i: unknown, no further calls',
    async (code) => {
      const graph = fakeGraph({ getSubscribedApps: () => Promise.reject(graphError(code)) });
      const checks = await checkAccount(account(), deps({ graph }));
      expect(byId(checks, 'subscription-complete')).toMatchObject({
        state: 'unknown',
        reason: { detail: { key: 'health.reason.rateLimited' } },
      });
      expect(byId(checks, 'deliveries-arriving').state).toBe('unknown');
      expect(graph.listConversations).not.toHaveBeenCalled();
    },
  );

  it('explains error 100 "Unsupported request" as the dev-mode role problem', async () => {
    const graph = fakeGraph({
      getMe: () => Promise.reject(graphError(100, 'Unsupported request - method type: get')),
    });
    const check = byId(await checkAccount(account(), deps({ graph })), 'token-accepted');
    expect(check.state).toBe('failing');
    expect(check.reason.detail?.key).toBe('health.reason.appRoleMissing');
    expect(check.fix?.kind).toBe('owner');
  });

  it('says unknown with the error for anything else that stops a check', async () => {
    const graph = fakeGraph({
      listConversations: () => Promise.reject(new Error('socket hang up')),
    });
    const check = byId(await checkAccount(account(), deps({ graph })), 'deliveries-arriving');
    expect(check).toMatchObject({ state: 'unknown', technical: 'Error: socket hang up' });
  });

  it('checks nothing at Instagram for an account that must reconnect', async () => {
    const graph = fakeGraph();
    const checks = await checkAccount(account({ token: null }), deps({ graph }));
    expect(checks.map((c) => c.state)).toEqual(['failing', 'unknown', 'unknown', 'unknown']);
    expect(graph.getMe).not.toHaveBeenCalled();
  });

  it('names missing permissions, and says unknown when Meta never said what was granted', async () => {
    const missing = byId(
      await checkAccount(account({ permissions: ['instagram_business_basic'] }), deps()),
      'permissions-granted',
    );
    expect(missing.state).toBe('failing');
    expect(missing.reason.detail?.vars?.names).toBe(
      'instagram_business_manage_messages, instagram_business_manage_comments',
    );
    const unsaid = byId(
      await checkAccount(account({ permissions: null }), deps()),
      'permissions-granted',
    );
    expect(unsaid.state).toBe('unknown');
  });

  describe('deliveries arriving', () => {
    const thread = (id: string, customer: string, updatedTime: number) => ({
      id,
      updatedTime,
      participants: [
        { id: ACCOUNT, username: 'shop' },
        { id: customer, username: null },
      ],
    });
    const withThreads = (...threads: ReturnType<typeof thread>[]) =>
      fakeGraph({
        listConversations: vi.fn(() =>
          Promise.resolve({ conversations: threads, after: null } as never),
        ),
      });

    it('fails when a conversation changed after the last delivery Inlet heard for it', async () => {
      const updated = NOW - DELIVERY_GRACE_MS - 60_000;
      const check = byId(
        await checkAccount(
          account(),
          deps({
            graph: withThreads(thread('t1', 'c1', updated), thread('t2', 'c2', updated)),
            lastMessageAt: (_, customer) => (customer === 'c1' ? updated - 10 * 60_000 : updated),
          }),
        ),
        'deliveries-arriving',
      );
      expect(check.state).toBe('failing');
      expect(check.reason.detail?.vars?.count).toBe(1);
      expect(check.technical).toContain('t1');
      expect(check.fix?.kind).toBe('owner');
    });

    it('gives a delivery on its way its grace, and leaves threads from before Inlet listened to catch-up', async () => {
      const deps_ = deps({
        graph: withThreads(
          thread('fresh', 'c1', NOW - 30_000),
          thread('old', 'c2', NOW - 2 * 60 * 60_000),
        ),
      });
      expect(byId(await checkAccount(account(), deps_), 'deliveries-arriving').state).toBe('ok');
    });

    it('after a test message came back, needs no grace for threads that changed before it', async () => {
      const graph = withThreads(thread('fresh', 'c1', NOW - 30_000));
      const proven = deps({ graph, loopProvenAt: (id) => (id === ACCOUNT ? NOW - 5_000 : null) });
      const check = byId(await checkAccount(account(), proven), 'deliveries-arriving');
      expect(check.state).toBe('failing');
      expect(check.reason.text).toBe(
        'Conversations changed on Instagram without Inlet hearing of them (1): new messages are not arriving.',
      );
      // A thread that changed after the test began still has its grace.
      const later = deps({ graph, loopProvenAt: () => NOW - 60_000 });
      expect(byId(await checkAccount(account(), later), 'deliveries-arriving').state).toBe('ok');
    });

    it('asks Instagram for one small page only', async () => {
      const graph = withThreads();
      await checkAccount(account(), deps({ graph }));
      expect(graph.listConversations).toHaveBeenCalledWith('token', ACCOUNT, { limit: 5 });
    });
  });
});

describe('app checks', () => {
  it('are all ok when the tunnel is up, reachable, verified, nothing refused and the clock agrees', async () => {
    const checks = await checkApp(deps());
    expect(checks.map((c) => [c.id, c.state, c.account])).toEqual([
      ['tunnel-up', 'ok', null],
      ['public-url-reachable', 'ok', null],
      ['callback-verified', 'ok', null],
      ['signatures-accepted', 'ok', null],
      ['clock-sane', 'ok', null],
    ]);
  });

  it('fails an offline tunnel with the restart repair, and cannot test reachability then', async () => {
    const checks = await checkApp(
      deps({
        tunnel: () => ({ state: 'error', url: null, error: null, retryAt: NOW + 1000 }),
      }),
    );
    expect(byId(checks, 'tunnel-up')).toMatchObject({
      state: 'failing',
      fix: { kind: 'repair', repair: 'restart-tunnel' },
    });
    expect(byId(checks, 'public-url-reachable').state).toBe('unknown');
  });

  it('fails when the probe through the public address does not come back, or throws', async () => {
    const missed = await checkApp(deps({ reachPublicUrl: () => Promise.resolve(false) }));
    expect(byId(missed, 'public-url-reachable').state).toBe('failing');
    const threw = await checkApp(
      deps({ reachPublicUrl: () => Promise.reject(new Error('ECONNRESET')) }),
    );
    expect(byId(threw, 'public-url-reachable').technical).toContain('ECONNRESET');
  });

  it('offers no restart where Inlet opens no tunnel itself', async () => {
    const checks = await checkApp(
      deps({
        tunnelRestartable: false,
        tunnel: () => ({ state: 'off', url: null, error: null, retryAt: null }),
      }),
    );
    expect(byId(checks, 'tunnel-up')).toMatchObject({ state: 'failing', fix: null });
  });

  it('needs no tunnel in the sandbox', async () => {
    const checks = await checkApp(deps({ tunnel: () => null }));
    expect(byId(checks, 'tunnel-up').state).toBe('ok');
    expect(byId(checks, 'public-url-reachable').state).toBe('ok');
  });

  it('warns, with the dashboard steps, when Meta never verified the callback', async () => {
    const check = byId(
      await checkApp(deps({ lastVerificationAt: () => null })),
      'callback-verified',
    );
    expect(check).toMatchObject({ state: 'warning', fix: { kind: 'owner' } });
  });

  it('fails on signature refusals in the last hour, naming which secret to check', async () => {
    const since = vi.fn(() => 3);
    const one = byId(
      await checkApp(deps({ signatureRefusalsSince: since })),
      'signatures-accepted',
    );
    expect(since).toHaveBeenCalledWith(NOW - 60 * 60_000);
    expect(one.state).toBe('failing');
    expect(one.reason.detail).toEqual({
      key: 'health.reason.signaturesRefusedInstagramSecret',
      vars: { count: 3 },
    });
    const both = byId(
      await checkApp(deps({ signatureRefusalsSince: since, hasMetaAppSecret: () => true })),
      'signatures-accepted',
    );
    expect(both.reason.detail?.key).toBe('health.reason.signaturesRefusedBothSecrets');
  });

  it('judges the clock against Instagram’s: a minute off warns, five fail, unknown when unasked', async () => {
    const at = (offset: number) =>
      checkApp(deps({ remoteTime: () => Promise.resolve(NOW - offset) })).then((c) =>
        byId(c, 'clock-sane'),
      );
    expect((await at(90_000)).state).toBe('warning');
    expect(await at(-10 * 60_000)).toMatchObject({
      state: 'failing',
      reason: { detail: { vars: { seconds: 600 } } },
    });
    const unasked = byId(
      await checkApp(deps({ remoteTime: () => Promise.resolve(null) })),
      'clock-sane',
    );
    expect(unasked.state).toBe('unknown');
  });
});
