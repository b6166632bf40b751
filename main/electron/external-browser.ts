import { shell } from 'electron';
import { AppError } from '../core/errors';
import type { ExternalBrowser } from '../core/ports';

/**
 * The only caller of `shell.openExternal` (ESLint enforces it). Callers go through `openIfSafe`
 * (main/core/links.ts); the protocol is checked again here because this is the last step before
 * the OS launches whatever program the scheme names.
 */
export const externalBrowser: ExternalBrowser = {
  open: (url) => {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return Promise.reject(new AppError('FORBIDDEN', `Refusing to open a ${url.protocol} link`));
    }
    return shell.openExternal(url.href);
  },
};
