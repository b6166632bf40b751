import type { Logger } from './ports';

/** What has to happen, in order, when the machine wakes or the screen is unlocked. */
export type WakeSteps = {
  /**
   * Meta's way in: reconnects at once if it was waiting to retry, and settles when it is online
   * again, failed again, or took too long (the checks then report it down; it keeps retrying).
   */
  tunnel: { woke(): Promise<unknown> };
  /** Runs every check; with the tunnel settled, "tunnel up" and "public URL reachable" are true. */
  health: { woke(): Promise<unknown> };
  /** Fetches what Meta could not deliver while the machine slept. */
  catchUp: { runAll(): void };
  /** False once the core stopped (or restarted) meanwhile: the remaining steps are skipped. */
  isCurrent: () => boolean;
  logger: Logger;
};

/**
 * Tunnel, then health checks, then catch-up. Health checks run against a tunnel that is back, so
 * they do not report a sleep as a fault; catch-up runs after them, so a subscription the checks
 * found dropped is re-subscribed before the gap is filled, and nothing new slips in between the
 * catch-up and the repair. A failing step is logged and the next runs.
 */
export async function runWakeSequence(steps: WakeSteps): Promise<void> {
  const { logger } = steps;
  const attempt = async (name: string, step: () => Promise<unknown>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      logger.warn(`after wake: ${name} failed`, { error: String(error) });
    }
  };
  await attempt('tunnel', () => steps.tunnel.woke());
  if (!steps.isCurrent()) return;
  await attempt('health checks', () => steps.health.woke());
  if (!steps.isCurrent()) return;
  steps.catchUp.runAll();
}
