import { describe, expect, it, vi } from 'vitest';
import {
  electronLoginItem,
  HIDDEN_ARG,
  loginItemSettingsFor,
  loginItemUnavailable,
  shouldStartHidden,
  wasOpenedAtLogin,
  type LoginItemApp,
} from '../../../../main/electron/login-item';

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
    const item = electronLoginItem(app, 'win32');
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
    const item = electronLoginItem(app, 'darwin');
    expect(item.write(true)).toEqual({ isEnabled: true, unavailable: null, needsApproval: true });
    expect(app.getLoginItemSettings).toHaveBeenLastCalledWith(undefined);
  });

  it('Linux is unavailable with its reason and never touches Electron', () => {
    const app = fakeApp({});
    const item = electronLoginItem(app, 'linux');
    expect(item.read()).toEqual({ isEnabled: false, unavailable: 'linux', needsApproval: false });
    expect(item.write(true).isEnabled).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    expect(app.getLoginItemSettings).not.toHaveBeenCalled();
  });

  it('a development run is unavailable: it would register the bare Electron binary', () => {
    expect(loginItemUnavailable('win32', false)).toBe('development');
    expect(loginItemUnavailable('darwin', true)).toBeNull();
    const app = fakeApp({ isPackaged: false });
    electronLoginItem(app, 'darwin').write(true);
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
