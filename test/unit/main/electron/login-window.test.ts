import { beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createAppUrlCheck } from '../../../../main/core/links';
import { createLoginWindow, LOGIN_PARTITION } from '../../../../main/electron/login-window';
import { installWebContentsGuard } from '../../../../main/electron/web-contents-guard';
import { memoryLogger } from '../../../fakes/logger';
import { BrowserWindow, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const REGISTERED = 'https://shop.example.com/oauth/callback';
const AUTHORIZE = new URL('https://www.instagram.com/oauth/authorize?client_id=1&state=s');
const CALLBACK = `${REGISTERED}?code=AQBcode&state=s#_`;

function navigation(url: string, isMainFrame = true) {
  return { url, isMainFrame, preventDefault: vi.fn() };
}

/** openIfSafe is asynchronous: let its promise settle before asserting what was opened. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => resetElectronMock());

// Which URL the login may reach is page-policy.test.ts's (loginPages); this is the wiring.
describe('createLoginWindow', () => {
  function open() {
    const logger = memoryLogger();
    const opened: string[] = [];
    const guard = installWebContentsGuard({
      isAppUrl: createAppUrlCheck([APP_ORIGIN]),
      browser: { open: async (url) => void opened.push(url.href) },
      logger,
    });
    const caught = createLoginWindow(logger, guard).capture(AUTHORIZE, REGISTERED);
    const window = BrowserWindow.instances.at(-1)!;
    return { caught, window, contents: window.webContents, logger, opened };
  }

  it('opens the authorize page in an isolated window with its own session', () => {
    const { window, contents } = open();
    expect(contents.loadURL).toHaveBeenCalledWith(AUTHORIZE.href);
    expect(window.options.webPreferences).toEqual({
      partition: LOGIN_PARTITION,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
  });

  it('grants its session no permission at all', () => {
    const { contents } = open();
    const [request] = contents.session.setPermissionRequestHandler.mock.calls[0] as [
      (
        c: unknown,
        p: string,
        decide: (granted: boolean) => void,
        d: { requestingUrl: string },
      ) => void,
    ];
    const [check] = contents.session.setPermissionCheckHandler.mock.calls[0] as [
      (c: unknown, p: string, origin: string) => boolean,
    ];
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-sanitized-write',
    ]) {
      const decide = vi.fn();
      request(null, permission, decide, { requestingUrl: 'https://www.instagram.com/' });
      expect(decide, permission).toHaveBeenCalledWith(false);
      expect(check(null, permission, 'https://www.instagram.com'), permission).toBe(false);
    }
  });

  it('lets Meta’s own pages load, and catches the redirect without loading it', async () => {
    const { caught, window, contents } = open();
    const login = navigation('https://www.instagram.com/accounts/login/?next=/oauth');
    contents.emit('will-navigate', login);
    expect(login.preventDefault).not.toHaveBeenCalled();
    const facebook = navigation('https://www.facebook.com/login.php');
    contents.emit('will-redirect', facebook);
    expect(facebook.preventDefault).not.toHaveBeenCalled();

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

  it('goes nowhere else: other sites are stopped, links to them open in the browser', async () => {
    const { contents, opened, window } = open();
    const offsite = navigation('https://evil.example/phish');
    contents.emit('will-navigate', offsite);
    expect(offsite.preventDefault).toHaveBeenCalled();
    const redirected = navigation('https://tracker.example/');
    contents.emit('will-redirect', redirected);
    expect(redirected.preventDefault).toHaveBeenCalled();
    const plain = navigation('http://www.instagram.com/accounts/login/');
    contents.emit('will-navigate', plain);
    expect(plain.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://help.example/' })).toEqual({
      action: 'deny',
    });
    await settle();
    expect(opened).toEqual([
      'https://evil.example/phish',
      'http://www.instagram.com/accounts/login/',
      'https://help.example/',
    ]);
    expect(window.close).not.toHaveBeenCalled();
  });

  it('resolves null when the user closes the window', async () => {
    const { caught, window } = open();
    window.close();
    expect(await caught).toBeNull();
  });

  it('leaves the rule of every other page alone', () => {
    const { contents } = open();
    const main = new BrowserWindow({}).webContents;
    const login = navigation('https://www.instagram.com/accounts/login/');
    main.emit('will-navigate', login);
    expect(login.preventDefault).toHaveBeenCalled();
    expect(contents).not.toBe(main);
  });
});
