import { AppError } from '../core/errors';
import type { ExternalBrowser, Logger, Notifier, SecretCipher } from '../core/ports';

/**
 * Adapters for the headless shell, where there is no desktop to lean on: no OS keyring, no
 * notification centre, and often no browser on the same machine (a server, CI).
 */

/**
 * No secret storage without an OS keyring or `INLET_VAULT_KEY` (passphrase-cipher.ts):
 * `isAvailable()` is false, so the core keeps tokens in memory for the run and never
 * calls seal/open. They refuse rather than pretend, so a core bug cannot write a "sealed" token in
 * the clear.
 */
export const MEMORY_ONLY_REASON =
  'Inlet found no OS keyring (secret-tool) and INLET_VAULT_KEY is not set, so it keeps secrets ' +
  'and logins in memory for this run only; set INLET_VAULT_KEY to keep them encrypted on disk.';

export const memoryOnlyCipher: SecretCipher = {
  isAvailable: () => false,
  unavailableReason: () => MEMORY_ONLY_REASON,
  seal: () => Promise.reject(unavailable()),
  open: () => Promise.reject(unavailable()),
};

function unavailable(): AppError {
  return new AppError('VAULT_UNAVAILABLE', MEMORY_ONLY_REASON);
}

/**
 * Notifications become log lines: the browser tab shows the message itself. Only the title (who
 * wrote) is logged, never the body: a customer's words do not belong in a log file.
 */
export function consoleNotifier(logger: Logger): Notifier {
  return { notify: (title) => logger.info('notification', { title }) };
}

/**
 * Prints the address for the user to open (e.g. Instagram's login page) instead of launching
 * anything: the machine running `inlet serve` is often not the one with the browser. Written
 * straight to stderr, not through the logger, because the logger redacts the OAuth `state` the
 * user's browser must carry.
 */
export function nodeBrowser(writeLine: (line: string) => void): ExternalBrowser {
  return {
    open: (url) => {
      // The port promises http(s) only; a second check is cheap where the URL reaches a terminal.
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return Promise.reject(new AppError('FORBIDDEN', `Refusing to open a ${url.protocol} link`));
      }
      writeLine(`inlet: open this address in your browser: ${url.href}`);
      return Promise.resolve();
    },
  };
}
