import type { StartAtLogin } from '../../shared/ipc/desktop-contract';

/**
 * Everything the core needs from the outside world. Each shell (Electron, headless) supplies
 * adapters; tests supply fakes from test/fakes. The core never imports 'electron'.
 */

export interface SecretCipher {
  /** False when the OS gives no real protection (e.g. Linux safeStorage on `basic_text`). */
  isAvailable(): boolean;
  /**
   * True when seal/open still work without real protection (Linux `basic_text`: a key hard-coded
   * in Chromium). Used only after the user explicitly accepts that.
   */
  hasUnprotectedFallback?(): boolean;
  /**
   * Why there is no protection, in words for the user, when the shell knows better than "no OS
   * encryption".
   */
  unavailableReason?(): string;
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface ExternalBrowser {
  /** Only ever called with URLs that passed `openIfSafe` (http/https). */
  open(url: URL): Promise<void>;
}

/**
 * The fallback when no tunnel can carry the login back (docs/platform.md#redirect-uri): a dedicated
 * window that shows the authorize page and catches the redirect to the registered https URI
 * without loading it. Only the desktop shell has one.
 */
export interface LoginWindow {
  /** Resolves with the URL it caught under `redirectUri`, or null when the user closed it. */
  capture(authorizeUrl: URL, redirectUri: string): Promise<string | null>;
}

export interface Notifier {
  /** `onClick` runs when the owner clicks the notification, where the desktop reports clicks. */
  notify(title: string, body: string, onClick?: () => void): void;
  /**
   * The unread count on the dock, taskbar and tray; 0 clears it. Absent where there is no icon.
   * `text` is in the owner's language: the description screen readers and tooltips give.
   */
  setBadgeCount?(count: number, text: UnreadText): void;
}

/**
 * The words around the unread indicators (tray tooltip and menu, taskbar overlay description), in
 * the owner's language: the shell has no catalogue of its own.
 */
export type UnreadText = {
  /** "3 unread conversations" or "No unread messages". */
  description: string;
  open: string;
  quit: string;
  /** Said once, the first time closing the window leaves Inlet running in the tray. */
  keptRunning: { title: string; body: string };
};

/**
 * Desktop only: the OS login item (Electron's `app.setLoginItemSettings`), which starts Inlet
 * hidden in the tray when the owner logs in. `read` says where it cannot work and why.
 */
export interface LoginItem {
  read(): StartAtLogin;
  write(isEnabled: boolean): StartAtLogin;
}

export interface Clock {
  now(): number;
}

export type Fetch = typeof globalThis.fetch;

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface TunnelSession {
  /** Public https base URL, e.g. https://calm-otter.ngrok.app */
  readonly url: string;
  close(): Promise<void>;
}

/** The public https path into the local webhook listener (ngrok in production, a fake in tests). */
export interface TunnelProvider {
  open(options: {
    localPort: number;
    authtoken: string;
    domain?: string;
    /** The session dropped; the provider may be restoring it by itself. */
    onDisconnected?: (reason: string) => void;
    /** A dropped session came back on its own. */
    onReconnected?: () => void;
  }): Promise<TunnelSession>;
}

/**
 * Sandbox mode's Instagram: an emulator with a shop account and simulated customers, running on
 * this machine. The shells pass in `main/sandbox`'s implementation; the core sees only this.
 */
export interface Sandbox {
  readonly emulatorUrl: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  /** The shop's account, with a token from the emulator's dashboard and what that token grants. */
  readonly account: {
    igUserId: string;
    username: string;
    accessToken: string;
    permissions: readonly string[];
  };
  /** Verifies Inlet's webhook listener, seeds the conversations, then starts the liveliness. */
  attach(webhookUrl: string): Promise<void>;
  /**
   * What a developer does in Meta's dashboard: allow a login to return to `uri`
   * (docs/platform.md#redirect-uri).
   */
  registerRedirectUri(uri: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The bodies `inlet simulate` sends (main/sandbox builds them, with Meta's shapes and escapes), for
 * the Developer section's "Simulate": one home for every event kind.
 */
export interface SimulatedEvents {
  readonly kinds: readonly string[];
  /** The exact body Meta would send for one event of `kind` to `account`. */
  build(kind: string, options: { account: string; text?: string; now: number }): string;
}

export type StartSandbox = (deps: {
  clock: Clock;
  logger: Logger;
  fetch: Fetch;
}) => Promise<Sandbox>;
