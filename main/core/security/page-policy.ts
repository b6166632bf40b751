/**
 * What a page shown by the desktop shell may do: where it may go and which browser permission it
 * gets. Pure decisions, so the Electron wiring (main/electron/web-contents-guard.ts) stays thin.
 */

/** `allow`: load it; `capture`: the login's redirect, read but never loaded; `refuse`: stay. */
export type NavigationDecision = 'allow' | 'capture' | 'refuse';

/** `main`: the page itself (also what window.open would open); `sub`: a frame inside it. */
export type Frame = 'main' | 'sub';

export type NavigationRule = (url: string, frame: Frame) => NavigationDecision;

/** Inlet's own pages never leave the app's origin, in any frame (links go to the browser). */
export function appPagesOnly(isAppUrl: (url: string) => boolean): NavigationRule {
  return (url) => (isAppUrl(url) ? 'allow' : 'refuse');
}

/**
 * The Instagram login window (the fallback without a tunnel): its page may move between
 * Instagram's and Facebook's login pages and the authorize URL's own origin (the emulator when
 * INLET_OAUTH_URL points there), and the redirect to the registered URI is captured, never
 * loaded, so whatever (or nothing) lives at that address never sees the code. Frames inside Meta's
 * pages are Meta's business, as long as they are https.
 */
export function loginPages(authorizeUrl: URL, redirectUri: URL): NavigationRule {
  return (candidate, frame) => {
    const url = parse(candidate);
    if (url === null) return 'refuse';
    if (frame === 'main' && isRedirectTo(url, redirectUri)) return 'capture';
    if (frame === 'sub') return url.protocol === 'https:' ? 'allow' : 'refuse';
    return url.origin === authorizeUrl.origin || isMetaLoginPage(url) ? 'allow' : 'refuse';
  };
}

/** Same scheme, host and path as the registered URI; the query carries code and state. */
export function isRedirectTo(url: URL, registered: URL): boolean {
  return (
    url.protocol === registered.protocol &&
    url.host === registered.host &&
    url.pathname === registered.pathname
  );
}

const META_LOGIN_DOMAINS = ['instagram.com', 'facebook.com'];

/**
 * Instagram's and Facebook's own https pages (login, two-factor checks, password reset, the
 * consent page), on the default port and without userinfo (`https://instagram.com@evil.example`).
 */
export function isMetaLoginPage(url: URL): boolean {
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') {
    return false;
  }
  return META_LOGIN_DOMAINS.some(
    (domain) => url.hostname === domain || url.hostname.endsWith(`.${domain}`),
  );
}

/**
 * Browser permissions: Inlet's own pages may write to the clipboard (the Copy buttons; Chromium
 * still wants a user gesture for it) and nothing else; every other page, the Instagram login
 * included, gets nothing: no camera, microphone, notifications, location, devices or clipboard.
 */
export function grantsPermission(
  permission: string,
  requestingUrl: string,
  isAppUrl: (url: string) => boolean,
): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

function parse(url: string): URL | null {
  return URL.canParse(url) ? new URL(url) : null;
}
