import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HealthMonitor,
  type HealthMonitorOptions,
} from '../../../../../main/core/health/health-monitor';
import type { HealthGraph } from '../../../../../main/core/health/checks';
import { LOGIN_SCOPES, INBOX_WEBHOOK_FIELDS } from '../../../../../main/core/auth/oauth-flow';
import { LoopTest } from '../../../../../main/core/health/loop-test';
import { memoryLogger } from '../../../../fakes/logger';
import { memoryKv } from '../../../../fakes/memory-kv';

const ACCOUNT = '17841400000000001';

function monitor(overrides: Partial<HealthMonitorOptions> = {}) {
  let now = Date.UTC(2026, 11, 5, 12);
  let subscribed: string[] = [...INBOX_WEBHOOK_FIELDS];
  const graph: HealthGraph = {
    getMe: vi.fn(() => Promise.resolve({ igUserId: ACCOUNT, username: 'shop' } as never)),
    getSubscribedApps: vi.fn(() =>
      Promise.resolve([{ appId: 'app-1', name: 'Inlet', subscribedFields: subscribed }]),
    ),
    subscribeApp: vi.fn((_token: string, _id: string, fields: string[]) => {
      subscribed = fields;
      return Promise.resolve();
    }),
    listConversations: vi.fn(() => Promise.resolve({ conversations: [], after: null } as never)),
  };
  const options: HealthMonitorOptions = {
    graph,
    appId: 'app-1',
    accounts: async () => [
      {
        igUserId: ACCOUNT,
        username: 'shop',
        token: 'token',
        reconnectReason: null,
        permissions: [...LOGIN_SCOPES],
      },
    ],
    lastMessageAt: () => null,
    tunnel: () => null,
    tunnelRestartable: false,
    reachPublicUrl: () => Promise.resolve(true),
    lastVerificationAt: () => now,
    signatureRefusalsSince: () => 0,
    hasMetaAppSecret: () => false,
    remoteTime: () => Promise.resolve(now),
    now: () => now,
    listeningSince: now,
    onChange: vi.fn(),
    onRepaired: vi.fn(),
    logger: memoryLogger(),
    ...overrides,
  };
  return {
    health: new HealthMonitor(options),
    options,
    graph,
    drop: () => (subscribed = ['messages']),
    advance: (ms: number) => (now += ms),
  };
}

afterEach(() => vi.useRealTimers());

describe('HealthMonitor', () => {
  it('knows nothing before the first run, then reports the worst state and tells listeners', async () => {
    const { health, options } = monitor();
    expect(health.report).toEqual({ overall: 'unknown', checks: [] });
    const report = await health.runNow();
    expect(report.overall).toBe('ok');
    expect(report.checks.map((c) => c.id)).toContain('subscription-complete');
    expect(options.onChange).toHaveBeenCalledWith(report);
  });

  it('re-subscribes a dropped subscription with every required field and tells the owner once', async () => {
    const { health, options, graph, drop } = monitor();
    drop();
    const report = await health.runNow();
    expect(graph.subscribeApp).toHaveBeenCalledWith('token', ACCOUNT, [...INBOX_WEBHOOK_FIELDS]);
    const check = report.checks.find((c) => c.id === 'subscription-complete');
    expect(check).toMatchObject({
      state: 'ok',
      reason: { detail: { key: 'health.reason.subscriptionRepaired' } },
    });
    expect(options.onRepaired).toHaveBeenCalledTimes(1);
    await health.runNow();
    expect(options.onRepaired).toHaveBeenCalledTimes(1);
    expect(graph.subscribeApp).toHaveBeenCalledTimes(1);
  });

  it('with auto-repair off (inlet doctor without --fix) only reports the dropped subscription', async () => {
    const { health, options, graph, drop } = monitor({ autoRepair: false });
    drop();
    const report = await health.runNow();
    expect(report.checks.find((c) => c.id === 'subscription-complete')?.state).toBe('failing');
    expect(graph.subscribeApp).not.toHaveBeenCalled();
    expect(options.onRepaired).not.toHaveBeenCalled();
  });

  it('leaves the subscription failing, with its repair, when re-subscribing is refused', async () => {
    const { health, options, graph, drop } = monitor();
    drop();
    vi.mocked(graph.subscribeApp).mockRejectedValueOnce(new Error('refused'));
    const report = await health.runNow();
    expect(report.overall).toBe('failing');
    expect(report.checks.find((c) => c.id === 'subscription-complete')?.fix).toEqual({
      kind: 'repair',
      repair: 'resubscribe',
    });
    expect(options.onRepaired).not.toHaveBeenCalled();
  });

  it('never checks an account twice at once: a run asked for during one joins it and runs once more after', async () => {
    const { health, graph } = monitor();
    let release!: () => void;
    vi.mocked(graph.getMe).mockImplementationOnce(
      () => new Promise((resolve) => (release = () => resolve({ username: 'shop' } as never))),
    );
    const first = health.runNow();
    const second = health.runNow();
    expect(second).toBe(first);
    await vi.waitFor(() => expect(graph.getMe).toHaveBeenCalledTimes(1));
    release();
    await first;
    await vi.waitFor(() => expect(graph.getMe).toHaveBeenCalledTimes(2));
  });

  it('the fix command re-subscribes, and refuses what only the owner can do', async () => {
    const { health, graph } = monitor();
    await health.fix('resubscribe', ACCOUNT);
    expect(graph.subscribeApp).toHaveBeenCalledTimes(1);
    await expect(health.fix('resubscribe', 'nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(health.fix('reconnect-account', ACCOUNT)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(health.fix('restart-tunnel', null)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('the restart-tunnel fix restarts the tunnel', async () => {
    const restartTunnel = vi.fn();
    const { health } = monitor({ restartTunnel });
    await health.fix('restart-tunnel', null);
    expect(restartTunnel).toHaveBeenCalledTimes(1);
  });

  it('runs at start, every 15 minutes, and after the wall clock jumps (the machine slept)', async () => {
    vi.useFakeTimers();
    const { health, graph, advance } = monitor();
    health.start();
    await vi.waitFor(() => expect(graph.getMe).toHaveBeenCalledTimes(1));
    // A minute passes normally: no wake.
    advance(60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(graph.getMe).toHaveBeenCalledTimes(1);
    // The machine slept three hours: the next tick comes late by the wall clock.
    advance(3 * 60 * 60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(graph.getMe).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(graph.getMe).toHaveBeenCalledTimes(3);
    health.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(graph.getMe).toHaveBeenCalledTimes(3);
  });

  it('remembers the last self-test across a restart, and forgets it once the account is gone', async () => {
    const kv = memoryKv();
    const loopTest = new LoopTest({
      graph: {
        sendMessage: vi.fn(async () => {
          loopTest.echoArrived('m_self');
          return { recipientId: ACCOUNT, messageId: 'm_self' };
        }) as never,
      },
      now: () => Date.now(),
      logger: memoryLogger(),
      timeoutMs: 50,
    });
    const first = monitor({ kv, loopTest }).health;
    await first.testLoop(ACCOUNT);

    // A new monitor on the same store, as after restarting Inlet: the proof is still there.
    const { health: second } = monitor({ kv });
    const remembered = second.report.checks.find((c) => c.id === 'loop-proven');
    expect(remembered).toMatchObject({ account: ACCOUNT, state: 'ok' });
    expect((await second.runNow()).checks.map((c) => c.id)).toContain('loop-proven');

    const { health: third } = monitor({ kv, accounts: async () => [] });
    await third.runNow();
    expect(third.report.checks.some((c) => c.id === 'loop-proven')).toBe(false);
    expect(monitor({ kv }).health.report.checks).toEqual([]);
  });

  it('starts without a self-test when the saved one does not parse', () => {
    const kv = memoryKv({ 'health.loopChecks': [{ id: 'loop-proven', state: 'great' }] });
    expect(monitor({ kv }).health.report).toEqual({ overall: 'unknown', checks: [] });
  });
});
