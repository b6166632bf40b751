import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  KEPT_RUNNING_NOTICE_KEY,
  keepRunningOnClose,
} from '../../../../main/electron/close-to-tray';
import { memoryKv } from '../../../fakes/memory-kv';
import { memoryLogger } from '../../../fakes/logger';

/** A window whose close can be prevented, like Electron's; `closed` says whether it went. */
class FakeWindow extends EventEmitter {
  readonly hide = vi.fn();
  closed = false;
  close(): void {
    let isPrevented = false;
    this.emit('close', { preventDefault: () => void (isPrevented = true) });
    if (!isPrevented) this.closed = true;
  }
}

function setUp(options: { hasTray?: boolean; platform?: NodeJS.Platform } = {}) {
  const app = new EventEmitter();
  const window = new FakeWindow();
  const kv = memoryKv();
  const logger = memoryLogger();
  const tellKeptRunning = vi.fn();
  const closeToTray = keepRunningOnClose({
    app,
    window,
    hasTray: options.hasTray ?? true,
    platform: options.platform ?? 'win32',
    kv,
    tellKeptRunning,
    logger,
  });
  return { app, window, kv, logger, tellKeptRunning, closeToTray };
}

describe('keepRunningOnClose', () => {
  it('hides the window on close instead of closing it, so Inlet keeps receiving', () => {
    const { window } = setUp();
    window.close();
    expect(window.closed).toBe(false);
    expect(window.hide).toHaveBeenCalledTimes(1);
  });

  it('tells the owner the first time only, and remembers it in the settings store', () => {
    const { window, kv, tellKeptRunning } = setUp();
    window.close();
    window.close();
    expect(tellKeptRunning).toHaveBeenCalledTimes(1);
    expect(kv.get(KEPT_RUNNING_NOTICE_KEY)).toBe(true);
    // Another run with the same settings store: already told.
    const again = new FakeWindow();
    const tellAgain = vi.fn();
    keepRunningOnClose({
      app: new EventEmitter(),
      window: again,
      hasTray: true,
      platform: 'linux',
      kv,
      tellKeptRunning: tellAgain,
      logger: memoryLogger(),
    });
    again.close();
    expect(again.hide).toHaveBeenCalled();
    expect(tellAgain).not.toHaveBeenCalled();
  });

  it('lets the window close once a real quit began (menu, tray, Cmd+Q emit before-quit)', () => {
    const { app, window, tellKeptRunning } = setUp();
    app.emit('before-quit');
    window.close();
    expect(window.closed).toBe(true);
    expect(window.hide).not.toHaveBeenCalled();
    expect(tellKeptRunning).not.toHaveBeenCalled();
  });

  it('lets the window close for a quit that closes windows first (an update installing)', () => {
    const { window, closeToTray } = setUp();
    closeToTray.allowQuit();
    window.close();
    expect(window.closed).toBe(true);
  });

  it('without a tray icon, closing quits as before (nothing could bring the window back)', () => {
    const { window, logger, tellKeptRunning } = setUp({ hasTray: false, platform: 'linux' });
    window.close();
    expect(window.closed).toBe(true);
    expect(window.hide).not.toHaveBeenCalled();
    expect(tellKeptRunning).not.toHaveBeenCalled();
    expect(logger.lines.map((line) => line.message)).toEqual([
      'no tray icon: closing the window quits Inlet, and Meta cannot reach it then',
    ]);
  });

  it('on macOS hides even without a tray icon: the dock brings it back', () => {
    const { window } = setUp({ hasTray: false, platform: 'darwin' });
    window.close();
    expect(window.closed).toBe(false);
    expect(window.hide).toHaveBeenCalled();
  });

  it('still hides when the notice cannot be shown, and says why in the log', () => {
    const { window, tellKeptRunning, logger } = setUp();
    tellKeptRunning.mockImplementation(() => {
      throw new Error('notification server gone');
    });
    expect(() => window.close()).not.toThrow();
    expect(window.hide).toHaveBeenCalled();
    expect(logger.lines.at(-1)).toMatchObject({
      level: 'warn',
      fields: { error: 'Error: notification server gone' },
    });
  });
});
