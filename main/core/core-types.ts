import type { AppStatus } from '../../shared/domain/schemas';
import type { ExportFormat } from './archive/export';
import type { Updater } from './updates/updater';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { InvokeHandlers } from './ipc/dispatch';
import type {
  Clock,
  ExternalBrowser,
  Fetch,
  KeyValueStore,
  Logger,
  Notifier,
  LoginItem,
  LoginWindow,
  SecretCipher,
  SimulatedEvents,
  StartSandbox,
  TunnelProvider,
} from './ports';

export type CoreDeps = {
  cipher: SecretCipher;
  kv: KeyValueStore;
  browser: ExternalBrowser;
  notifier: Notifier;
  clock: Clock;
  fetch: Fetch;
  logger: Logger;
  tunnel: TunnelProvider;
  /** Sandbox mode's Instagram (main/sandbox), started when no Meta app is configured. */
  startSandbox: StartSandbox;
  /** `inlet simulate`'s event builders (main/sandbox), behind the Developer section's "Simulate". */
  simulatedEvents?: SimulatedEvents;
  /** Desktop only: installs new versions (electron-updater); the core decides when. */
  updater?: Updater;
  /** Desktop only: the newest lines of the log file, for diagnostics. */
  recentLogLines?: () => string[];
  /** Desktop only: the OS login item behind "Start Inlet when I log in". */
  loginItem?: LoginItem;
  /** Desktop only: the login window used when no tunnel is available. */
  loginWindow?: LoginWindow;
  /** Where the archive and settings live (the OS app-data folder unless overridden). */
  dataDir: string;
  /** Environment overrides (INLET_*), passed in so tests never read process.env. */
  env: Readonly<Record<string, string | undefined>>;
  options?: CoreOptions;
};

export type CoreOptions = {
  /** Force the embedded emulator even when a Meta app is configured. */
  sandbox?: boolean;
  /** Skip the public tunnel (developers who bring their own URL, CI). */
  noTunnel?: boolean;
  /** Port of the local webhook listener; 0 picks a free one. */
  webhookPort?: number;
  /** The developer's handlers every verified delivery is also posted to (`--forward-to`). */
  forwardTo?: string[];
  /** Lets `forwardTo` name hosts other than this machine. */
  forwardRemote?: boolean;
  /**
   * Let the health checks make their safe repairs on their own (default). `inlet doctor` turns it
   * off: it only repairs when asked with --fix.
   */
  autoRepair?: boolean;
};

export type EventListener<C extends EventChannel> = (payload: EventPayload<C>) => void;

export interface CoreEvents {
  on<C extends EventChannel>(channel: C, listener: EventListener<C>): () => void;
}

export interface Core {
  readonly handlers: InvokeHandlers;
  readonly events: CoreEvents;
  status(): AppStatus;
  /** Archive → sandbox (if any) → webhook listener → tunnel. Idempotent. */
  start(): Promise<void>;
  /** The reverse of start. Idempotent; safe to call when start failed halfway. */
  stop(): Promise<void>;
  /**
   * An archived attachment named by its renderer URL (`/archive/media/<name>`), or null when the
   * running archive holds no such file. Both shells serve these same-origin.
   */
  mediaFile(name: string): { path: string; contentType: string } | null;
  /**
   * The embedded emulator's origin while sandbox mode runs, else null: it plays Instagram's CDN
   * over http on 127.0.0.1, so the page policy of both shells must admit exactly this origin.
   */
  sandboxOrigin(): string | null;
  /** Writes the running archive (live or sandbox) in the documented export format, in chunks. */
  exportArchive(format: ExportFormat, write: (chunk: string) => void): void;
  /**
   * The machine woke or was unlocked (desktop: `powerMonitor`; headless: a wall-clock jump,
   * wall-clock-wake.ts): the tunnel reconnects first (at once if it was waiting to retry), then the
   * health checks run, then catch-up fetches what Meta could not deliver (wake-sequence.ts).
   */
  woke(): void;
}
