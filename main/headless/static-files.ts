import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Maps request paths of `inlet serve` onto the built renderer. The bundle is public, but nothing
 * outside `rendererDir` ever is: every path is decoded once, refused if it could climb out or
 * means something special to a file system, and checked again after symlinks are resolved.
 */

export const INDEX_FILE = 'index.html';

export type StaticTarget =
  | { kind: 'file'; filePath: string; size: number; isIndex: boolean }
  | { kind: 'bad-request' }
  | { kind: 'not-found' }
  | { kind: 'not-built' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** Unknown types go out as opaque bytes; with `nosniff` the browser will not guess a script. */
export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Decodes the path of a request target into segments, or null when it must be refused:
 * not origin-form, undecodable, NUL, backslashes (a separator on Windows), or `.`/`..` segments,
 * whether they arrived literally or percent-encoded.
 */
export function parseRequestPath(rawUrl: string): string[] | null {
  if (!rawUrl.startsWith('/')) return null;
  const rawPath = rawUrl.slice(0, indexOfAny(rawUrl, '?#'));
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (/[\0\\]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  return segments;
}

export async function resolveStaticFile(
  rendererDir: string,
  rawUrl: string,
): Promise<StaticTarget> {
  const root = path.resolve(rendererDir);
  const indexPath = path.join(root, INDEX_FILE);
  const index = await regularFile(indexPath);
  if (!index) return { kind: 'not-built' };

  const segments = parseRequestPath(rawUrl);
  if (segments === null) return { kind: 'bad-request' };
  const toIndex = { kind: 'file', filePath: indexPath, size: index.size, isIndex: true } as const;
  if (segments.length === 0) return toIndex;
  // Dotfiles are never part of a Vite build; refusing them keeps stray `.env`-like files private.
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };

  const candidate = path.join(root, ...segments);
  if (!isInside(root, candidate)) return { kind: 'bad-request' };
  // `:` names drive letters and NTFS streams on Windows, and no built file has one; client-side
  // routes may (conversation ids are `account:customer`), so such paths skip the file system.
  const mayBeFile = !segments.some((segment) => segment.includes(':'));
  const file = mayBeFile ? await regularFile(candidate) : null;
  if (file) {
    // A symlink inside the build could still point anywhere: compare real locations too.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return { kind: 'not-found' };
    return { kind: 'file', filePath: candidate, size: file.size, isIndex: candidate === indexPath };
  }
  // Client-side routes (`/conversations/42`) have no extension: the single-page app handles them.
  const last = segments[segments.length - 1] ?? '';
  return path.extname(last) === '' ? toIndex : { kind: 'not-found' };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  const climbsOut = relative === '..' || relative.startsWith(`..${path.sep}`);
  return relative !== '' && !climbsOut && !path.isAbsolute(relative);
}

async function regularFile(filePath: string): Promise<{ size: number } | null> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? { size: info.size } : null;
  } catch {
    return null;
  }
}

function indexOfAny(text: string, characters: string): number {
  const positions = [...characters].map((c) => text.indexOf(c)).filter((i) => i >= 0);
  return positions.length === 0 ? text.length : Math.min(...positions);
}
