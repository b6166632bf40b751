import { BrowserWindow } from 'electron';
import type { LoginWindow, Logger } from '../core/ports';
import { loginPages } from '../core/security/page-policy';
import type { WebContentsGuard } from './web-contents-guard';

/** Its own session: Instagram's cookies never mix with the app's, and it grants no permission. */
export const LOGIN_PARTITION = 'inlet-login';

/**
 * The login fallback for when no tunnel can carry Instagram's redirect back
 * (docs/platform.md#redirect-uri): Meta's authorize page in a dedicated window with its own
 * session, no preload and no Node. The guard keeps it on Meta's login pages (`loginPages`), opens
 * no other window, and hands over the redirect to the registered URI without loading it.
 */
export function createLoginWindow(logger: Logger, guard: WebContentsGuard): LoginWindow {
  return {
    capture: (authorizeUrl, redirectUri) =>
      new Promise((resolve) => {
        const window = new BrowserWindow({
          width: 520,
          height: 720,
          title: 'Instagram login',
          autoHideMenuBar: true,
          webPreferences: {
            partition: LOGIN_PARTITION,
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
        guard.setRule(window.webContents, {
          navigation: loginPages(authorizeUrl, new URL(redirectUri)),
          onCapture: (url) => {
            logger.info('login window caught the redirect');
            settle(url);
          },
        });
        window.on('closed', () => settle(null));
        window.webContents.loadURL(authorizeUrl.href).catch((error: unknown) => {
          // A load aborted by our own preventDefault rejects too; only a real failure is logged.
          if (!isSettled) logger.warn('login window could not load', { error: String(error) });
        });
      }),
  };
}
