import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createAppUrlCheck } from '../../../../main/core/links';
import type { ExternalBrowser } from '../../../../main/core/ports';
import { installWebContentsGuard } from '../../../../main/electron/web-contents-guard';
import { memoryLogger } from '../../../fakes/logger';
import { app, BrowserWindow, FakeWebContents, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

type NavigationEvent = { url: string; isMainFrame: boolean; preventDefault: () => void };
type RequestHandler = (
  contents: unknown,
  permission: string,
  decide: (granted: boolean) => void,
  details: { requestingUrl: string },
) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;

function setUp(browser?: ExternalBrowser) {
  const opened: string[] = [];
  const logger = memoryLogger();
  const guard = installWebContentsGuard({
    isAppUrl: createAppUrlCheck([APP_ORIGIN]),
    browser: browser ?? { open: async (url) => void opened.push(url.href) },
    logger,
  });
  return { guard, opened, logger };
}

/** A page created after the guard, by anything (here: a window, as Electron announces it). */
function newPage() {
  const contents = new BrowserWindow({}).webContents;
  const navigate = (name: string, url: string, isMainFrame = true) => {
    const event: NavigationEvent = { url, isMainFrame, preventDefault: vi.fn() };
    contents.emit(name, event);
    return event.preventDefault;
  };
  const openWindow = (url: string) => contents.windowOpenHandler?.({ url });
  return { contents, navigate, openWindow };
}

/** openIfSafe is asynchronous: let its promise settle before asserting what was opened. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => resetElectronMock());

describe('installWebContentsGuard', () => {
  it('guards every web contents created after it, not only the windows Inlet makes', () => {
    setUp();
    const stray = new FakeWebContents();
    app.emit('web-contents-created', {}, stray);
    expect(stray.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    expect(stray.session.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(stray.session.setPermissionCheckHandler).toHaveBeenCalledTimes(1);
    expect(stray.session.setDevicePermissionHandler).toHaveBeenCalledTimes(1);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(stray.listenerCount(event), event).toBe(1);
    }
    expect(stray.listenerCount('will-attach-webview')).toBe(1);
  });

  it('denies every new window and hands http(s) links to the browser', async () => {
    const { opened } = setUp();
    const { openWindow } = newPage();
    expect(openWindow('https://example.com/a')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openWindow('app://inlet/other')).toEqual({ action: 'deny' });
    await settle();
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('keeps the page on our origin: a foreign navigation is stopped and opened in the browser', async () => {
    const { opened } = setUp();
    const { navigate } = newPage();
    expect(navigate('will-navigate', 'https://example.com/navigated')).toHaveBeenCalled();
    expect(navigate('will-navigate', 'file:///etc/passwd')).toHaveBeenCalled();
    expect(navigate('will-navigate', 'app://inlet/conversations/1')).not.toHaveBeenCalled();
    await settle();
    expect(opened).toEqual(['https://example.com/navigated']); // never the file: URL
  });

  it('stops foreign redirects and subframe navigations without opening anything', async () => {
    const { opened } = setUp();
    const { navigate } = newPage();
    expect(navigate('will-redirect', 'https://evil.example/')).toHaveBeenCalled();
    expect(navigate('will-redirect', 'https://evil.example/', false)).toHaveBeenCalled();
    expect(navigate('will-redirect', 'app://inlet/')).not.toHaveBeenCalled();
    expect(navigate('will-frame-navigate', 'https://evil.example/', false)).toHaveBeenCalled();
    expect(navigate('will-frame-navigate', 'app://inlet/frame', false)).not.toHaveBeenCalled();
    // The main frame's own navigations are will-navigate's to decide (and open in the browser).
    expect(navigate('will-frame-navigate', 'https://evil.example/')).not.toHaveBeenCalled();
    await settle();
    expect(opened).toEqual([]);
  });

  it('never attaches a <webview>', () => {
    setUp();
    const { contents } = newPage();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission, but the clipboard write of our own pages', () => {
    setUp();
    const { session } = newPage().contents;
    const [request] = session.setPermissionRequestHandler.mock.calls[0] as [RequestHandler];
    const [check] = session.setPermissionCheckHandler.mock.calls[0] as [CheckHandler];
    const [device] = session.setDevicePermissionHandler.mock.calls[0] as [() => boolean];
    const requested = (permission: string, requestingUrl: string) => {
      const decide = vi.fn();
      request(null, permission, decide, { requestingUrl });
      return decide.mock.calls[0]?.[0] as boolean;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid']) {
      expect(requested(permission, 'app://inlet/'), permission).toBe(false);
      expect(check(null, permission, 'app://inlet'), permission).toBe(false);
    }
    expect(requested('clipboard-sanitized-write', 'app://inlet/')).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'app://inlet')).toBe(true);
    expect(requested('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(device()).toBe(false);
  });

  it('logs (and does not throw) when the browser fails to open a link', async () => {
    const { logger } = setUp({ open: () => Promise.reject(new Error('no browser installed')) });
    newPage().openWindow('https://example.com/');
    await settle();
    expect(logger.lines).toMatchObject([
      { level: 'warn', message: 'could not open a link in the browser' },
    ]);
  });

  it('applies a page’s own rule to that page only, and hands over what it captures', async () => {
    const { guard, opened } = setUp();
    const login = newPage();
    const other = newPage();
    const onCapture = vi.fn();
    guard.setRule(login.contents as unknown as WebContents, {
      navigation: (url) =>
        url.startsWith('https://www.instagram.com/')
          ? 'allow'
          : url.startsWith('https://shop.example/cb')
            ? 'capture'
            : 'refuse',
      onCapture,
    });

    expect(
      login.navigate('will-navigate', 'https://www.instagram.com/login'),
    ).not.toHaveBeenCalled();
    expect(other.navigate('will-navigate', 'https://www.instagram.com/login')).toHaveBeenCalled();
    expect(login.navigate('will-redirect', 'https://shop.example/cb?code=1')).toHaveBeenCalled();
    expect(onCapture).toHaveBeenCalledWith('https://shop.example/cb?code=1');
    // A popup naming the redirect is captured too, and never opens.
    expect(login.openWindow('https://shop.example/cb?code=2')).toEqual({ action: 'deny' });
    expect(onCapture).toHaveBeenLastCalledWith('https://shop.example/cb?code=2');
    // Refused: stays, and a clicked link goes to the browser like anywhere else.
    expect(login.navigate('will-navigate', 'https://about.example/')).toHaveBeenCalled();
    expect(login.navigate('will-redirect', 'https://tracker.example/')).toHaveBeenCalled();
    await settle();
    expect(opened).toEqual(['https://www.instagram.com/login', 'https://about.example/']);
  });
});
