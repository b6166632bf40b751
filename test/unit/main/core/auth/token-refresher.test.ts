import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  CHECK_INTERVAL_MS,
  DAY_MS,
  HOUR_MS,
  isRefreshDue,
  RETRY_BASE_MS,
  RETRY_CAP_MS,
  TokenRefresher,
  type AccountAuthState,
  type Schedule,
} from '../../../../../main/core/auth/token-refresher';
import { TokenVault, type StoredToken } from '../../../../../main/core/auth/token-vault';
import { recordingKv, startAuthHarness, testCipher, type AuthHarness } from './auth-harness';

const REFRESH_PATH = '/refresh_access_token';

/** Timers the test fires by hand: nothing waits on the wall clock. */
function manualSchedule() {
  const timers: { delayMs: number; callback: () => void; isCancelled: boolean }[] = [];
  const schedule: Schedule = (callback, delayMs) => {
    const timer = { delayMs, callback, isCancelled: false };
    timers.push(timer);
    return () => void (timer.isCancelled = true);
  };
  return {
    schedule,
    pending: () => timers.filter((t) => !t.isCancelled).map((t) => t.delayMs),
    fire(delayMs: number) {
      const timer = timers.find((t) => !t.isCancelled && t.delayMs === delayMs);
      if (!timer) throw new Error(`no pending timer of ${delayMs} ms`);
      timer.isCancelled = true;
      timer.callback();
    },
  };
}

describe('isRefreshDue / backoffDelayMs (refresh policy, docs/platform.md#token-refresh)', () => {
  const now = Date.UTC(2026, 5, 1);
  it.each([
    ['fresh token', now - HOUR_MS, now + 60 * DAY_MS, false],
    ['old but far from expiry', now - 30 * DAY_MS, now + 30 * DAY_MS, false],
    ['close to expiry but younger than 24 h', now - 23 * HOUR_MS, now + 6 * DAY_MS, false],
    ['24 h old and 7 days left', now - DAY_MS, now + 7 * DAY_MS, true],
    ['old and 1 day left', now - 59 * DAY_MS, now + DAY_MS, true],
    ['expired', now - 61 * DAY_MS, now - 1, false],
  ])('%s → %s', (_label, issuedAt, expiresAt, due) => {
    expect(isRefreshDue({ issuedAt, expiresAt }, now)).toBe(due);
  });

  it('grows exponentially with full jitter and caps at 6 h', () => {
    expect(backoffDelayMs(0, () => 0)).toBe(0);
    expect(backoffDelayMs(0, () => 0.5)).toBe(RETRY_BASE_MS / 2);
    expect(backoffDelayMs(3, () => 0.5)).toBe(4 * RETRY_BASE_MS);
    expect(backoffDelayMs(30, () => 0.999_999)).toBeLessThan(RETRY_CAP_MS);
    expect(backoffDelayMs(30, () => 0.999_999)).toBeGreaterThan(RETRY_CAP_MS - 100_000);
  });
});

describe('TokenRefresher against the emulator', () => {
  let h: AuthHarness;
  let vault: TokenVault;
  let timers: ReturnType<typeof manualSchedule>;
  let changes: { igUserId: string; state: AccountAuthState }[];
  let refresher: TokenRefresher;
  let token: StoredToken;

  beforeEach(async () => {
    h = await startAuthHarness();
    vault = new TokenVault({ cipher: testCipher(), kv: recordingKv(), logger: h.logger });
    timers = manualSchedule();
    changes = [];
    // The emulator issued this 60-day token just now (its createAccount).
    token = {
      accessToken: h.account.accessToken,
      issuedAt: h.clock.now(),
      expiresAt: h.clock.now() + 60 * DAY_MS,
      igUserId: h.account.igUserId,
      username: h.account.username,
      permissions: null,
    };
    await vault.saveAccount(token);
    refresher = new TokenRefresher({
      vault,
      graph: h.graph,
      clock: h.clock,
      logger: h.logger,
      onChange: (igUserId, state) => changes.push({ igUserId, state }),
      schedule: timers.schedule,
      random: () => 0.5,
    });
  });
  afterEach(async () => {
    refresher.stop();
    await h.stop();
  });

  const stored = async () => {
    const account = await vault.getAccount(h.account.igUserId);
    if (account?.status !== 'ok') throw new Error('expected a readable account');
    return account.token;
  };

  it('does not call Meta for a token that is too young, and checks again every 6 h', async () => {
    refresher.start();
    refresher.start();
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(0);
    expect(changes).toEqual([
      {
        igUserId: h.account.igUserId,
        state: { status: 'connected', expiresAt: token.expiresAt },
      },
    ]);
    expect(timers.pending()).toEqual([CHECK_INTERVAL_MS]);
    refresher.stop();
    refresher.stop();
    expect(timers.pending()).toEqual([]);
  });

  it.each([
    ['under 24 h old though expiring within 7 days', 23 * HOUR_MS, 6 * DAY_MS],
    ['old enough but expiring in more than 7 days', 30 * DAY_MS, 7 * DAY_MS + HOUR_MS],
  ])('refresh too early: a token %s makes no refresh call', async (_label, age, left) => {
    const now = h.clock.now();
    const early = { ...token, issuedAt: now - age, expiresAt: now + left };
    await vault.saveAccount(early);
    refresher.start();
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(0);
    expect(refresher.stateOf(h.account.igUserId)).toEqual({
      status: 'connected',
      expiresAt: early.expiresAt,
    });
    expect(await stored()).toEqual(early);
    expect(timers.pending()).toEqual([CHECK_INTERVAL_MS]);
  });

  it('classifies a forced refresh the emulator refuses as too early, keeping the token', async () => {
    refresher.start();
    const state = await refresher.refreshNow(h.account.igUserId);
    expect(h.fetch.count(REFRESH_PATH)).toBe(1);
    expect(state).toMatchObject({
      status: 'refresh-failed',
      retryAt: null,
      failure: { kind: 'permanent', reason: 'invalid-request' },
    });
    expect(state.status === 'refresh-failed' && state.reason).toContain('24 hours');
    expect(await stored()).toEqual(token);
    expect(timers.pending()).toEqual([CHECK_INTERVAL_MS]); // no retry loop for a permanent error
  });

  it('refreshes a due token and stores the new expiry, which the emulator honours', async () => {
    await h.advance(54 * DAY_MS); // 54 days old, 6 days left
    refresher.start();
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(1);
    const refreshed = await stored();
    expect(refreshed.issuedAt).toBe(h.clock.now());
    expect(refreshed.expiresAt).toBe(h.clock.now() + 60 * DAY_MS);
    expect(changes.at(-1)?.state).toEqual({
      status: 'connected',
      expiresAt: refreshed.expiresAt,
    });
    // Past the old expiry the token still works at the emulator.
    await h.advance(10 * DAY_MS);
    expect((await h.graph.getMe(refreshed.accessToken)).igUserId).toBe(h.account.igUserId);
  });

  it('refresh race: two concurrent callers share one in-flight refresh call', async () => {
    await h.advance(DAY_MS);
    const first = refresher.refreshNow(h.account.igUserId);
    const second = refresher.refreshNow(h.account.igUserId);
    expect(second).toBe(first);
    const [a, b] = await Promise.all([first, second]);
    // A second HTTP refresh would have been refused (< 24 h after the first,
    // docs/platform.md#token-refresh).
    expect(a).toMatchObject({ status: 'connected' });
    expect(b).toBe(a);
    expect(h.fetch.count(REFRESH_PATH)).toBe(1);
  });

  it('backs off after a network failure, keeps the old token, then succeeds', async () => {
    await h.advance(55 * DAY_MS);
    h.fetch.failNext(REFRESH_PATH, 1);
    refresher.start();
    await refresher.checkNow();
    const failed = refresher.stateOf(h.account.igUserId);
    expect(failed).toMatchObject({
      status: 'refresh-failed',
      retryAt: h.clock.now() + RETRY_BASE_MS / 2,
      failure: { kind: 'retryable', reason: 'network-unreachable' },
    });
    expect(await stored()).toEqual(token);
    expect(timers.pending()).toContain(RETRY_BASE_MS / 2);

    // A periodic check while the retry is pending leaves the timing to the retry.
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(1);

    timers.fire(RETRY_BASE_MS / 2);
    expect(await refresher.refreshNow(h.account.igUserId)).toMatchObject({
      status: 'connected',
    });
    expect(h.fetch.count(REFRESH_PATH)).toBe(2);
    expect((await stored()).expiresAt).toBe(h.clock.now() + 60 * DAY_MS);
  });

  it('doubles the back-off ceiling on each transient failure', async () => {
    await h.advance(55 * DAY_MS);
    h.fetch.failNext(REFRESH_PATH, 2);
    refresher.start();
    await refresher.checkNow();
    timers.fire(RETRY_BASE_MS / 2);
    const second = await refresher.refreshNow(h.account.igUserId);
    expect(second).toMatchObject({
      status: 'refresh-failed',
      retryAt: h.clock.now() + RETRY_BASE_MS,
    });
  });

  it('expired token: needs-reconnect without calling Meta', async () => {
    await h.advance(61 * DAY_MS);
    refresher.start();
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(0);
    expect(refresher.stateOf(h.account.igUserId)).toMatchObject({
      status: 'needs-reconnect',
      detail: { key: 'errorDetail.tokenExpired', vars: null },
    });
    expect(await refresher.refreshNow(h.account.igUserId)).toMatchObject({
      status: 'needs-reconnect',
    });
    expect(h.fetch.count(REFRESH_PATH)).toBe(0);
  });

  it('stops at needs-reconnect on code 190, with no retry', async () => {
    await vault.saveAccount({ ...token, accessToken: 'IGAArevoked-token-0000' });
    await h.advance(54 * DAY_MS);
    refresher.start();
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(1);
    expect(refresher.stateOf(h.account.igUserId)).toMatchObject({
      status: 'needs-reconnect',
      detail: { key: expect.stringMatching(/^sendError\./) as unknown },
    });
    expect(timers.pending()).toEqual([CHECK_INTERVAL_MS]);
    // Remembered in the vault: the next check (or a restart) does not offer the token again.
    expect(await vault.getAccount(h.account.igUserId)).toMatchObject({
      status: 'needs-reconnect',
    });
    await refresher.checkNow();
    expect(h.fetch.count(REFRESH_PATH)).toBe(1);
  });

  it('decrypt failure: needs-reconnect, no refresh call, no plaintext', async () => {
    const kv = recordingKv();
    const cipher = testCipher();
    const broken = new TokenVault({ cipher, kv, logger: h.logger });
    await broken.saveAccount(token);
    cipher.open = () => Promise.reject(new Error('bad key'));
    const seen: AccountAuthState[] = [];
    const onBroken = new TokenRefresher({
      vault: broken,
      graph: h.graph,
      clock: h.clock,
      logger: h.logger,
      onChange: (_id, state) => seen.push(state),
      schedule: timers.schedule,
    });
    await onBroken.checkNow();
    expect(seen.map((state) => state.status)).toEqual(['needs-reconnect']);
    expect(seen[0]?.status === 'needs-reconnect' && seen[0].reason).toContain(
      'could not be decrypted',
    );
    expect(JSON.stringify(seen)).not.toContain(token.accessToken);
    expect(h.fetch.count(REFRESH_PATH)).toBe(0);
  });

  it('forgets a disconnected account: no retry, refresh refuses', async () => {
    await h.advance(55 * DAY_MS);
    h.fetch.failNext(REFRESH_PATH, 1);
    refresher.start();
    await refresher.checkNow();
    expect(timers.pending()).toContain(RETRY_BASE_MS / 2);
    vault.remove(h.account.igUserId);
    refresher.forget(h.account.igUserId);
    expect(timers.pending()).toEqual([CHECK_INTERVAL_MS]);
    await expect(refresher.refreshNow(h.account.igUserId)).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });
});
