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

/** What the headless page needs of `window` to find its token (a parameter, so tests can fake it). */
export type HeadlessPage = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

const TOKEN_STORAGE_KEY = 'inlet.headlessToken';

/**
 * The per-run token of `inlet serve`, which arrives in the address the page was opened with
 * (`/?token=…`). Once read it leaves the address bar and its history entry, so it is not
 * bookmarked, kept in the browser's history, or shown in a screenshot; sessionStorage keeps it
 * for this tab only, so a reload still connects. A token in the address wins over a stored one:
 * a restarted server prints a new address. Where the browser refuses storage, the token stays in
 * the address, since a reload that can no longer connect would lock the owner out of the inbox.
 */
export function takeHeadlessToken(page: HeadlessPage, param: string): string {
  const url = new URL(page.location.href);
  const fromAddress = url.searchParams.get(param);
  let storage: Storage;
  try {
    storage = page.sessionStorage;
    if (fromAddress === null) return storage.getItem(TOKEN_STORAGE_KEY) ?? '';
    storage.setItem(TOKEN_STORAGE_KEY, fromAddress);
  } catch {
    return fromAddress ?? ''; // storage disabled or full
  }
  url.searchParams.delete(param);
  page.history.replaceState(page.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromAddress;
}

/** `ws(s)://<same host>/ipc?token=…`, with the token the page was opened with. */
export function headlessSocketUrl(page: HeadlessPage, tokenParam: string, path: string): string {
  const token = takeHeadlessToken(page, tokenParam);
  const scheme = page.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.location.host}${path}?${tokenParam}=${encodeURIComponent(token)}`;
}
