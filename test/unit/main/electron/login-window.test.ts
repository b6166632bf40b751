import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLoginWindow, isRedirectTo } from '../../../../main/electron/login-window';
import { memoryLogger } from '../../../fakes/logger';
import { BrowserWindow, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const REGISTERED = 'https://shop.example.com/oauth/callback';
const AUTHORIZE = new URL('https://www.instagram.com/oauth/authorize?client_id=1&state=s');
const CALLBACK = `${REGISTERED}?code=AQBcode&state=s#_`;

function navigation(url: string) {
  return { url, isMainFrame: true, preventDefault: vi.fn() };
}

beforeEach(() => resetElectronMock());

describe('createLoginWindow (issue #4 fallback without a tunnel)', () => {
  function open() {
    const logger = memoryLogger();
    const caught = createLoginWindow(logger).capture(AUTHORIZE, REGISTERED);
    const window = BrowserWindow.instances.at(-1)!;
    return { caught, window, contents: window.webContents, logger };
  }

  it('opens the authorize page in an isolated window with its own session', () => {
    const { window, contents } = open();
    expect(contents.loadURL).toHaveBeenCalledWith(AUTHORIZE.href);
    expect(window.options.webPreferences).toEqual({
      partition: 'inlet-login',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
  });

  it('lets Meta’s own pages load, and catches the redirect without loading it', async () => {
    const { caught, window, contents } = open();
    const login = navigation('https://www.instagram.com/accounts/login/?next=/oauth');
    contents.emit('will-navigate', login);
    expect(login.preventDefault).not.toHaveBeenCalled();

    const redirect = navigation(CALLBACK);
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalledOnce();
    expect(await caught).toBe(CALLBACK);
    expect(window.close).toHaveBeenCalled();
  });

  it('catches a denied consent the same way (the flow reads error=access_denied)', async () => {
    const { caught, contents } = open();
    const denied = navigation(`${REGISTERED}?error=access_denied&state=s`);
    contents.emit('will-navigate', denied);
    expect(denied.preventDefault).toHaveBeenCalled();
    expect(await caught).toContain('error=access_denied');
  });

  it('resolves null when the user closes the window', async () => {
    const { caught, window } = open();
    window.close();
    expect(await caught).toBeNull();
  });

  it('matches scheme, host and path exactly', () => {
    const registered = new URL(REGISTERED);
    expect(isRedirectTo(CALLBACK, registered)).toBe(true);
    expect(isRedirectTo('http://shop.example.com/oauth/callback?code=x', registered)).toBe(false);
    expect(isRedirectTo('https://shop.example.com.evil.io/oauth/callback', registered)).toBe(false);
    expect(isRedirectTo('https://shop.example.com/oauth/callbackx', registered)).toBe(false);
    expect(isRedirectTo('not a url', registered)).toBe(false);
  });
});
