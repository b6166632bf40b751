// bin/start.js (`npm start`) chooses between this Electron shell and headless mode; its decisions
// live in bin/start-decision.js so they can be tested here without spawning anything.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

type Env = Readonly<Record<string, string | undefined>>;
type Fs = {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
};
type StartPlan = {
  mode: 'desktop' | 'headless';
  command: string;
  args: string[];
  notice: string | null;
};
/** The shape of bin/start-decision.js, which is plain JS so that `npm start` needs no build. */
type StartDecision = {
  findElectronBinary: (electronPackageDir: string, env: Env, fs: Fs) => string | null;
  planStart: (options: {
    electronBinary: string | null;
    platform: NodeJS.Platform;
    env: Env;
    projectDir: string;
    inletCli: string;
    nodePath: string;
    args: string[];
  }) => StartPlan;
  createSignalRelay: (
    kill: (signal: NodeJS.Signals) => void,
    now: () => number,
    windowMs?: number,
  ) => (signal: NodeJS.Signals) => boolean;
  exitCodeOf: (
    code: number | null,
    signal: NodeJS.Signals | null,
    numbers: Record<string, number>,
  ) => number;
};
// Imported through a variable so TypeScript does not look for declarations of a file outside
// its project; the type above is what this test holds the module to.
const MODULE = '../../../../bin/start-decision.js';
const { createSignalRelay, exitCodeOf, findElectronBinary, planStart } = (await import(
  MODULE
)) as StartDecision;

const PKG = '/repo/node_modules/electron';

function fakeFs(files: Record<string, string>): Fs {
  return {
    existsSync: (file) => Object.hasOwn(files, file),
    readFileSync: (file) => {
      const text = files[file];
      if (text === undefined) throw new Error(`ENOENT: ${file}`);
      return text;
    },
  };
}

describe('findElectronBinary', () => {
  it('finds the binary path.txt names inside dist', () => {
    const fs = fakeFs({ [`${PKG}/path.txt`]: 'electron\n', [`${PKG}/dist/electron`]: '' });
    expect(findElectronBinary(PKG, {}, fs)).toBe(path.join(PKG, 'dist', 'electron'));
  });

  it('finds nothing when the package was installed without its binary (this machine)', () => {
    expect(findElectronBinary(PKG, {}, fakeFs({}))).toBeNull();
  });

  it('finds nothing when path.txt names a binary that is not there (interrupted download)', () => {
    expect(findElectronBinary(PKG, {}, fakeFs({ [`${PKG}/path.txt`]: 'electron' }))).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    expect(findElectronBinary(PKG, env, fakeFs({ '/opt/electron/electron': '' }))).toBe(
      path.join('/opt/electron', 'electron'),
    );
    expect(findElectronBinary(PKG, env, fakeFs({}))).toBeNull();
  });
});

describe('planStart', () => {
  const base = {
    platform: 'linux' as const,
    env: { DISPLAY: ':0' },
    projectDir: '/repo',
    inletCli: '/repo/bin/inlet.js',
    nodePath: '/usr/bin/node24',
    args: ['--sandbox'],
  };

  it('launches Electron on the project folder, forwarding the arguments, without a notice', () => {
    expect(planStart({ ...base, electronBinary: '/e/electron' })).toEqual({
      mode: 'desktop',
      command: '/e/electron',
      args: ['/repo', '--sandbox'],
      notice: null,
    });
  });

  it('falls back to `inlet serve` with the same arguments and one line saying why', () => {
    const plan = planStart({ ...base, electronBinary: null });
    expect(plan).toMatchObject({
      mode: 'headless',
      command: '/usr/bin/node24',
      args: ['/repo/bin/inlet.js', 'serve', '--sandbox'],
    });
    expect(plan.notice).toBe(
      'Inlet: the Electron desktop shell is not available on this machine (no Electron binary); starting headless mode instead.',
    );
    expect(plan.notice).not.toContain('\n');
  });

  it('falls back on Linux without any display, where Electron would exit at once', () => {
    const plan = planStart({ ...base, env: {}, electronBinary: '/e/electron' });
    expect(plan.mode).toBe('headless');
    expect(plan.notice).toContain('(no display: DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(
      planStart({ ...base, env: { WAYLAND_DISPLAY: 'wayland-0' }, electronBinary: '/e/electron' })
        .mode,
    ).toBe('desktop');
    expect(
      planStart({ ...base, platform: 'darwin', env: {}, electronBinary: '/e/electron' }).mode,
    ).toBe('desktop');
  });
});

describe('createSignalRelay', () => {
  it('relays a signal once even when it arrives twice at once (terminal + npm)', () => {
    let clock = 1000;
    const kill = vi.fn();
    const relay = createSignalRelay(kill, () => clock);
    expect(relay('SIGINT')).toBe(true);
    clock += 5;
    expect(relay('SIGINT')).toBe(false);
    expect(kill.mock.calls).toEqual([['SIGINT']]);
  });

  it('relays a deliberate second Ctrl-C, and different signals independently', () => {
    let clock = 1000;
    const kill = vi.fn();
    const relay = createSignalRelay(kill, () => clock);
    relay('SIGINT');
    relay('SIGTERM');
    clock += 2000;
    relay('SIGINT');
    expect(kill.mock.calls).toEqual([['SIGINT'], ['SIGTERM'], ['SIGINT']]);
  });
});

describe('exitCodeOf', () => {
  it('passes the child exit code through, or reports 128 + the signal that ended it', () => {
    expect(exitCodeOf(0, null, { SIGTERM: 15 })).toBe(0);
    expect(exitCodeOf(2, null, { SIGTERM: 15 })).toBe(2);
    expect(exitCodeOf(null, 'SIGTERM', { SIGTERM: 15 })).toBe(143);
  });
});
