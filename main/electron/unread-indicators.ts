import { app, Menu, nativeImage, Tray, type BrowserWindow, type NativeImage } from 'electron';
import type { UnreadText } from '../core/ports';
import { ICON_PIXELS, ICON_SCALE, overlayIconBitmap, trayIconBitmap } from './unread-icons';

export type UnreadIndicatorsOptions = {
  /** Brings the main window forward: the tray's click and its "Open Inlet" item. */
  showWindow: () => void;
  /** The main window, once it exists (the taskbar overlay belongs to its button). */
  window: () => BrowserWindow | null;
  platform: NodeJS.Platform;
};

export type UnreadIndicators = {
  show(count: number, text: UnreadText): void;
  /** Applies the current count to a window that opened after it was set. */
  windowOpened(): void;
};

/**
 * The unread count everywhere the desktop shows one: the dock or launcher badge, a tray icon (its
 * tooltip and, on macOS, its title carry the count; its menu opens or quits Inlet) and, on Windows,
 * an overlay dot on the taskbar button with a description for screen readers.
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
  const tray = new Tray(quiet);
  // Linux trays (AppIndicator) report no clicks, only the menu: hence "Open Inlet" there too.
  tray.on('click', options.showWindow);
  const menu = (text: UnreadText): Menu =>
    Menu.buildFromTemplate([
      ...(text.description === ''
        ? []
        : [{ label: text.description, enabled: false }, { type: 'separator' as const }]),
      { label: text.open, click: options.showWindow },
      { label: text.quit, click: () => app.quit() },
    ]);
  // Until the core says how many are unread (it does so as it starts).
  let current: { count: number; text: UnreadText } = {
    count: 0,
    text: { description: '', open: 'Open Inlet', quit: 'Quit' },
  };
  tray.setToolTip('Inlet');
  tray.setContextMenu(menu(current.text));

  const applyOverlay = (): void => {
    const window = options.window();
    if (options.platform !== 'win32' || window === null) return;
    const { count, text } = current;
    window.setOverlayIcon(count > 0 ? overlay : null, count > 0 ? text.description : '');
  };

  const show = (count: number, text: UnreadText): void => {
    current = { count, text };
    app.setBadgeCount(count); // macOS dock and Unity launchers; elsewhere a no-op
    tray.setImage(count > 0 ? unread : quiet);
    tray.setToolTip(`Inlet: ${text.description}`);
    if (options.platform === 'darwin') tray.setTitle(count > 0 ? String(count) : '');
    tray.setContextMenu(menu(text));
    applyOverlay();
  };

  return { show, windowOpened: applyOverlay };
}
