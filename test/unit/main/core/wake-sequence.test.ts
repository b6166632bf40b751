import { describe, expect, it } from 'vitest';
import { runWakeSequence, type WakeSteps } from '../../../../main/core/wake-sequence';
import { memoryLogger } from '../../../fakes/logger';

/** Fakes that record when each step started and finished; the tunnel and checks take a while. */
function fakeSteps(options: { tunnelFails?: boolean; healthFails?: boolean } = {}) {
  const log: string[] = [];
  const release: { tunnel?: () => void; health?: () => void } = {};
  let current = true;
  const logger = memoryLogger();
  const steps: WakeSteps = {
    tunnel: {
      woke: () => {
        log.push('tunnel: reconnecting');
        return new Promise<void>((resolve, reject) => {
          release.tunnel = () => {
            log.push('tunnel: settled');
            if (options.tunnelFails) reject(new Error('ngrok unreachable'));
            else resolve();
          };
        });
      },
    },
    health: {
      woke: () => {
        log.push('health: running');
        return new Promise<void>((resolve, reject) => {
          release.health = () => {
            log.push('health: done');
            if (options.healthFails) reject(new Error('graph down'));
            else resolve();
          };
        });
      },
    },
    catchUp: { runAll: () => void log.push('catch-up') },
    isCurrent: () => current,
    logger,
  };
  return { steps, log, release, logger, stopCore: () => (current = false) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runWakeSequence', () => {
  it('brings the tunnel back, then runs the health checks, then catches up', async () => {
    const { steps, log, release } = fakeSteps();
    const done = runWakeSequence(steps);
    await settle();
    expect(log).toEqual(['tunnel: reconnecting']); // nothing else starts before the tunnel settles
    release.tunnel?.();
    await settle();
    expect(log).toEqual(['tunnel: reconnecting', 'tunnel: settled', 'health: running']);
    release.health?.();
    await done;
    expect(log).toEqual([
      'tunnel: reconnecting',
      'tunnel: settled',
      'health: running',
      'health: done',
      'catch-up',
    ]);
  });

  it('still checks and catches up when the tunnel or the checks fail, and logs why', async () => {
    const { steps, log, release, logger } = fakeSteps({ tunnelFails: true, healthFails: true });
    const done = runWakeSequence(steps);
    await settle();
    release.tunnel?.();
    await settle();
    release.health?.();
    await done;
    expect(log.at(-1)).toBe('catch-up');
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'after wake: tunnel failed',
        fields: { error: 'Error: ngrok unreachable' },
      },
      {
        level: 'warn',
        message: 'after wake: health checks failed',
        fields: { error: 'Error: graph down' },
      },
    ]);
  });

  it('stops where it is when the core stopped meanwhile', async () => {
    const { steps, log, release, stopCore } = fakeSteps();
    const done = runWakeSequence(steps);
    await settle();
    stopCore();
    release.tunnel?.();
    await done;
    expect(log).toEqual(['tunnel: reconnecting', 'tunnel: settled']);
  });
});
