import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../core/ports';
import { releasesUrlOf, type Updater } from '../core/updates/updater';

/**
 * electron-updater with the GitHub provider of electron-builder.yml (its app-update.yml ships in
 * the package). It only does what the core's UpdatePolicy asks: nothing downloads or installs by
 * itself. A deb is updated by the system's package manager, and a development run not at all.
 */
export function electronUpdater(options: {
  logger: Logger;
  /** Called right before the app quits to install: the core is already stopped by then. */
  beforeInstall: () => void;
}): Updater {
  const { logger } = options;
  let loaded: AppUpdater | null = null;
  const updater = async (): Promise<AppUpdater> => {
    if (loaded) return loaded;
    // CommonJS with lazily defined exports: read them from the default export.
    const { default: electronUpdaterModule } = await import('electron-updater');
    const { autoUpdater } = electronUpdaterModule;
    autoUpdater.autoDownload = false;
    autoUpdater.autoInstallOnAppQuit = false;
    autoUpdater.logger = {
      info: (message?: unknown) => logger.info(`updater: ${String(message)}`),
      warn: (message?: unknown) => logger.warn(`updater: ${String(message)}`),
      error: (message?: unknown) => logger.error(`updater: ${String(message)}`),
    };
    // Failures reach the core as rejected promises; without a listener an 'error' event would throw.
    autoUpdater.on('error', () => undefined);
    loaded = autoUpdater;
    return autoUpdater;
  };
  return {
    currentVersion: app.getVersion(),
    unsupported: !app.isPackaged
      ? 'development'
      : process.platform === 'linux' && !process.env.APPIMAGE
        ? 'package-manager'
        : null,
    releasesUrl: app.isPackaged ? readReleasesUrl(logger) : null,
    async check({ allowPrerelease }) {
      const autoUpdater = await updater();
      autoUpdater.allowPrerelease = allowPrerelease;
      const result = await autoUpdater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo : null;
    },
    async download() {
      await (await updater()).downloadUpdate();
    },
    install() {
      if (loaded === null) throw new Error('no update has been downloaded');
      options.beforeInstall();
      loaded.quitAndInstall(false, true);
    },
  };
}

/** The releases page of the feed electron-builder packaged beside the app, for About. */
function readReleasesUrl(logger: Logger): string | null {
  try {
    return releasesUrlOf(readFileSync(join(process.resourcesPath, 'app-update.yml'), 'utf8'));
  } catch (error) {
    logger.warn('app-update.yml could not be read', { error: String(error) });
    return null;
  }
}
