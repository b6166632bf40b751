import { BrowserWindow } from 'electron';
import type { LoginWindow, Logger } from '../core/ports';

/**
 * The login fallback for when no tunnel can carry Instagram's redirect back (instagram-platform.md
 * §1.3, issue #4): Meta's authorize page in a dedicated window, and the redirect to the registered
 * https URI caught in `will-redirect` / `will-navigate` and never loaded, so whatever (or nothing)
 * lives at that address never sees the code. The window has its own session, no preload and no
 * Node, and may open nothing else.
 */
export function createLoginWindow(logger: Logger): LoginWindow {
  return {
    capture: (authorizeUrl, redirectUri) =>
      new Promise((resolve) => {
        const registered = new URL(redirectUri);
        const window = new BrowserWindow({
          width: 520,
          height: 720,
          title: 'Instagram login',
          autoHideMenuBar: true,
          webPreferences: {
            partition: 'inlet-login',
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            webviewTag: false,
          },
        });
        let isSettled = false;
        const settle = (caught: string | null) => {
          if (isSettled) return;
          isSettled = true;
          resolve(caught);
          if (!window.isDestroyed()) window.close();
        };
        const contents = window.webContents;
        const intercept = (event: { url: string; preventDefault: () => void }) => {
          if (!isRedirectTo(event.url, registered)) return;
          event.preventDefault();
          logger.info('login window caught the redirect');
          settle(event.url);
        };
        contents.on('will-redirect', intercept);
        contents.on('will-navigate', intercept);
        contents.setWindowOpenHandler(() => ({ action: 'deny' }));
        window.on('closed', () => settle(null));
        contents.loadURL(authorizeUrl.href).catch((error: unknown) => {
          // A load aborted by our own preventDefault rejects too; only a real failure is logged.
          if (!isSettled) logger.warn('login window could not load', { error: String(error) });
        });
      }),
  };
}

/** Same scheme, host and path as the registered URI; the query carries code and state. */
export function isRedirectTo(candidate: string, registered: URL): boolean {
  if (!URL.canParse(candidate)) return false;
  const url = new URL(candidate);
  return (
    url.protocol === registered.protocol &&
    url.host === registered.host &&
    url.pathname === registered.pathname
  );
}
