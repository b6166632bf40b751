// main/index.ts, the composition root: it runs on import, so each test imports it afresh against
// the Electron fake, with the core replaced by a controllable one.
import { handlersNotUnderTest } from '../../../fakes/handlers';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { invokeContract } from '../../../../shared/ipc/contract';
import { EVENT_BATCH_CHANNEL } from '../../../../shared/ipc/event-batch';
import type { AppStatus } from '../../../../shared/domain/schemas';
import type { Core, CoreDeps } from '../../../../main/core/core-types';
import { createEventBus, type EventBus } from '../../../../main/core/event-bus';
import { memoryLogger } from '../../../fakes/logger';
import { appStatus } from '../../../fakes/status';
import { unreadText } from '../../../../main/core/notify/notification-text';

// One instance for every fresh import of main/index.ts (vi.resetModules would otherwise create a
// new fake per import, and the test would be looking at another one).
const electron = await vi.hoisted(() => import('./electron-mock'));
vi.mock('electron', () => electron);
const coreModule = vi.hoisted(() => ({ createCore: vi.fn<(deps: CoreDeps) => Core>() }));
vi.mock('../../../../main/core/create-core', () => coreModule);
// electron-store itself needs the real electron package (see electron-store-kv.test.ts).
vi.mock('../../../../main/electron/electron-store-kv', async () => {
  const { memoryKv } = await import('../../../fakes/memory-kv');
  return { electronStoreKv: vi.fn(() => memoryKv()) };
});

const { app, BrowserWindow, dialog, ipcMain, protocol } = electron;
const REPO = path.resolve(import.meta.dirname, '../../../..');

const STATUS: AppStatus = appStatus({ webhookUrl: null });

type FakeCore = Omit<Core, 'events' | 'start' | 'stop' | 'woke'> & {
  events: EventBus;
  woke: Mock<() => void>;
  start: Mock<() => Promise<void>>;
  stop: Mock<() => Promise<void>>;
};

function fakeCore(): FakeCore {
  return {
    handlers: handlersNotUnderTest({ 'app:getStatus': () => Promise.resolve(STATUS) }),
    events: createEventBus(memoryLogger()),
    status: () => STATUS,
    mediaFile: () => null,
    sandboxOrigin: () => null,
    start: vi.fn(() => Promise.resolve()),
    stop: vi.fn(() => Promise.resolve()),
    exportArchive: vi.fn(),
    woke: vi.fn(),
  };
}

let core: FakeCore;
let stderr: string[];

beforeEach(() => {
  electron.resetElectronMock();
  core = fakeCore();
  coreModule.createCore.mockReset().mockReturnValue(core);
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  vi.stubEnv('INLET_DATA_DIR', undefined);
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function launch(): Promise<void> {
  vi.resetModules();
  await import('../../../../main/index');
}

async function launchAndBecomeReady(): Promise<void> {
  await launch();
  app.markReady();
  await vi.waitFor(() => expect(stderr.join('')).toMatch(/desktop app ready|could not start/));
}

describe('main/index.ts', () => {
  it('registers the app:// scheme before ready and waits for ready before anything else', async () => {
    await launch();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(coreModule.createCore).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toEqual([]);
  });

  it('leaves at once when another instance holds the lock', async () => {
    app.hasSingleInstanceLock = false;
    await launch();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('wires the core to the real adapters and the user-data folder', async () => {
    app.paths.set('userData', '/home/ada/.config/Inlet');
    await launchAndBecomeReady();
    expect(coreModule.createCore).toHaveBeenCalledTimes(1);
    const deps = coreModule.createCore.mock.calls[0]?.[0];
    // The instances main/index.ts imported (each launch starts from a fresh module registry).
    const { safeStorageCipher } = await import('../../../../main/electron/safe-storage-cipher');
    const { ngrokTunnel } = await import('../../../../main/core/webhook/ngrok-tunnel');
    expect(deps?.cipher).toBe(safeStorageCipher);
    expect(deps?.tunnel).toBe(ngrokTunnel);
    expect(deps?.clock).toBe(Date);
    expect(deps?.env).toBe(process.env);
    expect(deps?.dataDir).toBe('/home/ada/.config/Inlet');
    expect(deps?.options).toBeUndefined();
  });

  it('starts the core before the page can exist, then serves, registers IPC and opens the window', async () => {
    let seenAtStart = { windows: -1, handlers: -1 };
    core.start.mockImplementation(() => {
      seenAtStart = { windows: BrowserWindow.instances.length, handlers: ipcMain.handlers.size };
      return Promise.resolve();
    });
    await launchAndBecomeReady();
    expect(seenAtStart).toEqual({ windows: 0, handlers: 0 });
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(invokeContract).sort());
    const window = BrowserWindow.instances[0];
    expect(window?.webContents.loadURL).toHaveBeenCalledWith('app://inlet/');
    // Built, main/index.ts is out/main/index.js: the preload is out/preload/index.cjs next to it.
    expect((window?.options.webPreferences as { preload: string }).preload).toBe(
      path.join(REPO, 'preload', 'index.cjs'),
    );
  });

  it('tells the running core when the machine wakes or is unlocked', async () => {
    await launchAndBecomeReady();
    electron.powerMonitor.emit('resume');
    electron.powerMonitor.emit('unlock-screen');
    expect(core.woke).toHaveBeenCalledTimes(2);
  });

  it('guards the window before it exists, and serves the page policy of the running mode', async () => {
    core.sandboxOrigin = () => 'http://127.0.0.1:4900';
    await launchAndBecomeReady();
    const leaving = { url: 'https://evil.example/', isMainFrame: true, preventDefault: vi.fn() };
    BrowserWindow.instances[0]?.webContents.emit('will-navigate', leaving);
    expect(leaving.preventDefault).toHaveBeenCalled();
    const [, serve] = protocol.handle.mock.calls[0] as [string, (r: Request) => Promise<Response>];
    const page = await serve(new Request('app://inlet/'));
    expect(page.headers.get('content-security-policy')).toContain(
      "img-src 'self' https://lookaside.fbsbx.com https://*.cdninstagram.com https://*.fbcdn.net http://127.0.0.1:4900 data:",
    );
  });

  it('puts the unread indicators up with the core, and the tray brings the window forward', async () => {
    await launchAndBecomeReady();
    const tray = electron.Tray.instances[0];
    expect(electron.Tray.instances).toHaveLength(1);
    const text = unreadText(2, 'en');
    coreModule.createCore.mock.calls[0]?.[0].notifier.setBadgeCount?.(2, text);
    expect(app.setBadgeCount).toHaveBeenLastCalledWith(2);
    expect(tray?.setToolTip).toHaveBeenLastCalledWith('Inlet: 2 unread conversations');
    const window = BrowserWindow.instances[0];
    window?.isMinimized.mockReturnValue(true);
    tray?.emit('click');
    expect(window?.restore).toHaveBeenCalled();
    expect(window?.show).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
  });

  it('closing the window keeps Inlet running in the tray, says so once, and Quit still quits', async () => {
    await launchAndBecomeReady();
    const deps = coreModule.createCore.mock.calls[0]?.[0];
    deps?.notifier.setBadgeCount?.(0, unreadText(0, 'es')); // the renderer said Spanish
    const window = BrowserWindow.instances[0];
    window?.close();
    window?.close();
    expect(window?.isDestroyed()).toBe(false);
    expect(window?.hide).toHaveBeenCalledTimes(2);
    expect(core.stop).not.toHaveBeenCalled(); // the core keeps receiving
    expect(electron.Notification.shown).toEqual([
      { title: 'Inlet sigue abierto', body: unreadText(0, 'es').keptRunning.body },
    ]);
    expect(deps?.kv.get('desktop.keptRunningNoticeShown')).toBe(true);

    const quitItem = electron.Tray.instances[0]?.setContextMenu.mock.lastCall?.[0].template.find(
      (item) => item.label === 'Salir de Inlet',
    );
    quitItem?.click?.();
    await vi.waitFor(() => expect(core.stop).toHaveBeenCalledTimes(1));
    window?.close(); // what Electron does to the windows once the quit goes ahead
    expect(window?.isDestroyed()).toBe(true);
  });

  it('quits on close where no tray icon can be shown, instead of crashing or hiding forever', async () => {
    electron.Tray.failure = new Error('no status notifier host');
    await launchAndBecomeReady();
    expect(stderr.join('')).toContain('desktop app ready');
    expect(stderr.join('')).toContain('no tray icon');
    const window = BrowserWindow.instances[0];
    window?.close();
    expect(window?.isDestroyed()).toBe(true);
    expect(window?.hide).not.toHaveBeenCalled();
  });

  it('starts hidden in the tray when the login item started it with --hidden', async () => {
    vi.spyOn(process, 'argv', 'get').mockReturnValue(['/opt/Inlet/inlet', '--hidden']);
    await launchAndBecomeReady();
    const window = BrowserWindow.instances[0];
    window?.emit('ready-to-show');
    expect(window?.show).not.toHaveBeenCalled();
    electron.app.emit('second-instance'); // opening Inlet again brings it forward
    expect(window?.show).toHaveBeenCalled();
  });

  it('shows the window as usual on a normal start', async () => {
    await launchAndBecomeReady();
    const window = BrowserWindow.instances[0];
    window?.emit('ready-to-show');
    expect(window?.show).toHaveBeenCalled();
  });

  it('gives the core the OS login item, which an unpackaged run cannot register', async () => {
    await launchAndBecomeReady();
    const loginItem = coreModule.createCore.mock.calls[0]?.[0].loginItem;
    expect(loginItem?.read()).toEqual({
      isEnabled: false,
      unavailable: 'development',
      needsApproval: false,
    });
  });

  it('installs the menu whose Export archive… writes the running core’s archive', async () => {
    await launchAndBecomeReady();
    const file = electron.Menu.current?.find((item) => item.label === 'File');
    const exportItem = file?.submenu?.find((item) => item.label === 'Export archive…');
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'inlet-main-')), 'out.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    exportItem?.click?.();
    await vi.waitFor(() =>
      expect(core.exportArchive).toHaveBeenCalledWith('json', expect.any(Function)),
    );
    rmSync(path.dirname(target), { recursive: true, force: true });
  });

  it('forwards core events to the window', async () => {
    await launchAndBecomeReady();
    core.events.emit('app:statusChanged', STATUS);
    await vi.waitFor(() =>
      expect(BrowserWindow.instances[0]?.webContents.send).toHaveBeenCalledWith(
        EVENT_BATCH_CHANNEL,
        [['app:statusChanged', STATUS]],
      ),
    );
  });

  it('reports a failed start in a dialog, stops the core and exits with 1 instead of crashing', async () => {
    core.start.mockRejectedValue(
      new Error('INLET_IG_USER_ID and INLET_ACCESS_TOKEN must be set together.'),
    );
    await launchAndBecomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'Inlet could not start',
      'INLET_IG_USER_ID and INLET_ACCESS_TOKEN must be set together.',
    );
    expect(core.stop).toHaveBeenCalled();
    expect(BrowserWindow.instances).toEqual([]);
    expect(stderr.join('')).toContain('"level":"error","message":"Inlet could not start"');
  });

  it('offers to restore the last backup when the archive is refused, restores it and starts again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inlet-main-restore-'));
    const archivePath = path.join(dir, 'archive.sqlite');
    core.start.mockImplementation(async () => {
      // The modules main/index.ts loaded, so the refusal is the class it recognises.
      const { prepareArchive } = await import('../../../../main/core/archive/archive-file');
      const { writeBackup } = await import('../../../../main/core/archive/backups');
      const { Archive } = await import('../../../../main/core/archive/archive');
      await prepareArchive(archivePath, Date.now);
      new Archive(archivePath).close();
      await writeBackup(archivePath, Date.now());
      writeFileSync(archivePath, '');
      await prepareArchive(archivePath, Date.now);
    });
    await launchAndBecomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(dialog.showMessageBox).toHaveBeenNthCalledWith(
      1,
      expect.objectContaining({
        title: 'Inlet could not open its archive',
        buttons: ['Restore the last backup', 'Quit'],
        detail: expect.stringContaining(`${archivePath} is empty (0 bytes)`) as unknown,
      }),
    );
    expect(dialog.showMessageBox).toHaveBeenNthCalledWith(
      2,
      expect.objectContaining({ message: 'Backup restored' }),
    );
    expect(statSync(archivePath).size).toBeGreaterThan(0);
    expect(app.relaunch).toHaveBeenCalled();
    expect(dialog.showErrorBox).not.toHaveBeenCalled();
    rmSync(dir, { recursive: true, force: true });
  });

  it('quits without touching anything when the owner declines the restore', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inlet-main-restore-'));
    const archivePath = path.join(dir, 'archive.sqlite');
    dialog.showMessageBox.mockResolvedValueOnce({ response: 1 });
    core.start.mockImplementation(async () => {
      const { prepareArchive } = await import('../../../../main/core/archive/archive-file');
      const { writeBackup } = await import('../../../../main/core/archive/backups');
      await prepareArchive(archivePath, Date.now);
      await writeBackup(archivePath, Date.now());
      writeFileSync(archivePath, '');
      await prepareArchive(archivePath, Date.now);
    });
    await launchAndBecomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(statSync(archivePath).size).toBe(0);
    expect(app.relaunch).not.toHaveBeenCalled();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the quit until the core has stopped, stopping it once however often quit is asked', async () => {
    let finishStop = () => undefined as void;
    core.stop.mockImplementation(() => new Promise<void>((resolve) => (finishStop = resolve)));
    await launchAndBecomeReady();

    const first = { preventDefault: vi.fn() };
    app.emit('before-quit', first);
    const second = { preventDefault: vi.fn() };
    app.emit('before-quit', second);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(second.preventDefault).toHaveBeenCalled();
    expect(core.stop).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();

    finishStop();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    const last = { preventDefault: vi.fn() };
    app.emit('before-quit', last);
    expect(last.preventDefault).not.toHaveBeenCalled(); // now the app may really quit
  });

  it('uses INLET_DATA_DIR as the user-data folder, set before the single-instance lock', async () => {
    vi.stubEnv('INLET_DATA_DIR', 'relative/inlet-data');
    await launch();
    expect(app.setPath).toHaveBeenCalledWith('userData', path.resolve('relative/inlet-data'));
    expect(app.setPath.mock.invocationCallOrder[0]).toBeLessThan(
      app.requestSingleInstanceLock.mock.invocationCallOrder[0] ?? 0,
    );
  });

  it('loads and trusts the dev server only in an unpackaged run', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    await launchAndBecomeReady();
    expect(BrowserWindow.instances[0]?.webContents.loadURL).toHaveBeenCalledWith(
      'http://localhost:5173',
    );

    electron.resetElectronMock();
    coreModule.createCore.mockReturnValue(fakeCore());
    stderr.length = 0;
    app.isPackaged = true;
    await launchAndBecomeReady();
    const window = BrowserWindow.instances[0];
    expect(window?.webContents.loadURL).toHaveBeenCalledWith('app://inlet/');
    // ...and a page from that URL may not command the core.
    const handler = ipcMain.handlers.get('app:getStatus');
    await expect(
      Promise.resolve(handler?.({ senderFrame: { url: 'http://localhost:5173/' } }, undefined)),
    ).resolves.toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
