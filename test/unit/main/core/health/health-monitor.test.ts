import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HealthMonitor,
  type HealthMonitorOptions,
} from '../../../../../main/core/health/health-monitor';
import type { HealthGraph } from '../../../../../main/core/health/checks';
import { LOGIN_SCOPES } from '../../../../../main/core/auth/oauth-flow';
import { INBOX_WEBHOOK_FIELDS } from '../../../../../main/core/auth/webhook-subscription';
import { LoopTest } from '../../../../../main/core/health/loop-test';
import { memoryLogger } from '../../../../fakes/logger';
import { memoryKv } from '../../../../fakes/memory-kv';

const ACCOUNT = '17841400000000001';

function monitor(overrides: Partial<HealthMonitorOptions> = {}) {
  const now = Date.UTC(2026, 11, 5, 12);
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
    expect(options.onRepaired).toHaveBeenCalledWith(check?.reason, ACCOUNT);
    expect((options.logger as ReturnType<typeof memoryLogger>).lines).toContainEqual({
      level: 'info',
      message: 'health repair',
      fields: { reason: check?.reason?.text },
    });
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
    const steps: string[] = [];
    const restartTunnel = vi.fn(async () => {
      steps.push('restart begins');
      await new Promise((resolve) => setTimeout(resolve, 10));
      steps.push('tunnel settled');
    });
    const { health, graph } = monitor({ restartTunnel });
    vi.mocked(graph.getMe).mockImplementation(() => {
      steps.push('checks run');
      return Promise.resolve({ igUserId: ACCOUNT, username: 'shop' } as never);
    });
    await health.fix('restart-tunnel', null);
    expect(restartTunnel).toHaveBeenCalledTimes(1);
    // The report that answers the fix looked at the tunnel after it settled.
    expect(steps).toEqual(['restart begins', 'tunnel settled', 'checks run']);
  });

  it('after a test message comes back, checks again and calls a thread Meta never sent missed', async () => {
    const now = Date.UTC(2026, 11, 5, 12);
    const loopCheck = (state: 'ok' | 'failing') =>
      ({
        id: 'loop-proven',
        account: ACCOUNT,
        state,
        ranAt: now,
        reason: { text: state, detail: null },
        fix: null,
        technical: null,
      }) as const;
    const loopTest = { run: vi.fn(() => Promise.resolve(loopCheck('ok'))) };
    const { health, graph } = monitor({
      loopTest: loopTest as never,
      listeningSince: now - 60 * 60_000,
    });
    // A customer without a role wrote half a minute ago; Meta sent nothing.
    vi.mocked(graph.listConversations).mockResolvedValue({
      conversations: [
        {
          id: 't1',
          updatedTime: now - 30_000,
          participants: [
            { id: ACCOUNT, username: 'shop' },
            { id: 'c1', username: null },
          ],
        },
      ],
      after: null,
    } as never);
    const before = await health.runNow();
    expect(before.checks.find((c) => c.id === 'deliveries-arriving')?.state).toBe('ok');

    const after = await health.testLoop(ACCOUNT);
    expect(after.checks.find((c) => c.id === 'loop-proven')?.state).toBe('ok');
    expect(after.checks.find((c) => c.id === 'deliveries-arriving')?.state).toBe('failing');

    // A test that failed proves nothing: no extra run.
    loopTest.run.mockResolvedValueOnce(loopCheck('failing'));
    const calls = vi.mocked(graph.getMe).mock.calls.length;
    await health.testLoop(ACCOUNT);
    expect(graph.getMe).toHaveBeenCalledTimes(calls);
  });

  it('runs at start, every 15 minutes, and when woken; not after stop', async () => {
    vi.useFakeTimers();
    const { health, graph } = monitor();
    health.start();
    await vi.waitFor(() => expect(graph.getMe).toHaveBeenCalledTimes(1));
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(graph.getMe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(graph.getMe).toHaveBeenCalledTimes(2);
    // The wake sequence's health step (the shells notice the wake: wall-clock-wake.ts, powerMonitor).
    await health.woke();
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
