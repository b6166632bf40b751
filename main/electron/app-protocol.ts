import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { archivedMediaName, type ArchivedFile } from '../core/archive/media-store';
import { APP_ORIGIN } from '../core/links';

/**
 * The renderer is served from `app://inlet/`, not `file://`: a real origin for CSP and for the
 * IPC sender check, and no file-system reach beyond the built renderer folder.
 */
const APP_URL = new URL(APP_ORIGIN);
export const APP_SCHEME = APP_URL.protocol.slice(0, -1);
const APP_HOST = APP_URL.host;

/**
 * Sent as a header with every response. It MUST equal the Content-Security-Policy meta tag in
 * renderer/index.html (a unit test compares them): the meta also protects `inlet serve`, and the
 * header covers what a meta tag cannot (it applies before any byte of the page is parsed).
 */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; media-src 'self' https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Must run before the app is ready: Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: real origin and relative URLs; secure: a secure context like https;
    // supportFetchAPI: the page may fetch its own assets. Nothing else (no CSP bypass, no CORS).
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers `app://inlet/…` from the built renderer folder (call once the app is ready). */
export function serveRenderer(
  rendererDir: string,
  mediaFile: (name: string) => ArchivedFile | null,
): void {
  protocol.handle(
    APP_SCHEME,
    createAppRequestHandler(rendererDir, (fileUrl) => net.fetch(fileUrl), mediaFile),
  );
}

export type AppTarget =
  | { kind: 'file'; filePath: string }
  | { kind: 'bad-request' }
  | { kind: 'not-found' }
  | { kind: 'not-built' };

/**
 * Maps an `app://inlet/…` URL onto a file inside `rendererDir`, or refuses it. Each path segment is
 * decoded once and refused if it could climb out (`..`, encoded slashes or backslashes, NUL); the
 * result is checked to lie inside the folder all the same. Extension-less paths are client-side
 * routes of the single-page app and get index.html. Symlinks are not resolved: the folder is our
 * own build output (inside app.asar when packaged), not user content.
 */
export async function resolveAppTarget(
  rendererDir: string,
  requestUrl: string,
): Promise<AppTarget> {
  const root = path.resolve(rendererDir);
  const index = path.join(root, 'index.html');
  if (!(await isFile(index))) return { kind: 'not-built' };

  let url: URL;
  let segments: string[];
  try {
    url = new URL(requestUrl);
    segments = url.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return { kind: 'bad-request' };
  }
  if (url.protocol !== APP_URL.protocol || url.host !== APP_HOST) return { kind: 'bad-request' };
  if (segments.some((segment) => segment === '..' || segment === '.' || /[/\\\0]/.test(segment))) {
    return { kind: 'bad-request' };
  }
  if (segments.length === 0) return { kind: 'file', filePath: index };
  // Dotfiles are never part of a Vite build.
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };

  const candidate = path.join(root, ...segments);
  const relative = path.relative(root, candidate);
  if (relative === '' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { kind: 'bad-request' };
  }
  // `:` names drive letters and NTFS streams on Windows and no built file has one; client-side
  // routes may (conversation ids are `account:customer`), so such paths skip the file system.
  const mayBeFile = !segments.some((segment) => segment.includes(':'));
  if (mayBeFile && (await isFile(candidate))) return { kind: 'file', filePath: candidate };
  return path.extname(segments.at(-1) ?? '') === ''
    ? { kind: 'file', filePath: index }
    : { kind: 'not-found' };
}

/** The protocol handler, with file fetching injected so it can be tested without Electron. */
export function createAppRequestHandler(
  rendererDir: string,
  fetchFile: (fileUrl: string) => Promise<Response>,
  mediaFile: (name: string) => ArchivedFile | null = () => null,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return plain(405, 'Method not allowed');
    const url = URL.canParse(request.url) ? new URL(request.url) : null;
    const mediaName =
      url?.protocol === APP_URL.protocol && url.host === APP_HOST
        ? archivedMediaName(url.pathname)
        : null;
    if (mediaName !== null) {
      // Archived attachments: only names the archive recorded (random UUIDs), never a path.
      const media = mediaFile(mediaName);
      if (media === null || !(await isFile(media.path))) return plain(404, 'Not found');
      const file = await fetchFile(pathToFileURL(media.path).href);
      const headers = withPolicy(file.headers);
      headers.set('Content-Type', media.contentType);
      return new Response(file.body, { status: file.status, headers });
    }
    const target = await resolveAppTarget(rendererDir, request.url);
    switch (target.kind) {
      case 'bad-request':
        return plain(400, 'Bad request');
      case 'not-found':
        return plain(404, 'Not found');
      case 'not-built':
        return plain(503, 'The Inlet UI is not built yet: run `npm run build:app`.');
      case 'file': {
        const file = await fetchFile(pathToFileURL(target.filePath).href);
        return new Response(file.body, { status: file.status, headers: withPolicy(file.headers) });
      }
    }
  };
}

function withPolicy(source?: Headers): Headers {
  const headers = new Headers(source);
  headers.set('Content-Security-Policy', RENDERER_CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  return headers;
}

function plain(status: number, text: string): Response {
  const headers = withPolicy();
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  return new Response(text, { status, headers });
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}
