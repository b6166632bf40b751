import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartDir,
  autostartEntry,
  autostartExecutable,
  xdgAutostart,
} from '../../../../../main/core/desktop/xdg-autostart';

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'inlet-autostart-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('where the autostart entry goes', () => {
  it('is $XDG_CONFIG_HOME/autostart, else ~/.config/autostart, else nowhere', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/home/ana/.cfg', HOME: '/home/ana' })).toBe(
      '/home/ana/.cfg/autostart',
    );
    // The specification ignores a relative XDG_CONFIG_HOME.
    expect(autostartDir({ XDG_CONFIG_HOME: 'cfg', HOME: '/home/ana' })).toBe(
      '/home/ana/.config/autostart',
    );
    expect(autostartDir({ XDG_CONFIG_HOME: '', HOME: '/home/ana' })).toBe(
      '/home/ana/.config/autostart',
    );
    expect(autostartDir({})).toBeNull();
    expect(autostartDir({ HOME: 'relative' })).toBeNull();
  });

  it('starts the AppImage when there is one, else the executable', () => {
    expect(autostartExecutable('/opt/Inlet/inlet', {})).toBe('/opt/Inlet/inlet');
    expect(
      autostartExecutable('/tmp/.mount_Inlet/inlet', { APPIMAGE: '/home/ana/Inlet.AppImage' }),
    ).toBe('/home/ana/Inlet.AppImage');
  });
});

describe('the autostart entry', () => {
  it('is a desktop entry that starts Inlet hidden in the tray', () => {
    expect(autostartEntry('/opt/Inlet/inlet', '--hidden')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=Inlet',
        'Comment=Instagram messages, received in the background from login',
        'Exec="/opt/Inlet/inlet" --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('quotes a path with spaces, quotes, dollars, backslashes and percent signs as the spec says', () => {
    const exec = autostartEntry('/home/ana/My Apps/"In$let"\\50%/inlet', '--hidden')
      .split('\n')
      .find((line) => line.startsWith('Exec='));
    expect(exec).toBe('Exec="/home/ana/My Apps/\\\\"In\\\\$let\\\\"\\\\\\\\50%%/inlet" --hidden');
  });

  it('refuses a path with a line break, which would end the key', () => {
    expect(() => autostartEntry('/opt/In\nlet', '--hidden')).toThrow(/line break/);
  });
});

describe('xdgAutostart', () => {
  const dir = () => path.join(home, '.config', 'autostart');
  const entry = () =>
    xdgAutostart({ dir: dir(), executable: '/opt/Inlet/inlet', hiddenArg: '--hidden' });

  it('writes the entry (creating the folder), reads it back, and removes it', () => {
    const autostart = entry();
    expect(autostart.isEnabled()).toBe(false);
    autostart.setEnabled(true);
    expect(autostart.isEnabled()).toBe(true);
    expect(autostart.file).toBe(path.join(dir(), 'app.inlet.desktop'));
    expect(readFileSync(autostart.file, 'utf8')).toBe(
      autostartEntry('/opt/Inlet/inlet', '--hidden'),
    );
    expect(statSync(autostart.file).mode & 0o777).toBe(0o644);
    // Written whole and renamed: no temporary file is left behind.
    expect(readdirSync(dir())).toEqual(['app.inlet.desktop']);
    autostart.setEnabled(true);
    expect(readdirSync(dir())).toEqual(['app.inlet.desktop']);
    autostart.setEnabled(false);
    expect(autostart.isEnabled()).toBe(false);
    expect(readdirSync(dir())).toEqual([]);
    // Turning off what is already off is fine.
    autostart.setEnabled(false);
  });

  it('reads an entry the desktop switched off in its startup applications as off', () => {
    const autostart = entry();
    autostart.setEnabled(true);
    writeFileSync(autostart.file, `${autostartEntry('/opt/Inlet/inlet', '--hidden')}Hidden=true\n`);
    expect(autostart.isEnabled()).toBe(false);
    writeFileSync(
      autostart.file,
      autostartEntry('/opt/Inlet/inlet', '--hidden').replace(
        'X-GNOME-Autostart-enabled=true',
        'X-GNOME-Autostart-enabled=false',
      ),
    );
    expect(autostart.isEnabled()).toBe(false);
    // Switching it on again writes a fresh entry.
    autostart.setEnabled(true);
    expect(autostart.isEnabled()).toBe(true);
  });

  it('reads an entry for a copy of Inlet that moved as off, and switching on writes this one', () => {
    const moved = xdgAutostart({
      dir: dir(),
      executable: '/home/ana/Downloads/Inlet.AppImage',
      hiddenArg: '--hidden',
    });
    moved.setEnabled(true);
    const autostart = entry();
    expect(autostart.isEnabled()).toBe(false);
    autostart.setEnabled(true);
    expect(autostart.isEnabled()).toBe(true);
    expect(readFileSync(autostart.file, 'utf8')).toContain('Exec="/opt/Inlet/inlet" --hidden');
  });

  it('says why when the folder cannot be written', () => {
    const parent = path.join(home, 'locked');
    const autostart = xdgAutostart({
      dir: path.join(parent, 'autostart'),
      executable: '/opt/Inlet/inlet',
      hiddenArg: '--hidden',
    });
    writeFileSync(parent, 'a file where a folder should be');
    expect(() => autostart.setEnabled(true)).toThrow(
      /^Inlet could not write its autostart entry .*app\.inlet\.desktop: .*(EEXIST|ENOTDIR)/,
    );
  });
});
