import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../../../../../shared/ipc/updates-contract';
import {
  CHECK_INTERVAL_MS,
  OUTBOX_POLL_MS,
  RETRY_AFTER_PROBLEM_MS,
  UpdatePolicy,
} from '../../../../../main/core/updates/update-policy';
import { releasesUrlOf, type Updater } from '../../../../../main/core/updates/updater';
import { memoryKv } from '../../../../fakes/memory-kv';
import { memoryLogger } from '../../../../fakes/logger';

const RELEASE = { version: '0.2.0', releaseNotes: '<h2>New</h2><ul><li>Faster search</li></ul>' };

/** electron-updater as the policy sees it: every answer scripted by the test. */
function fakeUpdater(overrides: Partial<Omit<Updater, 'install'>> = {}) {
  return {
    currentVersion: '0.1.0',
    unsupported: null,
    releasesUrl: 'https://github.com/acme/inlet/releases',
    check: vi.fn<Updater['check']>(() => Promise.resolve(null)),
    download: vi.fn<Updater['download']>(() => Promise.resolve()),
    ...overrides,
    install: vi.fn<Updater['install']>(),
  } satisfies Updater;
}

function setUp(updater: ReturnType<typeof fakeUpdater> | null = fakeUpdater(), kv = memoryKv()) {
  const logger = memoryLogger();
  const order: string[] = [];
  const states: UpdateState[] = [];
  let pending = 0;
  const policy = new UpdatePolicy({
    updater,
    currentVersion: '0.1.0',
    kv,
    clock: Date,
    logger,
    pendingSends: () => pending,
    stopCore: vi.fn(() => {
      order.push('core stopped');
      return Promise.resolve();
    }),
    startCore: vi.fn(() => Promise.resolve()),
    onChange: (state) => states.push(state),
  });
  updater?.install.mockImplementation(() => void order.push('installed'));
  return {
    policy,
    logger,
    order,
    states,
    kv,
    setPending: (count: number) => void (pending = count),
  };
}

/** Lets the policy's awaited updater calls settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 11, 5, 9, 0) }));
afterEach(() => vi.useRealTimers());

describe('UpdatePolicy', () => {
  it('checks at start and every 6 hours while nothing is new', async () => {
    const updater = fakeUpdater();
    const { policy } = setUp(updater);
    policy.start();
    await settle();
    expect(updater.check).toHaveBeenCalledTimes(1);
    expect(policy.state()).toMatchObject({
      phase: 'idle',
      update: null,
      problem: null,
      lastCheckedAt: Date.now(),
      nextCheckAt: Date.now() + CHECK_INTERVAL_MS,
    });
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS - 1);
    expect(updater.check).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(updater.check).toHaveBeenCalledTimes(2);
    expect(updater.check).toHaveBeenLastCalledWith({ allowPrerelease: false });
  });

  it('downloads an available update in the background, then offers it and never installs on its own', async () => {
    const updater = fakeUpdater({ check: vi.fn(() => Promise.resolve(RELEASE)) });
    const { policy, states } = setUp(updater);
    policy.start();
    await settle();
    expect(states.map((s) => s.phase)).toEqual(['checking', 'downloading', 'ready']);
    expect(policy.state().update).toEqual({ version: '0.2.0', notes: 'New\n• Faster search' });
    expect(updater.download).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3 * CHECK_INTERVAL_MS);
    expect(updater.install).not.toHaveBeenCalled();
    expect(updater.check).toHaveBeenCalledTimes(1); // the ready update waits for the owner
  });

  it('stops the core before the update replaces the app', async () => {
    const updater = fakeUpdater({ check: vi.fn(() => Promise.resolve(RELEASE)) });
    const { policy, order } = setUp(updater);
    await policy.check();
    const state = await policy.restart({ now: false });
    expect(order).toEqual(['core stopped', 'installed']);
    expect(state.phase).toBe('installing');
  });

  it('waits for the outbox before restarting, or restarts at once when the owner says so', async () => {
    const updater = fakeUpdater({ check: vi.fn(() => Promise.resolve(RELEASE)) });
    const { policy, order, setPending } = setUp(updater);
    await policy.check();
    setPending(2);
    const waiting = await policy.restart({ now: false });
    expect(waiting).toMatchObject({ phase: 'waiting-for-outbox', pendingSends: 2 });
    await vi.advanceTimersByTimeAsync(10 * OUTBOX_POLL_MS);
    expect(order).toEqual([]);
    setPending(0);
    await vi.advanceTimersByTimeAsync(OUTBOX_POLL_MS);
    expect(order).toEqual(['core stopped', 'installed']);

    const second = setUp(fakeUpdater({ check: vi.fn(() => Promise.resolve(RELEASE)) }));
    await second.policy.check();
    second.setPending(1);
    await second.policy.restart({ now: true });
    expect(second.order).toEqual(['core stopped', 'installed']);
  });

  it('lets the owner withdraw a restart that waits for the outbox', async () => {
    const { policy, order, setPending } = setUp(
      fakeUpdater({ check: vi.fn(() => Promise.resolve(RELEASE)) }),
    );
    await policy.check();
    setPending(1);
    await policy.restart({ now: false });
    expect(policy.cancelRestart().phase).toBe('ready');
    setPending(0);
    await vi.advanceTimersByTimeAsync(10 * OUTBOX_POLL_MS);
    expect(order).toEqual([]);
  });

  it('refuses "Restart to update" when no update is ready', async () => {
    const { policy } = setUp();
    await expect(policy.restart({ now: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it.each([
    [
      'offline',
      Object.assign(new Error('getaddrinfo ENOTFOUND github.com'), { code: 'ENOTFOUND' }),
    ],
    ['offline', new Error('net::ERR_INTERNET_DISCONNECTED')],
    [
      'rate-limited',
      Object.assign(new Error('API rate limit exceeded for 1.2.3.4'), { statusCode: 403 }),
    ],
    [
      'bad-feed',
      Object.assign(new Error('Cannot parse update info'), {
        code: 'ERR_UPDATER_INVALID_UPDATE_INFO',
      }),
    ],
  ] as const)(
    'a failed check (%s) is logged, shown calmly and retried an hour later',
    async (problem, error) => {
      const updater = fakeUpdater({ check: vi.fn(() => Promise.reject(error)) });
      const { policy, logger } = setUp(updater);
      policy.start();
      await settle();
      expect(policy.state()).toMatchObject({
        phase: 'idle',
        problem,
        nextCheckAt: Date.now() + RETRY_AFTER_PROBLEM_MS,
      });
      expect(logger.lines.find((line) => line.level === 'warn')?.fields?.problem).toBe(problem);
      await vi.advanceTimersByTimeAsync(RETRY_AFTER_PROBLEM_MS);
      expect(updater.check).toHaveBeenCalledTimes(2);
    },
  );

  it('does not trust a feed that answers garbage', async () => {
    const updater = fakeUpdater({
      check: vi.fn(() => Promise.resolve({ version: '<script>', releaseNotes: 42 })),
    });
    const { policy } = setUp(updater);
    const state = await policy.check();
    expect(state).toMatchObject({ phase: 'idle', problem: 'bad-feed', update: null });
    expect(updater.download).not.toHaveBeenCalled();
  });

  it.each([
    [
      'download-failed',
      Object.assign(new Error('sha512 checksum mismatch'), { code: 'ERR_CHECKSUM_MISMATCH' }),
    ],
    [
      'bad-signature',
      Object.assign(new Error('New version 0.2.0 is not signed by the application owner'), {
        code: 'ERR_UPDATER_INVALID_SIGNATURE',
      }),
    ],
  ] as const)(
    'a corrupt or unsigned download (%s) is never offered and is tried again later',
    async (problem, error) => {
      const updater = fakeUpdater({
        check: vi.fn(() => Promise.resolve(RELEASE)),
        download: vi.fn(() => Promise.reject(error)),
      });
      const { policy } = setUp(updater);
      policy.start();
      await settle();
      expect(policy.state()).toMatchObject({ phase: 'idle', problem, update: null });
      await expect(policy.restart({ now: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      vi.mocked(updater.download).mockResolvedValueOnce();
      await vi.advanceTimersByTimeAsync(RETRY_AFTER_PROBLEM_MS);
      expect(policy.state()).toMatchObject({ phase: 'ready', problem: null });
      expect(updater.install).not.toHaveBeenCalled();
    },
  );

  it('brings the core back when the install cannot start', async () => {
    const updater = fakeUpdater({ check: vi.fn(() => Promise.resolve(RELEASE)) });
    const { policy, logger } = setUp(updater);
    updater.install.mockImplementation(() => {
      throw new Error('EACCES: cannot replace the AppImage');
    });
    await policy.check();
    const state = await policy.restart({ now: true });
    expect(state).toMatchObject({ phase: 'ready', problem: 'install-failed' });
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('checks only when asked once automatic checks are off, and remembers the setting', async () => {
    const updater = fakeUpdater();
    const kv = memoryKv({ updates: { autoCheck: false, prereleases: false } });
    const { policy } = setUp(updater, kv);
    policy.start();
    await vi.advanceTimersByTimeAsync(2 * CHECK_INTERVAL_MS);
    expect(updater.check).not.toHaveBeenCalled();
    expect((await policy.check()).nextCheckAt).toBeNull();
    expect(updater.check).toHaveBeenCalledTimes(1);

    policy.setSettings({ autoCheck: true, prereleases: true });
    await settle();
    expect(updater.check).toHaveBeenLastCalledWith({ allowPrerelease: true });
    expect(kv.get('updates')).toEqual({ autoCheck: true, prereleases: true });
    expect(policy.state().nextCheckAt).toBe(Date.now() + CHECK_INTERVAL_MS);
    policy.setSettings({ autoCheck: false });
    expect(policy.state().nextCheckAt).toBeNull();
  });

  it('says why a copy never updates itself, and never asks the feed', async () => {
    const deb = fakeUpdater({ unsupported: 'package-manager' });
    const { policy } = setUp(deb);
    policy.start();
    expect((await policy.check()).unsupported).toBe('package-manager');
    expect(deb.check).not.toHaveBeenCalled();
    expect(setUp(null).policy.state()).toMatchObject({
      unsupported: 'headless',
      currentVersion: '0.1.0',
    });
  });
});

describe('the releases page About links to', () => {
  it('comes from the GitHub feed electron-builder packaged, and from nothing else', () => {
    expect(
      releasesUrlOf(
        'owner: acme\nrepo: inlet\nprovider: github\nupdaterCacheDirName: inlet-updater\n',
      ),
    ).toBe('https://github.com/acme/inlet/releases');
    expect(releasesUrlOf("provider: 'github'\nowner: 'acme'\nrepo: \"inlet\"\n")).toBe(
      'https://github.com/acme/inlet/releases',
    );
    expect(releasesUrlOf('provider: generic\nurl: https://example.com/updates\n')).toBeNull();
    expect(releasesUrlOf('provider: github\nowner: acme/../evil\nrepo: inlet\n')).toBeNull();
    expect(releasesUrlOf('')).toBeNull();
  });
});
