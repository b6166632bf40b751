import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { archivedMediaName, type ArchivedFile } from '../core/archive/media-store';
import { APP_ORIGIN } from '../core/links';
import { rendererCsp } from '../core/security/content-security-policy';
import { resolveRendererFile } from '../core/security/renderer-files';

/**
 * The renderer is served from `app://inlet/`, not `file://`: a real origin for CSP and for the
 * IPC sender check, and no file-system reach beyond the built renderer folder.
 */
const APP_URL = new URL(APP_ORIGIN);
export const APP_SCHEME = APP_URL.protocol.slice(0, -1);
const APP_HOST = APP_URL.host;

export type AppFiles = {
  /** Archived attachments (Core.mediaFile), served under /archive/media/. */
  mediaFile: (name: string) => ArchivedFile | null;
  /** The embedded emulator's origin while sandbox mode runs (Core.sandboxOrigin). */
  sandboxOrigin: () => string | null;
};

const NO_FILES: AppFiles = { mediaFile: () => null, sandboxOrigin: () => null };

/** Must run before the app is ready: Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: real origin and relative URLs; secure: a secure context like https;
    // supportFetchAPI: the page may fetch its own assets. Nothing else (no CSP bypass, no CORS).
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers `app://inlet/…` from the built renderer folder (call once the app is ready). */
export function serveRenderer(rendererDir: string, files: AppFiles): void {
  protocol.handle(
    APP_SCHEME,
    createAppRequestHandler(rendererDir, (fileUrl) => net.fetch(fileUrl), files),
  );
}

/**
 * The protocol handler, with file fetching injected so it can be tested without Electron. Every
 * response carries the page policy as a header: it applies before any byte of the page is parsed.
 */
export function createAppRequestHandler(
  rendererDir: string,
  fetchFile: (fileUrl: string) => Promise<Response>,
  files: AppFiles = NO_FILES,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const policy = rendererCsp({ sandboxOrigin: files.sandboxOrigin() });
    const withPolicy = (source?: Headers): Headers => {
      const headers = new Headers(source);
      headers.set('Content-Security-Policy', policy);
      headers.set('X-Content-Type-Options', 'nosniff');
      return headers;
    };
    const plain = (status: number, text: string): Response => {
      const headers = withPolicy();
      headers.set('Content-Type', 'text/plain; charset=utf-8');
      return new Response(text, { status, headers });
    };

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'Method not allowed');
    }
    const url = URL.canParse(request.url) ? new URL(request.url) : null;
    if (url?.protocol !== APP_URL.protocol || url.host !== APP_HOST) {
      return plain(400, 'Bad request');
    }
    const mediaName = archivedMediaName(url.pathname);
    if (mediaName !== null) {
      // Archived attachments: only names the archive recorded (random UUIDs), never a path.
      const media = files.mediaFile(mediaName);
      if (media === null || !(await isFile(media.path))) return plain(404, 'Not found');
      const file = await fetchFile(pathToFileURL(media.path).href);
      const headers = withPolicy(file.headers);
      headers.set('Content-Type', media.contentType);
      return new Response(file.body, { status: file.status, headers });
    }
    // `app://inlet` has an empty path outside Chromium's parser; it means the start page.
    const target = await resolveRendererFile(rendererDir, url.pathname || '/');
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

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}
