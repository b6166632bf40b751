import type { Clock } from '../../main/core/ports';

/** A clock that moves only when the test says so. */
export function fixedClock(
  start = Date.UTC(2026, 10, 23, 12, 0, 0),
): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}
