import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

/** The entry's file name: the app id of electron-builder.yml, as the spec recommends. */
export const AUTOSTART_FILE = 'app.inlet.desktop';

/**
 * Where desktop environments look for programs to start at login: `$XDG_CONFIG_HOME/autostart`,
 * or `~/.config/autostart` when that is unset or not absolute (XDG Base Directory and Desktop
 * Application Autostart specifications). Null when neither can be known.
 */
export function autostartDir(env: Readonly<Record<string, string | undefined>>): string | null {
  const configHome = env.XDG_CONFIG_HOME;
  if (configHome && path.isAbsolute(configHome)) return path.join(configHome, 'autostart');
  const home = env.HOME;
  return home && path.isAbsolute(home) ? path.join(home, '.config', 'autostart') : null;
}

/**
 * What the login starts: the AppImage file itself (`$APPIMAGE`; the executable inside it lives
 * on a mount that changes every run), else the installed executable.
 */
export function autostartExecutable(
  execPath: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return env.APPIMAGE && path.isAbsolute(env.APPIMAGE) ? env.APPIMAGE : execPath;
}

/**
 * One argument of an `Exec` key, quoted (Desktop Entry specification, "The Exec key"): inside
 * double quotes `"`, `` ` ``, `$` and `\` are escaped with a backslash, `%` is doubled, and the
 * value's own escaping then doubles every backslash once more.
 */
function execArgument(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error('a path with a line break cannot start at login');
  const quoted = `"${value.replace(/["`$\\]/g, '\\$&').replace(/%/g, '%%')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/** The autostart entry that starts Inlet hidden in the tray with `hiddenArg`. */
export function autostartEntry(executable: string, hiddenArg: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Inlet',
    'Comment=Instagram messages, received in the background from login',
    `Exec=${execArgument(executable)} ${hiddenArg}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export type XdgAutostart = {
  /** Where the entry lives; for the log and error messages. */
  readonly file: string;
  /** True when this copy's entry exists and the desktop has not switched it off. */
  isEnabled(): boolean;
  setEnabled(isEnabled: boolean): void;
};

/**
 * Start at login on Linux: Electron's login items cover macOS and Windows only, so the desktop
 * shell writes (and removes) an XDG autostart entry itself. The entry is written whole to a
 * temporary file and renamed, so a crash never leaves half an entry for the desktop to run.
 */
export function xdgAutostart(options: {
  dir: string;
  executable: string;
  hiddenArg: string;
}): XdgAutostart {
  const file = path.join(options.dir, AUTOSTART_FILE);
  return {
    file,
    isEnabled() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
      // The desktop's own "startup applications" switch the entry off with one of these.
      if (/^(Hidden=true|X-GNOME-Autostart-enabled=false)\s*$/m.test(text)) return false;
      // An entry for a copy of Inlet that moved (an AppImage in another folder) starts nothing:
      // it reads as off, and switching it on writes this copy's.
      const exec = autostartEntry(options.executable, options.hiddenArg)
        .split('\n')
        .find((line) => line.startsWith('Exec='));
      return text.split('\n').some((line) => line.trimEnd() === exec);
    },
    setEnabled(isEnabled) {
      if (!isEnabled) {
        rmSync(file, { force: true });
        return;
      }
      const partial = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(options.dir, { recursive: true, mode: 0o700 });
        writeFileSync(partial, autostartEntry(options.executable, options.hiddenArg), {
          mode: 0o644,
        });
        renameSync(partial, file);
      } catch (error) {
        if (existsSync(partial)) rmSync(partial);
        throw new AppError(
          'INTERNAL',
          `Inlet could not write its autostart entry ${file}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
