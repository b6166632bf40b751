import type { Clock } from '../core/ports';

/**
 * The emulator's notion of now: the injected clock plus whatever the admin API advanced it by, so
 * token expiry, the 24-hour window and delivery back-off can be tested without waiting.
 */
export class EmulatorClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
}
