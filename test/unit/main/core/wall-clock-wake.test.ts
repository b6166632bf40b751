import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchWallClock } from '../../../../main/core/wall-clock-wake';

afterEach(() => vi.useRealTimers());

describe('watchWallClock', () => {
  it('says the machine woke when a tick comes more than two ticks late, and not before', async () => {
    vi.useFakeTimers();
    let now = Date.UTC(2026, 11, 5, 12);
    const onWake = vi.fn();
    const stop = watchWallClock({ now: () => now, onWake, tickMs: 60_000 });
    // Ticks on time, and one a little late (a busy event loop): no wake.
    now += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    now += 60_000 + 90_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onWake).not.toHaveBeenCalled();
    // The machine slept three hours: the next tick comes late by the wall clock.
    now += 3 * 60 * 60_000 + 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onWake).toHaveBeenCalledTimes(1);
    // Once back, ticks are on time again.
    now += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onWake).toHaveBeenCalledTimes(1);
    stop();
    now += 10 * 60 * 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onWake).toHaveBeenCalledTimes(1);
  });

  it('refuses an interval that is not a positive whole number of ms', () => {
    for (const tickMs of [0, -1, 1.5, Number.NaN]) {
      expect(() => watchWallClock({ now: Date.now, onWake: vi.fn(), tickMs })).toThrow(
        /positive number of ms/,
      );
    }
  });
});
