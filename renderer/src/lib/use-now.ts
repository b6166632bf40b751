import { useSyncExternalStore } from 'react';

/**
 * The current time, refreshed every `intervalMs`, for relative times ("5 min. ago") that must age
 * on screen. Components sharing an interval share one timer.
 */
export function useNow(intervalMs = 30_000): number {
  const clock = clockFor(intervalMs);
  return useSyncExternalStore(clock.subscribe, clock.read);
}

type Clock = { subscribe: (onChange: () => void) => () => void; read: () => number };
const clocks = new Map<number, Clock>();

function clockFor(intervalMs: number): Clock {
  let clock = clocks.get(intervalMs);
  if (clock !== undefined) return clock;
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  clock = {
    read: () => now,
    subscribe(onChange) {
      if (listeners.size === 0) {
        now = Date.now();
        timer = setInterval(() => {
          now = Date.now();
          for (const listener of listeners) listener();
        }, intervalMs);
      }
      listeners.add(onChange);
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) clearInterval(timer);
      };
    },
  };
  clocks.set(intervalMs, clock);
  return clock;
}
