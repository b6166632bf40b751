import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow } from '../../../../main/electron/window';
import { memoryLogger } from '../../../fakes/logger';
import { BrowserWindow, FakeWebContents, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

// Where the window may go and what it may open: web-contents-guard.test.ts.
function setUp(options: { startUrl?: string } = {}) {
  const logger = memoryLogger();
  createMainWindow({
    preloadPath: '/app/out/preload/index.cjs',
    startUrl: options.startUrl ?? 'app://inlet/',
    logger,
  });
  const window = BrowserWindow.instances.at(-1);
  if (window === undefined) throw new Error('no window was created');
  return { window, contents: window.webContents, logger };
}

/** The load is asynchronous: let its promise settle before asserting. */
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
});
