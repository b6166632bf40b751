import type { ExternalBrowser } from './ports';

/** The renderer's origin in production: a privileged custom scheme, never `file://`. */
export const APP_ORIGIN = 'app://inlet';

/** WHATWG URL parsing throws on garbage; a URL we cannot parse is a URL we do not trust. */
function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Builds the check for "is this page ours?", used for IPC senders and navigation. Protocol and host
 * (host includes the port) must match one allowed origin exactly; a prefix or look-alike never
 * does. The origins are a parameter because the dev server URL is trusted only in development,
 * which the composition root decides.
 */
export function createAppUrlCheck(allowedOrigins: readonly string[]): (url: string) => boolean {
  const allowed = allowedOrigins.map((origin) => {
    const parsed = parse(origin);
    if (parsed === null || parsed.host === '') throw new Error(`Not an origin: "${origin}"`);
    return { protocol: parsed.protocol, host: parsed.host };
  });
  return (url) => {
    const parsed = parse(url);
    // Userinfo never appears in our own URLs; allowing it would only help look-alikes.
    if (parsed === null || parsed.username !== '' || parsed.password !== '') return false;
    return allowed.some(
      ({ protocol, host }) => parsed.protocol === protocol && parsed.host === host,
    );
  };
}

/**
 * Hands a link from the untrusted renderer to the user's browser when, and only when, it is a
 * plain web link: `http:`/`https:` with a host and no userinfo (`https://bank.com@evil.example`
 * is a phishing trick, not a link anyone needs to send). Everything else (`file:`, `javascript:`,
 * `app:`, custom schemes that launch other programs, relative URLs) is dropped. Resolves to
 * whether the browser was asked to open it; a browser failure rejects.
 */
export async function openIfSafe(url: string, browser: ExternalBrowser): Promise<boolean> {
  const parsed = parse(url);
  if (parsed === null) return false;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return false;
  await browser.open(parsed);
  return true;
}
