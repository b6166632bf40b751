/**
 * The desktop composition root: the only file that knows both the core and Electron. It builds the
 * adapters, starts the core, then opens the window; quitting stops the core before the app exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { app, clipboard, crashReporter, dialog, powerMonitor, type BrowserWindow } from 'electron';
import {
  describeStartupFailure,
  RESTORE_BUTTON,
  restoreForOwner,
  type StartupFailure,
} from './core/archive/archive-file';
import type { Core } from './core/core-types';
import { createCore } from './core/create-core';
import { forwardWake } from './electron/wake';
import { keepRunningOnClose, type CloseToTray } from './electron/close-to-tray';
import {
  electronLoginItem,
  linuxAutostart,
  shouldStartHidden,
  wasOpenedAtLogin,
} from './electron/login-item';
import { installCrashHandlers } from './core/crash-handlers';
import { describeError } from './core/errors';
import { APP_ORIGIN, createAppUrlCheck } from './core/links';
import { openRotatingLogFile, type RotatingLogFile } from './core/log-file';
import { createLogger } from './core/logger';
import { checkBundle, formatSelfTest } from './core/self-test';
import { ngrokTunnel } from './core/webhook/ngrok-tunnel';
import { installAppMenu } from './electron/app-menu';
import { registerAppScheme, serveRenderer } from './electron/app-protocol';
import { electronStoreKv } from './electron/electron-store-kv';
import { externalBrowser } from './electron/external-browser';
import { forwardEvents, registerInvokeHandlers } from './electron/ipc';
import { electronNotifier, showNotice } from './electron/notifier';
import { createLoginWindow } from './electron/login-window';
import { safeStorageCipher } from './electron/safe-storage-cipher';
import { createUnreadIndicators } from './electron/unread-indicators';
import { installWebContentsGuard } from './electron/web-contents-guard';
import { electronUpdater } from './electron/updater';
import { createMainWindow } from './electron/window';
import { startSandbox } from './sandbox/sandbox';
import { simulatedEvents } from './sandbox/simulate-command';

const OUT_DIR = join(import.meta.dirname, '..'); // this file is out/main/index.js
// stderr for development runs; the rotating file in the OS log folder is what an owner can send.
let logFile: RotatingLogFile | null = null;
const logger = createLogger((line) => {
  process.stderr.write(`${line}\n`);
  logFile?.write(line);
});

// The dev server is trusted only in an unpackaged run: a packaged app never lets an environment
// variable choose which origin may command the core.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const isAppUrl = createAppUrlCheck(devServerUrl ? [APP_ORIGIN, devServerUrl] : [APP_ORIGIN]);

if (process.argv.includes('--self-test')) {
  runBundleSelfTest();
} else {
  // Same knob as `inlet serve --data-dir` (README). Set before the single-instance lock, which is
  // per user-data folder, so two data dirs can run side by side.
  if (process.env.INLET_DATA_DIR) app.setPath('userData', resolve(process.env.INLET_DATA_DIR));
  if (app.requestSingleInstanceLock()) {
    runApp();
  } else {
    app.quit(); // the running instance gets 'second-instance' and comes to the front
  }
}

/**
 * `Inlet --self-test [--json]` (release.yml runs it on every packaged app): checks the bundle, one
 * line per check, exit 0 or 1. No window, no core, and a throw-away profile instead of the user's.
 */
function runBundleSelfTest(): void {
  const profile = mkdtempSync(join(tmpdir(), 'inlet-self-test-profile-'));
  app.setPath('userData', profile);
  const finish = (text: string, code: number): void => {
    process.stdout.write(`${text}\n`);
    rmSync(profile, { recursive: true, force: true });
    app.exit(code);
  };
  checkBundle(OUT_DIR).then(
    (results) =>
      finish(
        formatSelfTest(results, process.argv.includes('--json')),
        results.every((result) => result.ok) ? 0 : 1,
      ),
    (error: unknown) => finish(`FAIL self-test  ${describeError(error)}`, 1),
  );
}

/** A refused archive with backups: the owner can put the last good one back and start again. */
async function offerRestore(failure: StartupFailure, archivePath: string): Promise<void> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: failure.title,
    message: failure.title,
    detail: failure.message,
    buttons: [RESTORE_BUTTON, 'Quit'],
    defaultId: 0,
    cancelId: 1,
  });
  if (response !== 0) return;
  try {
    const done = await restoreForOwner(archivePath, Date.now());
    logger.info('archive restored from a backup', { archivePath });
    await dialog.showMessageBox({ type: 'info', message: 'Backup restored', detail: done });
    app.relaunch();
  } catch (error) {
    logger.error('restoring a backup failed', { error: describeError(error) });
    dialog.showErrorBox('The backup could not be restored', (error as Error).message);
  }
}

function runApp(): void {
  // After the user-data folder is settled: both live under it on Linux.
  logFile = openRotatingLogFile(app.getPath('logs'));
  // Crashes of any process are kept as local minidumps (app.getPath('crashDumps')); nothing is sent.
  crashReporter.start({ uploadToServer: false });
  registerAppScheme(); // must happen before 'ready'
  // Before any window exists, so no page ever runs without it.
  const guard = installWebContentsGuard({ isAppUrl, browser: externalBrowser, logger });
  let core: Core | null = null;
  let window: BrowserWindow | null = null;
  // Set once the window exists; until then there is nothing to close to the tray.
  let closeToTray: CloseToTray | null = null;

  const showWindow = (): void => {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  app.on('second-instance', showWindow);
  app.on('activate', showWindow); // macOS: the dock icon brings a window closed to the tray back
  installCrashHandlers({
    process,
    logger,
    shell: 'desktop',
    stop: async () => core?.stop(),
    exit: (code) => app.exit(code),
  });

  // Quitting waits, once, for the core (webhook listener, tunnel, pending sends) to stop.
  let quitting: 'no' | 'stopping core' | 'core stopped' = 'no';
  app.on('before-quit', (event) => {
    if (core === null || quitting === 'core stopped') return;
    event.preventDefault();
    if (quitting === 'stopping core') return;
    quitting = 'stopping core';
    void core
      .stop()
      .catch((error: unknown) =>
        logger.error('core did not stop cleanly', { error: describeError(error) }),
      )
      .finally(() => {
        quitting = 'core stopped';
        app.quit();
      });
  });

  app
    .whenReady()
    .then(async () => {
      const dataDir = app.getPath('userData');
      const unread = createUnreadIndicators({
        showWindow,
        window: () => (window === null || window.isDestroyed() ? null : window),
        platform: process.platform,
        logger,
      });
      const kv = electronStoreKv(dataDir);
      core = createCore({
        cipher: safeStorageCipher,
        kv,
        browser: externalBrowser,
        notifier: electronNotifier(showWindow, unread),
        clock: Date,
        fetch: globalThis.fetch,
        logger,
        tunnel: ngrokTunnel,
        startSandbox,
        simulatedEvents,
        loginWindow: createLoginWindow(logger, guard),
        loginItem: electronLoginItem(
          app,
          process.platform,
          linuxAutostart(process.platform, process.execPath, process.env),
        ),
        updater: electronUpdater({
          logger,
          // The update policy stopped the core already: let the quit through without stopping it again.
          // Its quitAndInstall closes the windows before 'before-quit': let those closes through.
          beforeInstall: () => {
            quitting = 'core stopped';
            closeToTray?.allowQuit();
          },
        }),
        recentLogLines: () => logFile?.recentLines() ?? [],
        dataDir,
        env: process.env,
      });
      // Started before the window exists, so the page never meets a core that is not up yet.
      await core.start();
      const started = core;
      forwardWake(powerMonitor, () => started.woke());
      serveRenderer(join(OUT_DIR, 'renderer'), {
        mediaFile: (name) => started.mediaFile(name),
        sandboxOrigin: () => started.sandboxOrigin(),
      });
      const rendererEvents = forwardEvents(core.events, () => window);
      registerInvokeHandlers(core.handlers, isAppUrl, logger, rendererEvents.flush);
      const startHidden = shouldStartHidden({
        platform: process.platform,
        argv: process.argv,
        wasOpenedAtLogin: wasOpenedAtLogin(app, process.platform),
        hasTray: unread.hasTray,
      });
      window = createMainWindow({
        preloadPath: join(OUT_DIR, 'preload', 'index.cjs'),
        startUrl: devServerUrl ?? `${APP_ORIGIN}/`,
        logger,
        showOnReady: !startHidden,
      });
      closeToTray = keepRunningOnClose({
        app,
        window,
        hasTray: unread.hasTray,
        platform: process.platform,
        kv,
        tellKeptRunning: () => {
          const { title, body } = unread.text().keptRunning;
          showNotice(title, body, logger);
        },
        logger,
      });
      // The OS is shutting down (Linux, macOS): nothing may hold a window open.
      const tray = closeToTray;
      powerMonitor.on('shutdown', () => tray.allowQuit());
      unread.windowOpened(); // the taskbar overlay set while the core started
      const running = core;
      installAppMenu({
        window: () => (window === null || window.isDestroyed() ? null : window),
        exportArchive: (format, write) => running.exportArchive(format, write),
        logger,
        now: () => Date.now(),
        copyDiagnostics: async () => {
          const { text } = await running.handlers['app:getDiagnostics'](undefined);
          await Promise.resolve(clipboard.writeText(text));
        },
      });
      logger.info('desktop app ready', { dataDir, startHidden, hasTray: unread.hasTray });
    })
    .catch(async (error: unknown) => {
      // A broken configuration or a busy port is the user's to fix: say so, then leave cleanly.
      logger.error('Inlet could not start', { error: describeError(error) });
      await core?.stop().catch(() => undefined); // idempotent; the log already has the cause
      const failure = describeStartupFailure(error);
      if (failure.restorePath === null) dialog.showErrorBox(failure.title, failure.message);
      else await offerRestore(failure, failure.restorePath);
      app.exit(1);
    });
}
