import { app, Menu, nativeImage, Tray, type BrowserWindow, type NativeImage } from 'electron';
import { describeError } from '../core/errors';
import { unreadText } from '../core/notify/notification-text';
import type { Logger, UnreadText } from '../core/ports';
import { trayMenuTemplate } from './tray-menu';
import { ICON_PIXELS, ICON_SCALE, overlayIconBitmap, trayIconBitmap } from './unread-icons';

export type UnreadIndicatorsOptions = {
  /** Brings the main window forward: the tray's click and its "Open Inlet" item. */
  showWindow: () => void;
  /** The main window, once it exists (the taskbar overlay belongs to its button). */
  window: () => BrowserWindow | null;
  platform: NodeJS.Platform;
  logger: Logger;
};

export type UnreadIndicators = {
  /**
   * False when the tray icon could not be created (some Linux desktops have no status notifier
   * host): closing the window must then quit, or the owner could never get back to it.
   */
  readonly hasTray: boolean;
  /** The words last given, in the owner's language (English until the renderer says). */
  text(): UnreadText;
  show(count: number, text: UnreadText): void;
  /** Applies the current count to a window that opened after it was set. */
  windowOpened(): void;
};

/**
 * The unread count everywhere the desktop shows one: the dock or launcher badge, a tray icon (its
 * tooltip and, on macOS, its title carry the count; its menu opens or quits Inlet, tray-menu.ts)
 * and, on Windows, an overlay dot on the taskbar button with a description for screen readers.
 * The tray is also what keeps Inlet reachable after its window is closed (close-to-tray.ts).
 * Must be created after app 'ready' (a Tray cannot exist before).
 */
export function createUnreadIndicators(options: UnreadIndicatorsOptions): UnreadIndicators {
  const image = (bitmap: Buffer): NativeImage =>
    nativeImage.createFromBitmap(bitmap, {
      width: ICON_PIXELS,
      height: ICON_PIXELS,
      scaleFactor: ICON_SCALE,
    });
  const quiet = image(trayIconBitmap(false));
  const unread = image(trayIconBitmap(true));
  const overlay = image(overlayIconBitmap());
  const tray = createTray(quiet, options.logger);
  // Linux trays (AppIndicator) report no clicks, only the menu: hence "Open Inlet" there too.
  tray?.on('click', options.showWindow);
  const menu = (text: UnreadText): Menu =>
    Menu.buildFromTemplate(
      trayMenuTemplate(text, { open: options.showWindow, quit: () => app.quit() }),
    );
  // Until the core says how many are unread (it does so as it starts).
  let current: { count: number; text: UnreadText } = {
    count: 0,
    text: { ...unreadText(0, 'en'), description: '' },
  };
  tray?.setToolTip('Inlet');
  tray?.setContextMenu(menu(current.text));

  const applyOverlay = (): void => {
    const window = options.window();
    if (options.platform !== 'win32' || window === null) return;
    const { count, text } = current;
    window.setOverlayIcon(count > 0 ? overlay : null, count > 0 ? text.description : '');
  };

  const show = (count: number, text: UnreadText): void => {
    current = { count, text };
    app.setBadgeCount(count); // macOS dock and Unity launchers; elsewhere a no-op
    if (tray !== null) {
      tray.setImage(count > 0 ? unread : quiet);
      tray.setToolTip(`Inlet: ${text.description}`);
      if (options.platform === 'darwin') tray.setTitle(count > 0 ? String(count) : '');
      tray.setContextMenu(menu(text));
    }
    applyOverlay();
  };

  return {
    hasTray: tray !== null,
    text: () => current.text,
    show,
    windowOpened: applyOverlay,
  };
}

/** The tray icon, or null (logged) where the desktop cannot show one: the app runs on without. */
function createTray(image: NativeImage, logger: Logger): Tray | null {
  try {
    return new Tray(image);
  } catch (error) {
    logger.warn('no tray icon: closing the window will quit Inlet', {
      error: describeError(error),
    });
    return null;
  }
}
