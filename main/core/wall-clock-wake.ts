/** How often the wall clock is compared with the timer, by default. */
export const WAKE_TICK_MS = 60_000;

export type WallClockWakeOptions = {
  now: () => number;
  /** The machine slept and is back: the shell runs the core's wake sequence (`Core.woke`). */
  onWake: () => void;
  /** How often to compare; a tick more than two of these late means the machine slept. */
  tickMs?: number;
};

/**
 * Headless Inlet's wake signal, where no `powerMonitor` exists: timers stop while the machine
 * sleeps and the wall clock does not, so a tick that comes far later than due means it slept.
 * The threshold is two ticks, so a busy event loop that delays one tick is not taken for a sleep.
 * Returns the stop function.
 */
export function watchWallClock(options: WallClockWakeOptions): () => void {
  const tickMs = options.tickMs ?? WAKE_TICK_MS;
  if (!Number.isInteger(tickMs) || tickMs <= 0) {
    throw new Error(`the wake check interval must be a positive number of ms, not ${tickMs}`);
  }
  let last = options.now();
  const timer = setInterval(() => {
    const now = options.now();
    const late = now - last - tickMs;
    last = now;
    if (late > 2 * tickMs) options.onWake();
  }, tickMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
