import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { xdgAutostart } from '../../../../main/core/desktop/xdg-autostart';
import {
  electronLoginItem,
  HIDDEN_ARG,
  linuxAutostart,
  loginItemSettingsFor,
  loginItemUnavailable,
  shouldStartHidden,
  wasOpenedAtLogin,
  type LoginItemApp,
} from '../../../../main/electron/login-item';

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'inlet-login-item-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Electron's app as the login item sees it: a registry that matches Windows entries by args. */
function fakeApp(options: { isPackaged?: boolean; status?: string; wasOpenedAtLogin?: boolean }) {
  const registry = new Map<string, boolean>();
  const keyOf = (args: string[] | undefined) => (args ?? []).join(' ');
  const app = {
    isPackaged: options.isPackaged ?? true,
    setLoginItemSettings: vi.fn((settings: Electron.Settings) => {
      registry.set(keyOf(settings.args), settings.openAtLogin ?? false);
    }),
    getLoginItemSettings: vi.fn(
      (read?: Electron.LoginItemSettingsOptions) =>
        ({
          openAtLogin: registry.get(keyOf(read?.args)) ?? false,
          wasOpenedAtLogin: options.wasOpenedAtLogin ?? false,
          status: options.status ?? 'enabled',
          executableWillLaunchAtLogin: false,
          launchItems: [],
        }) as Electron.LoginItemSettings,
    ),
  } satisfies LoginItemApp;
  return app;
}

describe('login item settings per platform', () => {
  it('Windows registers the hidden argument and reads the entry back by it', () => {
    expect(loginItemSettingsFor('win32', true)).toEqual({
      openAtLogin: true,
      args: [HIDDEN_ARG],
    });
    const app = fakeApp({});
    const item = electronLoginItem(app, 'win32', null);
    expect(item.write(true)).toEqual({ isEnabled: true, unavailable: null, needsApproval: false });
    expect(app.getLoginItemSettings).toHaveBeenLastCalledWith({ args: ['--hidden'] });
    expect(item.write(false).isEnabled).toBe(false);
    expect(app.setLoginItemSettings.mock.calls.map(([settings]) => settings)).toEqual([
      { openAtLogin: true, args: ['--hidden'] },
      { openAtLogin: false, args: ['--hidden'] },
    ]);
  });

  it('macOS registers the app itself and says when System Settings must approve it', () => {
    expect(loginItemSettingsFor('darwin', true)).toEqual({ openAtLogin: true });
    const app = fakeApp({ status: 'requires-approval' });
    const item = electronLoginItem(app, 'darwin', null);
    expect(item.write(true)).toEqual({ isEnabled: true, unavailable: null, needsApproval: true });
    expect(app.getLoginItemSettings).toHaveBeenLastCalledWith(undefined);
  });

  it('Linux writes and removes its autostart entry, never through Electron', () => {
    const app = fakeApp({});
    const dir = path.join(home, 'config', 'autostart');
    const autostart = xdgAutostart({ dir, executable: '/opt/Inlet/inlet', hiddenArg: HIDDEN_ARG });
    const item = electronLoginItem(app, 'linux', autostart);
    expect(item.read()).toEqual({ isEnabled: false, unavailable: null, needsApproval: false });
    expect(item.write(true)).toEqual({ isEnabled: true, unavailable: null, needsApproval: false });
    expect(readFileSync(autostart.file, 'utf8')).toContain('Exec="/opt/Inlet/inlet" --hidden\n');
    expect(item.write(false).isEnabled).toBe(false);
    expect(existsSync(autostart.file)).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    expect(app.getLoginItemSettings).not.toHaveBeenCalled();
  });

  it('Linux without a folder for autostart entries is unavailable with its reason', () => {
    const app = fakeApp({});
    expect(linuxAutostart('linux', '/opt/Inlet/inlet', {})).toBeNull();
    const item = electronLoginItem(app, 'linux', null);
    expect(item.read()).toEqual({ isEnabled: false, unavailable: 'linux', needsApproval: false });
    expect(item.write(true).isEnabled).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('Linux starts the AppImage file, not the executable inside its mount', () => {
    const autostart = linuxAutostart('linux', '/tmp/.mount_InletX/inlet', {
      HOME: home,
      APPIMAGE: '/home/ana/Apps/Inlet-0.4.0-linux-x64.AppImage',
    });
    autostart?.setEnabled(true);
    expect(autostart?.file).toBe(path.join(home, '.config', 'autostart', 'app.inlet.desktop'));
    expect(readFileSync(autostart!.file, 'utf8')).toContain(
      'Exec="/home/ana/Apps/Inlet-0.4.0-linux-x64.AppImage" --hidden',
    );
    expect(linuxAutostart('win32', 'C:\\Inlet\\Inlet.exe', { HOME: home })).toBeNull();
  });

  it('a development run is unavailable: it would register the bare Electron binary', () => {
    expect(loginItemUnavailable('win32', false, false)).toBe('development');
    expect(loginItemUnavailable('linux', false, true)).toBe('development');
    expect(loginItemUnavailable('darwin', true, false)).toBeNull();
    expect(loginItemUnavailable('linux', true, true)).toBeNull();
    const app = fakeApp({ isPackaged: false });
    electronLoginItem(app, 'darwin', null).write(true);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });
});

describe('starting hidden', () => {
  it('hides on Windows and Linux when started with --hidden, on macOS when opened at login', () => {
    const base = { argv: ['Inlet.exe'], wasOpenedAtLogin: false, hasTray: true };
    expect(shouldStartHidden({ ...base, platform: 'win32' })).toBe(false);
    expect(shouldStartHidden({ ...base, platform: 'win32', argv: ['Inlet.exe', '--hidden'] })).toBe(
      true,
    );
    expect(shouldStartHidden({ ...base, platform: 'linux', argv: ['inlet', '--hidden'] })).toBe(
      true,
    );
    expect(shouldStartHidden({ ...base, platform: 'darwin', wasOpenedAtLogin: true })).toBe(true);
    expect(shouldStartHidden({ ...base, platform: 'darwin', argv: ['Inlet', '--hidden'] })).toBe(
      false,
    );
  });

  it('never hides without a tray icon: there would be no way to open the window', () => {
    expect(
      shouldStartHidden({
        platform: 'linux',
        argv: ['inlet', '--hidden'],
        wasOpenedAtLogin: false,
        hasTray: false,
      }),
    ).toBe(false);
  });

  it('reads macOS’s opened-at-login flag, and treats a failing read as a normal start', () => {
    expect(wasOpenedAtLogin(fakeApp({ wasOpenedAtLogin: true }), 'darwin')).toBe(true);
    expect(wasOpenedAtLogin(fakeApp({ wasOpenedAtLogin: true }), 'win32')).toBe(false);
    const broken = fakeApp({});
    broken.getLoginItemSettings.mockImplementation(() => {
      throw new Error('SMAppService unavailable');
    });
    expect(wasOpenedAtLogin(broken, 'darwin')).toBe(false);
  });
});
