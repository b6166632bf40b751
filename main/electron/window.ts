import { BrowserWindow } from 'electron';
import { describeError } from '../core/errors';
import { openIfSafe } from '../core/links';
import type { ExternalBrowser, Logger } from '../core/ports';

export type MainWindowOptions = {
  /** The bundled preload (out/preload/index.cjs): one CommonJS file, as a sandboxed preload needs. */
  preloadPath: string;
  /** `app://inlet/` in production, the electron-vite dev server in development. */
  startUrl: string;
  isAppUrl: (url: string) => boolean;
  browser: ExternalBrowser;
  logger: Logger;
};

/**
 * The one window, treated as an untrusted web page (it shows third-party text): isolated, sandboxed,
 * no Node, no <webview>. It may not leave our origin or open windows; http(s) links go to the
 * user's browser instead. Every permission a page can ask for is refused (Inlet needs none).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { isAppUrl, logger } = options;
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
  const contents = window.webContents;
  const openInBrowser = (url: string): void =>
    void openIfSafe(url, options.browser).catch((error: unknown) =>
      logger.warn('could not open a link in the browser', { error: describeError(error) }),
    );

  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
  // A link clicked in a message would replace the app: open it in the browser instead.
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openInBrowser(event.url);
  });
  // Subframes (none today; CSP allows only our own) may not wander off either, nor open anything.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, decide) => decide(false));
  contents.session.setPermissionCheckHandler(() => false);

  window.once('ready-to-show', () => window.show());
  void contents.loadURL(options.startUrl).catch((error: unknown) => {
    logger.error('the window could not load the UI', {
      url: options.startUrl,
      error: describeError(error),
    });
    window.show(); // an empty window says more than an invisible one
  });
  return window;
}
