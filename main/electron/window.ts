import { BrowserWindow } from 'electron';
import { describeError } from '../core/errors';
import type { Logger } from '../core/ports';

export type MainWindowOptions = {
  /** The bundled preload (out/preload/index.cjs): one CommonJS file, as a sandboxed preload needs. */
  preloadPath: string;
  /** `app://inlet/` in production, the electron-vite dev server in development. */
  startUrl: string;
  logger: Logger;
  /** False when started hidden at login: the window loads but waits in the tray. Default true. */
  showOnReady?: boolean;
};

/**
 * The one window, treated as an untrusted web page (it shows third-party text): isolated, sandboxed,
 * no Node, no <webview>. Where it may go, what it may open and which permissions it gets are the
 * web-contents guard's to decide (web-contents-guard.ts), for this window and any other page.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { logger } = options;
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 420,
    title: 'Inlet',
    show: false, // shown on ready-to-show, so the user never sees an empty frame
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    },
  });
  if (options.showOnReady !== false) window.once('ready-to-show', () => window.show());
  void window.webContents.loadURL(options.startUrl).catch((error: unknown) => {
    logger.error('the window could not load the UI', {
      url: options.startUrl,
      error: describeError(error),
    });
    window.show(); // an empty window says more than an invisible one
  });
  return window;
}
