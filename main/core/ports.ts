/**
 * Everything the core needs from the outside world. Each shell (Electron, headless) supplies
 * adapters; tests supply fakes from test/fakes. The core never imports 'electron'.
 */

export interface SecretCipher {
  /** False when the OS gives no real protection (e.g. Linux safeStorage on `basic_text`). */
  isAvailable(): boolean;
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

export interface Notifier {
  /** `onClick` runs when the owner clicks the notification, where the desktop reports clicks. */
  notify(title: string, body: string, onClick?: () => void): void;
  /** The unread count on the dock or taskbar icon; 0 clears it. Absent where there is no icon. */
  setBadgeCount?(count: number): void;
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
  open(options: { localPort: number; authtoken: string; domain?: string }): Promise<TunnelSession>;
}
