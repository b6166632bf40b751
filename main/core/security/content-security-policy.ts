/**
 * The Content-Security-Policy of Inlet's UI, the one source for both shells (the `app://` protocol
 * and `inlet serve` send it as a header with every response) and for the dev server (which puts it
 * in a meta tag). The renderer shows third-party text, so it runs as an untrusted page: no inline
 * script or style, no plugins, no `<base>`, no form posts, no framing.
 *
 * The policy is a header, not a meta tag in index.html: a page under two policies must satisfy
 * both, and only the running shell knows the sandbox emulator's origin.
 */

/**
 * Where Instagram serves the pictures and media a page shows straight from Instagram (story
 * previews, profile pictures, attachments not archived yet): attachment and story URLs on the
 * lookaside CDN, profile pictures and ad photos on the regional `scontent…` hosts under
 * cdninstagram.com and fbcdn.net, which vary per message and change without notice
 * (docs/platform.md#messages-field, docs/platform.md#user-profile). Anything else stays out: an
 * image from an arbitrary host would tell that host the owner's IP address and when they read the
 * message.
 */
export const INSTAGRAM_MEDIA_SOURCES = [
  'https://lookaside.fbsbx.com',
  'https://*.cdninstagram.com',
  'https://*.fbcdn.net',
] as const;

/**
 * The Vite dev server picks no emulator: the sandbox's port is chosen when Inlet starts, after the
 * page was served, so a development page admits any port on the loopback address.
 */
const DEV_SANDBOX_SOURCE = 'http://127.0.0.1:*';

export type RendererCspOptions = {
  /**
   * The embedded emulator's origin while sandbox mode runs (`http://127.0.0.1:PORT`): it plays
   * Instagram's CDN there, over plain http. Null in live mode, where only Instagram's hosts count.
   */
  sandboxOrigin: string | null;
  /** Vite's dev server injects inline scripts and styles (React refresh); never in a build. */
  isDevServer?: boolean;
};

export function rendererCsp({ sandboxOrigin, isDevServer = false }: RendererCspOptions): string {
  const sandbox = isDevServer
    ? [DEV_SANDBOX_SOURCE]
    : sandboxOrigin === null
      ? []
      : [loopbackOrigin(sandboxOrigin)];
  const media = ["'self'", ...INSTAGRAM_MEDIA_SOURCES, ...sandbox].join(' ');
  const inline = isDevServer ? " 'unsafe-inline'" : '';
  return [
    "default-src 'self'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    // data: — images under Vite's inline limit are emitted as data: URIs.
    `img-src ${media} data:`,
    // Video and voice notes: without it they fall back to default-src 'self' and never play.
    `media-src ${media}`,
    // In CSP Level 3, 'self' also matches ws: on the page's own host and port: exactly the
    // headless WebSocket (`inlet serve`); nothing else is reachable.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    // Browsers honour this only in a header; the dev server's meta tag leaves it out.
    ...(isDevServer ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

/**
 * The sandbox origin goes into a header verbatim, so it must be exactly an http origin on the
 * loopback address: anything else (a path, a space, a `;`) could widen or rewrite the policy.
 */
function loopbackOrigin(origin: string): string {
  const url = URL.canParse(origin) ? new URL(origin) : null;
  const isLoopback = url?.hostname === '127.0.0.1' || url?.hostname === 'localhost';
  if (url === null || url.protocol !== 'http:' || !isLoopback || url.origin !== origin) {
    throw new RangeError(`Not an http origin on the loopback address: "${origin}"`);
  }
  return origin;
}
