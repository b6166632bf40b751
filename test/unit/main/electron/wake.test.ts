import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { forwardWake } from '../../../../main/electron/wake';

describe('forwardWake', () => {
  it('tells the core when the machine resumes or the screen is unlocked, and not otherwise', () => {
    const monitor = new EventEmitter();
    const woke = vi.fn();
    forwardWake(monitor, woke);
    monitor.emit('suspend');
    monitor.emit('lock-screen');
    expect(woke).not.toHaveBeenCalled();
    monitor.emit('resume');
    monitor.emit('unlock-screen');
    expect(woke).toHaveBeenCalledTimes(2);
  });
});
