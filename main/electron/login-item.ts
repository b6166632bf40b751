import type { LoginItemSettings, LoginItemSettingsOptions, Settings } from 'electron';
import type { LoginItem } from '../core/ports';
import type { StartAtLogin } from '../../shared/ipc/desktop-contract';
import {
  autostartDir,
  autostartExecutable,
  xdgAutostart,
  type XdgAutostart,
} from '../core/desktop/xdg-autostart';

/** Passed by the Windows login item and the Linux autostart entry: the window stays hidden, Inlet
 * waits in the tray. */
export const HIDDEN_ARG = '--hidden';

/** The part of Electron's `app` that registers login items. */
export type LoginItemApp = {
  readonly isPackaged: boolean;
  getLoginItemSettings(options?: LoginItemSettingsOptions): LoginItemSettings;
  setLoginItemSettings(settings: Settings): void;
};

/**
 * Why this copy cannot register a login item, or null. Electron registers them on macOS and
 * Windows; elsewhere Inlet writes an XDG autostart entry, which needs a folder to write it in. An
 * unpackaged run would register the bare Electron binary, which opens nothing.
 */
export function loginItemUnavailable(
  platform: NodeJS.Platform,
  isPackaged: boolean,
  hasAutostart: boolean,
): StartAtLogin['unavailable'] {
  if (platform !== 'darwin' && platform !== 'win32' && !hasAutostart) return 'linux';
  return isPackaged ? null : 'development';
}

/**
 * What Electron is told for each platform. Windows: the hidden argument, which must also be given
 * when reading back (`getLoginItemSettings` matches the entry by its arguments). macOS 13+ has no
 * "open as hidden" (Electron 45 dropped `openAsHidden`): the app sees `wasOpenedAtLogin` instead.
 */
export function loginItemSettingsFor(platform: NodeJS.Platform, isEnabled: boolean): Settings {
  return platform === 'win32'
    ? { openAtLogin: isEnabled, args: [HIDDEN_ARG] }
    : { openAtLogin: isEnabled };
}

function readOptions(platform: NodeJS.Platform): LoginItemSettingsOptions | undefined {
  return platform === 'win32' ? { args: [HIDDEN_ARG] } : undefined;
}

/** Electron's answer as the Settings screen shows it. */
export function startAtLoginFrom(
  platform: NodeJS.Platform,
  settings: Pick<LoginItemSettings, 'openAtLogin' | 'status'>,
): StartAtLogin {
  return {
    isEnabled: settings.openAtLogin,
    unavailable: null,
    needsApproval: platform === 'darwin' && settings.status === 'requires-approval',
  };
}

/**
 * Started by the login item, so the window stays hidden: Windows passes `--hidden`, macOS says
 * `wasOpenedAtLogin`. Never hidden without a tray icon: the owner would have no way to open it.
 */
export function shouldStartHidden(options: {
  platform: NodeJS.Platform;
  argv: readonly string[];
  wasOpenedAtLogin: boolean;
  hasTray: boolean;
}): boolean {
  if (!options.hasTray) return false;
  if (options.platform === 'darwin') return options.wasOpenedAtLogin;
  return options.argv.includes(HIDDEN_ARG);
}

/** Linux's autostart entry for this executable; null on macOS and Windows, or with no folder. */
export function linuxAutostart(
  platform: NodeJS.Platform,
  execPath: string,
  env: Readonly<Record<string, string | undefined>>,
): XdgAutostart | null {
  const dir = platform === 'darwin' || platform === 'win32' ? null : autostartDir(env);
  if (dir === null) return null;
  return xdgAutostart({
    dir,
    executable: autostartExecutable(execPath, env),
    hiddenArg: HIDDEN_ARG,
  });
}

/**
 * The LoginItem port over Electron's `app` on macOS and Windows, and over the XDG autostart entry
 * elsewhere (`autostart`, null when no folder for it is known): reads and writes, no decisions
 * beyond the above.
 */
export function electronLoginItem(
  app: LoginItemApp,
  platform: NodeJS.Platform,
  autostart: XdgAutostart | null,
): LoginItem {
  const usesElectron = platform === 'darwin' || platform === 'win32';
  const unavailable = loginItemUnavailable(platform, app.isPackaged, autostart !== null);
  const read = (): StartAtLogin => {
    if (unavailable !== null) return { isEnabled: false, unavailable, needsApproval: false };
    if (usesElectron || autostart === null)
      return startAtLoginFrom(platform, app.getLoginItemSettings(readOptions(platform)));
    return { isEnabled: autostart.isEnabled(), unavailable: null, needsApproval: false };
  };
  return {
    read,
    write: (isEnabled) => {
      if (unavailable !== null) return read();
      if (usesElectron || autostart === null)
        app.setLoginItemSettings(loginItemSettingsFor(platform, isEnabled));
      else autostart.setEnabled(isEnabled);
      return read();
    },
  };
}

/** Whether this run was started by the login item on macOS (false elsewhere and on error). */
export function wasOpenedAtLogin(app: LoginItemApp, platform: NodeJS.Platform): boolean {
  if (platform !== 'darwin') return false;
  try {
    return app.getLoginItemSettings().wasOpenedAtLogin;
  } catch {
    return false;
  }
}
