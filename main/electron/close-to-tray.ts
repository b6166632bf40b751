import type { KeyValueStore, Logger } from '../core/ports';

/** Remembered in the settings store: the "still running" notice is given once, ever. */
export const KEPT_RUNNING_NOTICE_KEY = 'desktop.keptRunningNoticeShown';

/** The part of a BrowserWindow the close handler needs. */
export type ClosableWindow = {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  hide(): void;
};

/** The part of Electron's `app` that announces a real quit. */
export type QuitSource = { on(event: 'before-quit', listener: () => void): unknown };

export type CloseToTrayOptions = {
  app: QuitSource;
  window: ClosableWindow;
  /** False where no tray icon could be created: closing then quits, as Electron does by default. */
  hasTray: boolean;
  platform: NodeJS.Platform;
  kv: KeyValueStore;
  /** Tells the owner, once, that Inlet keeps running (a notification, in their language). */
  tellKeptRunning: () => void;
  logger: Logger;
};

export type CloseToTray = {
  /**
   * Lets the next close through: for quits that close windows before 'before-quit' (an update's
   * quitAndInstall) or without it (the OS shutting down).
   */
  allowQuit(): void;
};

/**
 * Closing the window hides it and Inlet keeps receiving in the tray (macOS: in the dock and menu
 * bar, as Mac apps do); the first time, the owner is told once. A real quit (menu, tray, Cmd+Q,
 * the dock) emits 'before-quit' before any window closes, so closes after it go through and the
 * quit is never blocked. Without a tray icon (some Linux desktops) closing quits: a hidden window
 * with nothing to bring it back would be a process the owner cannot reach.
 */
export function keepRunningOnClose(options: CloseToTrayOptions): CloseToTray {
  const { window, kv, logger } = options;
  const canHide = options.hasTray || options.platform === 'darwin';
  let isQuitting = false;
  const allowQuit = (): void => void (isQuitting = true);
  options.app.on('before-quit', allowQuit);
  if (!canHide) {
    logger.warn('no tray icon: closing the window quits Inlet, and Meta cannot reach it then');
    return { allowQuit };
  }
  window.on('close', (event) => {
    if (isQuitting) return;
    event.preventDefault();
    window.hide();
    if (kv.get(KEPT_RUNNING_NOTICE_KEY) === true) return;
    kv.set(KEPT_RUNNING_NOTICE_KEY, true);
    try {
      options.tellKeptRunning();
    } catch (error) {
      logger.warn('the kept-running notice could not be shown', { error: String(error) });
    }
  });
  return { allowQuit };
}
