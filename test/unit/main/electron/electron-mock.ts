/**
 * A stand-in for the parts of the `electron` module the shell uses, for
 * `vi.mock('electron', () => import('./electron-mock'))` in tests of main/electron and the preload.
 * The real module cannot even be required here (no Electron binary, and requiring it starts a download that fails offline). Each test
 * file gets its own copy (vitest isolates modules per file); `resetElectronMock` clears it between
 * tests. The fakes record calls and keep registered handlers so tests can fire them.
 */
import { EventEmitter } from 'node:events';
import { vi, type Mock } from 'vitest';

type InvokeListener = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeListener>(),
  handle: vi.fn((channel: string, listener: InvokeListener) => {
    // Electron throws on a second handler for a channel; so does the fake, to catch double wiring.
    if (ipcMain.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    ipcMain.handlers.set(channel, listener);
  }),
  removeHandler: vi.fn((channel: string) => void ipcMain.handlers.delete(channel)),
};

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  readonly session: {
    setPermissionRequestHandler: Mock;
    setPermissionCheckHandler: Mock;
    setDevicePermissionHandler: Mock;
  } = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  readonly setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => unknown) => {
    this.windowOpenHandler = handler;
  });
  /** What every window's loadURL answers; a test can make the next load fail. */
  static readonly loadResult = vi.fn((): Promise<void> => Promise.resolve());
  readonly loadURL = vi.fn((_url: string) => FakeWebContents.loadResult());
  readonly send: Mock<(channel: string, payload: unknown) => void> = vi.fn();
  readonly isDestroyed = vi.fn(() => false);
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly show: Mock<() => void> = vi.fn();
  readonly hide: Mock<() => void> = vi.fn();
  readonly isDestroyed = vi.fn(() => false);
  readonly isMinimized = vi.fn(() => false);
  readonly restore: Mock<() => void> = vi.fn();
  readonly focus: Mock<() => void> = vi.fn();
  readonly setOverlayIcon: Mock<(icon: FakeNativeImage | null, description: string) => void> =
    vi.fn();
  /** Like Electron: closing emits a preventable 'close', then 'closed' once. */
  readonly close: Mock<() => void> = vi.fn(() => {
    if (this.isDestroyed()) return;
    let isPrevented = false;
    this.emit('close', { preventDefault: () => void (isPrevented = true) });
    if (isPrevented) return;
    this.isDestroyed.mockReturnValue(true);
    this.emit('closed');
  });

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
    // Like Electron: every new web contents is announced before the constructor returns.
    app.emit('web-contents-created', {}, this.webContents);
  }
}

/** What nativeImage made: the bitmap and options it was given, so a test can check which icon. */
export type FakeNativeImage = {
  bitmap: Buffer;
  options: { width: number; height: number; scaleFactor?: number };
};
export const nativeImage = {
  createFromBitmap: vi.fn(
    (bitmap: Buffer, options: FakeNativeImage['options']): FakeNativeImage => ({ bitmap, options }),
  ),
};

/** A tray icon: records what it shows; `emit('click')` clicks it. */
export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  /** Set by a test: the next Tray throws, as on a desktop with no status notifier host. */
  static failure: Error | null = null;
  readonly setImage: Mock<(image: FakeNativeImage) => void> = vi.fn();
  readonly setToolTip: Mock<(text: string) => void> = vi.fn();
  readonly setTitle: Mock<(title: string) => void> = vi.fn();
  readonly setContextMenu: Mock<(menu: { template: MenuTemplateItem[] }) => void> = vi.fn();

  constructor(readonly image: FakeNativeImage) {
    super();
    if (Tray.failure) throw Tray.failure;
    Tray.instances.push(this);
  }
}

export const shell = { openExternal: vi.fn((_url: string) => Promise.resolve()) };

export const safeStorage = {
  isEncryptionAvailable: vi.fn(() => true),
  getSelectedStorageBackend: vi.fn((): string => 'gnome_libsecret'),
  // Reversible but not the identity, so a test can tell sealed text from plain text.
  encryptString: vi.fn((plain: string) => Buffer.from([...plain].reverse().join(''), 'utf8')),
  decryptString: vi.fn((sealed: Buffer) => [...sealed.toString('utf8')].reverse().join('')),
};

export class Notification extends EventEmitter {
  static readonly isSupported = vi.fn(() => true);
  static readonly shown: { title?: string; body?: string }[] = [];
  /** Every notification shown, so a test can click one. */
  static readonly instances: Notification[] = [];

  constructor(private readonly options: { title?: string; body?: string }) {
    super();
  }

  show(): void {
    Notification.shown.push(this.options);
    Notification.instances.push(this);
  }
}

export const protocol: { registerSchemesAsPrivileged: Mock; handle: Mock } = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
};

export const net = { fetch: vi.fn((_url: string) => Promise.resolve(new Response(''))) };

export const contextBridge: { exposeInMainWorld: Mock } = { exposeInMainWorld: vi.fn() };

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn((_channel: string, ..._args: unknown[]) =>
    Promise.resolve<unknown>(undefined),
  );
}
export const ipcRenderer = new FakeIpcRenderer();

/** Electron's app: events, the ready promise (released by `markReady`), paths and the quit calls. */
class FakeApp extends EventEmitter {
  isPackaged = false;
  hasSingleInstanceLock = true;
  readonly paths = new Map<string, string>();
  markReady: () => void = () => undefined;
  private ready = this.newReadyPromise();
  readonly requestSingleInstanceLock: Mock<() => boolean> = vi.fn(() => this.hasSingleInstanceLock);
  readonly whenReady: Mock<() => Promise<void>> = vi.fn(() => this.ready);
  readonly getPath: Mock<(name: string) => string> = vi.fn(
    (name: string) => this.paths.get(name) ?? `/fake/${name}`,
  );
  readonly setPath: Mock<(name: string, value: string) => void> = vi.fn(
    (name: string, value: string) => void this.paths.set(name, value),
  );
  /** Like Electron: emits 'before-quit' with a preventable event. */
  readonly quit: Mock<() => void> = vi.fn(() => {
    this.emit('before-quit', { preventDefault: vi.fn() });
  });
  readonly exit: Mock<(code?: number) => void> = vi.fn();
  readonly relaunch: Mock<() => void> = vi.fn();
  readonly setBadgeCount: Mock<(count?: number) => boolean> = vi.fn(() => true);
  readonly getVersion: Mock<() => string> = vi.fn(() => '0.1.0');
  /** The OS login item: what was registered, and whether this run was started by it (macOS). */
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false };
  readonly setLoginItemSettings: Mock<(settings: { openAtLogin?: boolean }) => void> = vi.fn(
    (settings: { openAtLogin?: boolean }) =>
      void (this.loginItem.openAtLogin = settings.openAtLogin ?? false),
  );
  readonly getLoginItemSettings = vi.fn((_options?: { args?: string[] }) => ({
    ...this.loginItem,
    status: 'enabled',
    executableWillLaunchAtLogin: this.loginItem.openAtLogin,
    launchItems: [],
  }));

  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.hasSingleInstanceLock = true;
    this.loginItem = { openAtLogin: false, wasOpenedAtLogin: false };
    this.paths.clear();
    this.ready = this.newReadyPromise();
  }

  private newReadyPromise(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.markReady = resolve;
    });
  }
}
export const app = new FakeApp();
export const powerMonitor = new EventEmitter();

type SaveDialogResult = { canceled: boolean; filePath?: string };

export const dialog: {
  showErrorBox: Mock<(title: string, content: string) => void>;
  /** Resolves as if the user cancelled unless a test says otherwise (mockResolvedValueOnce). */
  showSaveDialog: Mock<(...args: unknown[]) => Promise<SaveDialogResult>>;
  /** Resolves as if the first button was pressed unless a test says otherwise. */
  showMessageBox: Mock<(...args: unknown[]) => Promise<{ response: number }>>;
} = {
  showErrorBox: vi.fn(),
  showSaveDialog: vi.fn(() => Promise.resolve<SaveDialogResult>({ canceled: true })),
  showMessageBox: vi.fn(() => Promise.resolve({ response: 0 })),
};

type MenuTemplateItem = {
  label?: string;
  enabled?: boolean;
  role?: string;
  type?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuTemplateItem[];
};

/** Keeps the template it was built from, so tests can find an item and click it. */
export const Menu = {
  current: null as MenuTemplateItem[] | null,
  buildFromTemplate: vi.fn((template: MenuTemplateItem[]) => ({ template })),
  setApplicationMenu: vi.fn((menu: { template: MenuTemplateItem[] } | null) => {
    Menu.current = menu?.template ?? null;
  }),
};

export const crashReporter: { start: Mock<(options: object) => void> } = { start: vi.fn() };
export const clipboard: { writeText: Mock<(text: string) => void> } = { writeText: vi.fn() };

export function resetElectronMock(): void {
  vi.clearAllMocks();
  powerMonitor.removeAllListeners();
  ipcMain.handlers.clear();
  BrowserWindow.instances.length = 0;
  Tray.instances.length = 0;
  Tray.failure = null;
  Notification.shown.length = 0;
  Notification.instances.length = 0;
  Notification.isSupported.mockReturnValue(true);
  safeStorage.isEncryptionAvailable.mockReturnValue(true);
  safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
  ipcRenderer.removeAllListeners();
  app.reset();
  Menu.current = null;
  dialog.showSaveDialog.mockImplementation(() => Promise.resolve({ canceled: true }));
  dialog.showMessageBox.mockImplementation(() => Promise.resolve({ response: 0 }));
}
