/**
 * How the renderer is reaching main. The preload is always `connected`; the headless WebSocket
 * moves through the other states when `inlet serve` restarts or the network stack drops it.
 */
export type ConnectionState =
  /** `attempt` 0 is the first connection; later ones follow a loss. */
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected' }
  /** `retryAt` is epoch ms of the next attempt, so the UI can count down. */
  | { kind: 'lost'; retryAt: number; attempt: number };

export type ConnectionMonitor = {
  get: () => ConnectionState;
  subscribe: (listener: (state: ConnectionState) => void) => () => void;
  /** Skips the remaining back-off delay; a no-op unless the connection is lost. */
  retryNow: () => void;
};

/** The preload cannot lose its channel to main: the window and main live and die together. */
export const ALWAYS_CONNECTED: ConnectionMonitor = {
  get: () => ({ kind: 'connected' }),
  subscribe: () => () => undefined,
  retryNow: () => undefined,
};
