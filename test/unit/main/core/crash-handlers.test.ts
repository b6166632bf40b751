import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installCrashHandlers } from '../../../../main/core/crash-handlers';
import { memoryLogger } from '../../../fakes/logger';

function setup(stop: () => Promise<void>) {
  const target = new EventEmitter();
  const logger = memoryLogger();
  const exits: number[] = [];
  let deadline: (() => void) | null = null;
  const remove = installCrashHandlers({
    process: target,
    logger,
    shell: 'serve',
    stop,
    exit: (code) => exits.push(code),
    schedule: (run) => (deadline = run),
  });
  return { target, logger, exits, remove, fireDeadline: () => deadline?.() };
}

describe('installCrashHandlers', () => {
  it('logs an unhandled rejection with context and keeps running', () => {
    let stops = 0;
    const { target, logger, exits } = setup(async () => void (stops += 1));
    target.emit('unhandledRejection', new Error('forgotten catch'));
    expect(logger.lines[0]?.level).toBe('error');
    expect(logger.lines[0]?.fields?.shell).toBe('serve');
    expect(String(logger.lines[0]?.fields?.error)).toContain('forgotten catch');
    expect(stops).toBe(0);
    expect(exits).toEqual([]);
  });

  it('logs an uncaught exception, stops cleanly once, then exits 1', async () => {
    let stops = 0;
    const { target, logger, exits } = setup(async () => void (stops += 1));
    target.emit('uncaughtException', new Error('boom'), 'uncaughtException');
    target.emit('uncaughtException', new Error('again'), 'uncaughtException');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toBe(1);
    expect(exits).toEqual([1]);
    expect(logger.lines.filter((l) => l.message.startsWith('uncaught exception'))).toHaveLength(2);
  });

  it('exits after the deadline when stopping hangs, and only once', async () => {
    const { target, exits, fireDeadline } = setup(() => new Promise(() => undefined));
    target.emit('uncaughtException', new Error('boom'), 'uncaughtException');
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([]);
    fireDeadline();
    fireDeadline();
    expect(exits).toEqual([1]);
  });

  it('removes both handlers', () => {
    const { target, remove } = setup(async () => undefined);
    remove();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });
});
