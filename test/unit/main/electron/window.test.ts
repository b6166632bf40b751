import { beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createAppUrlCheck } from '../../../../main/core/links';
import type { ExternalBrowser } from '../../../../main/core/ports';
import { createMainWindow } from '../../../../main/electron/window';
import { memoryLogger } from '../../../fakes/logger';
import { BrowserWindow, FakeWebContents, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

type NavigationEvent = {
  url: string;
  isMainFrame: boolean;
  preventDefault: ReturnType<typeof vi.fn>;
};

function setUp(options: { startUrl?: string } = {}) {
  const opened: string[] = [];
  const browser: ExternalBrowser = { open: async (url) => void opened.push(url.href) };
  const logger = memoryLogger();
  createMainWindow({
    preloadPath: '/app/out/preload/index.cjs',
    startUrl: options.startUrl ?? 'app://inlet/',
    isAppUrl: createAppUrlCheck([APP_ORIGIN]),
    browser,
    logger,
  });
  const window = BrowserWindow.instances.at(-1);
  if (window === undefined) throw new Error('no window was created');
  const contents = window.webContents;
  const navigate = (name: string, url: string, isMainFrame = true): NavigationEvent => {
    const event = { url, isMainFrame, preventDefault: vi.fn() };
    contents.emit(name, event);
    return event;
  };
  const openWindow = (url: string) => contents.windowOpenHandler?.({ url });
  return { window, contents, opened, logger, navigate, openWindow };
}

/** openIfSafe is asynchronous: let its promise settle before asserting what was opened. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => resetElectronMock());

describe('createMainWindow', () => {
  it('creates a hidden, isolated, sandboxed window without Node or <webview>', () => {
    const { window } = setUp();
    expect(window.options).toMatchObject({ show: false });
    expect(window.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('loads the start URL and shows the window only once it is ready to show', () => {
    const { window, contents } = setUp();
    expect(contents.loadURL).toHaveBeenCalledWith('app://inlet/');
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('logs a failed load and shows the window rather than leaving it invisible', async () => {
    FakeWebContents.loadResult.mockImplementationOnce(() =>
      Promise.reject(new Error('ERR_FAILED')),
    );
    const { window, logger } = setUp();
    await settle();
    expect(window.show).toHaveBeenCalledTimes(1);
    expect(logger.lines).toMatchObject([
      {
        level: 'error',
        message: 'the window could not load the UI',
        fields: { url: 'app://inlet/' },
      },
    ]);
  });

  it('denies every new window and hands http(s) links to the browser', async () => {
    const { openWindow, opened } = setUp();
    expect(openWindow('https://example.com/a')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openWindow('app://inlet/other')).toEqual({ action: 'deny' });
    await settle();
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('keeps the page on our origin: a foreign navigation is stopped and opened in the browser', async () => {
    const { navigate, opened } = setUp();
    expect(
      navigate('will-navigate', 'https://example.com/navigated').preventDefault,
    ).toHaveBeenCalled();
    const file = navigate('will-navigate', 'file:///etc/passwd');
    expect(file.preventDefault).toHaveBeenCalled();
    expect(
      navigate('will-navigate', 'app://inlet/conversations/1').preventDefault,
    ).not.toHaveBeenCalled();
    await settle();
    expect(opened).toEqual(['https://example.com/navigated']); // never the file: URL
  });

  it('stops foreign redirects and subframe navigations without opening anything', async () => {
    const { navigate, opened } = setUp();
    expect(navigate('will-redirect', 'https://evil.example/').preventDefault).toHaveBeenCalled();
    expect(navigate('will-redirect', 'app://inlet/').preventDefault).not.toHaveBeenCalled();
    expect(
      navigate('will-frame-navigate', 'https://evil.example/', false).preventDefault,
    ).toHaveBeenCalled();
    expect(
      navigate('will-frame-navigate', 'app://inlet/frame', false).preventDefault,
    ).not.toHaveBeenCalled();
    await settle();
    expect(opened).toEqual([]);
  });

  it('refuses every permission request and every permission check', () => {
    const { contents } = setUp();
    const [requestHandler] = contents.session.setPermissionRequestHandler.mock.calls[0] as [
      (contents: unknown, permission: string, decide: (granted: boolean) => void) => void,
    ];
    const [checkHandler] = contents.session.setPermissionCheckHandler.mock.calls[0] as [
      (contents: unknown, permission: string, origin: string) => boolean,
    ];
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ]) {
      const decide = vi.fn();
      requestHandler(null, permission, decide);
      expect(decide).toHaveBeenCalledWith(false);
      expect(checkHandler(null, permission, 'app://inlet')).toBe(false);
    }
  });

  it('logs (and does not throw) when the browser fails to open a link', async () => {
    const logger = memoryLogger();
    createMainWindow({
      preloadPath: '/p.cjs',
      startUrl: 'app://inlet/',
      isAppUrl: createAppUrlCheck([APP_ORIGIN]),
      browser: { open: () => Promise.reject(new Error('no browser installed')) },
      logger,
    });
    const contents = BrowserWindow.instances.at(-1)?.webContents;
    contents?.windowOpenHandler?.({ url: 'https://example.com/' });
    await settle();
    expect(logger.lines).toMatchObject([
      { level: 'warn', message: 'could not open a link in the browser' },
    ]);
  });
});
