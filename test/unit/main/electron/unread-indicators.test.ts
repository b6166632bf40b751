import { beforeEach, describe, expect, it, vi } from 'vitest';
import { unreadText } from '../../../../main/core/notify/notification-text';
import type { UnreadText } from '../../../../main/core/ports';
import { memoryLogger } from '../../../fakes/logger';
import {
  ICON_PIXELS,
  overlayIconBitmap,
  trayIconBitmap,
} from '../../../../main/electron/unread-icons';
import { createUnreadIndicators } from '../../../../main/electron/unread-indicators';
import { BrowserWindow, Tray, app, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

beforeEach(() => resetElectronMock());

const THREE: UnreadText = unreadText(3, 'en');
const NONE: UnreadText = unreadText(0, 'en');

function setUp(platform: NodeJS.Platform, withWindow = true) {
  const showWindow = vi.fn();
  const window = withWindow ? new BrowserWindow({}) : null;
  let current: BrowserWindow | null = window;
  const indicators = createUnreadIndicators({
    showWindow,
    window: () => current as unknown as Electron.BrowserWindow | null,
    platform,
    logger: memoryLogger(),
  });
  const tray = Tray.instances[0];
  if (tray === undefined) throw new Error('no tray icon was created');
  return {
    indicators,
    tray,
    showWindow,
    window,
    open: (next: BrowserWindow) => (current = next),
  };
}

const lastMenu = (tray: Tray) => tray.setContextMenu.mock.lastCall?.[0].template ?? [];
/** Alpha of one pixel of a BGRA bitmap. */
const alphaAt = (bitmap: Buffer, x: number, y: number) => bitmap[(y * ICON_PIXELS + x) * 4 + 3];

describe('createUnreadIndicators', () => {
  it('puts a tray icon up at once, with a menu to open or quit Inlet', () => {
    const { tray, showWindow } = setUp('linux');
    expect(tray.setToolTip).toHaveBeenCalledWith('Inlet');
    const menu = lastMenu(tray);
    expect(menu.map((item) => item.label)).toEqual(['Open Inlet', undefined, 'Quit Inlet']);
    menu[0]?.click?.();
    expect(showWindow).toHaveBeenCalledTimes(1);
    menu[2]?.click?.();
    expect(app.quit).toHaveBeenCalledTimes(1);
  });

  it('brings the window forward when the tray icon is clicked', () => {
    const { tray, showWindow } = setUp('linux');
    tray.emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
  });

  it('shows the count on the badge, in the tooltip and menu, in the given language', () => {
    const { indicators, tray } = setUp('linux');
    const quietIcon = tray.image;
    indicators.show(3, THREE);
    expect(app.setBadgeCount).toHaveBeenLastCalledWith(3);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Inlet: 3 unread conversations');
    expect(tray.setImage.mock.lastCall?.[0]).not.toBe(quietIcon); // the icon with the red dot
    expect(tray.setTitle).not.toHaveBeenCalled(); // a title is macOS only
    expect(lastMenu(tray).map(({ label, enabled, type }) => ({ label, enabled, type }))).toEqual([
      { label: '3 unread conversations', enabled: false, type: undefined },
      { label: undefined, enabled: undefined, type: 'separator' },
      { label: 'Open Inlet', enabled: undefined, type: undefined },
      { label: undefined, enabled: undefined, type: 'separator' },
      { label: 'Quit Inlet', enabled: undefined, type: undefined },
    ]);
    indicators.show(3, unreadText(3, 'de'));
    expect(lastMenu(tray).map((item) => item.label)).toEqual([
      '3 ungelesene Unterhaltungen',
      undefined,
      'Inlet öffnen',
      undefined,
      'Inlet beenden',
    ]);
    indicators.show(0, NONE);
    expect(app.setBadgeCount).toHaveBeenLastCalledWith(0);
    expect(tray.setImage.mock.lastCall?.[0]).toBe(quietIcon);
  });

  it('writes the count next to the menu-bar icon on macOS', () => {
    const { indicators, tray } = setUp('darwin');
    indicators.show(3, THREE);
    expect(tray.setTitle).toHaveBeenLastCalledWith('3');
    indicators.show(0, NONE);
    expect(tray.setTitle).toHaveBeenLastCalledWith('');
  });

  it('puts a described overlay on the Windows taskbar button while anything is unread', () => {
    const { indicators, window } = setUp('win32');
    indicators.show(3, THREE);
    const [icon, description] = window?.setOverlayIcon.mock.lastCall ?? [];
    expect(icon?.bitmap).toEqual(overlayIconBitmap());
    expect(description).toBe('3 unread conversations');
    indicators.show(0, NONE);
    expect(window?.setOverlayIcon).toHaveBeenLastCalledWith(null, '');
  });

  it('leaves the taskbar overlay alone on other systems', () => {
    const { indicators, window } = setUp('linux');
    indicators.show(3, THREE);
    expect(window?.setOverlayIcon).not.toHaveBeenCalled();
  });

  it('sets the overlay on a window that opens after the count was known', () => {
    const { indicators, open } = setUp('win32', false);
    expect(() => indicators.show(2, THREE)).not.toThrow(); // no window yet: nothing to mark
    const window = new BrowserWindow({});
    open(window);
    indicators.windowOpened();
    expect(window.setOverlayIcon).toHaveBeenCalledWith(
      expect.objectContaining({ bitmap: overlayIconBitmap() }),
      '3 unread conversations',
    );
  });
});

describe('unread icons', () => {
  it('are square 2x bitmaps, transparent in the corners and opaque in the middle', () => {
    for (const bitmap of [trayIconBitmap(false), trayIconBitmap(true), overlayIconBitmap()]) {
      expect(bitmap).toHaveLength(ICON_PIXELS * ICON_PIXELS * 4);
      expect(alphaAt(bitmap, 0, ICON_PIXELS - 1)).toBe(0);
      expect(alphaAt(bitmap, ICON_PIXELS / 2, ICON_PIXELS / 2)).toBe(255);
    }
  });

  it('mark unread with a red dot at the top right of the tray icon', () => {
    const pixel = (bitmap: Buffer) => [
      ...bitmap.subarray((7 * ICON_PIXELS + 25) * 4, (7 * ICON_PIXELS + 25) * 4 + 4),
    ];
    // BGRA: the dot is red where the quiet icon has Inlet's blue ring.
    const [blue, green, red, alpha] = pixel(trayIconBitmap(true));
    expect(alpha).toBe(255);
    expect(red).toBeGreaterThan(200);
    expect(blue).toBeLessThan(60);
    expect(green).toBeLessThan(60);
    expect(pixel(trayIconBitmap(false))[0]).toBeGreaterThan(pixel(trayIconBitmap(false))[2] ?? 0);
  });
});

describe('createUnreadIndicators without a tray', () => {
  it('keeps the app running when the desktop cannot show a tray icon, and logs why', () => {
    Tray.failure = new Error('no StatusNotifierWatcher on the session bus');
    const logger = memoryLogger();
    const window = new BrowserWindow({});
    const indicators = createUnreadIndicators({
      showWindow: vi.fn(),
      window: () => window as unknown as Electron.BrowserWindow,
      platform: 'linux',
      logger,
    });
    expect(indicators.hasTray).toBe(false);
    expect(Tray.instances).toEqual([]);
    expect(() => indicators.show(2, THREE)).not.toThrow();
    expect(app.setBadgeCount).toHaveBeenLastCalledWith(2); // the launcher badge still works
    expect(indicators.text()).toBe(THREE);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'no tray icon: closing the window will quit Inlet',
      }),
    ]);
    expect(String(logger.lines[0]?.fields?.error)).toContain('StatusNotifierWatcher');
  });

  it('has a tray, and English words until the renderer gives its language', () => {
    const indicators = setUp('linux').indicators;
    expect(indicators.hasTray).toBe(true);
    expect(indicators.text().keptRunning.title).toBe('Inlet is still running');
  });
});
