import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Which file of the built renderer a request names, for both shells (`app://inlet/…` on the
 * desktop, `inlet serve` headless). The bundle is public, but nothing outside `rendererDir` ever
 * is: each path segment is decoded once and refused if it could climb out or means something
 * special to a file system, the joined path must lie inside the folder, and so must the file's
 * real location once symlinks are resolved.
 */

export const INDEX_FILE = 'index.html';

export type RendererFile =
  | { kind: 'file'; filePath: string; size: number; isIndex: boolean }
  | { kind: 'bad-request' }
  | { kind: 'not-found' }
  | { kind: 'not-built' };

/**
 * Decodes the path of an origin-form request target (`/a/b?query#fragment`) into segments, or
 * null when it must be refused: not origin-form, undecodable, NUL, backslashes (a separator on
 * Windows), encoded slashes, or `.`/`..` segments, whether literal or percent-encoded.
 */
export function parseRequestPath(target: string): string[] | null {
  if (!target.startsWith('/')) return null;
  const segments: string[] = [];
  const pathPart = target.split(/[?#]/, 1)[0] ?? '';
  for (const raw of pathPart.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

export async function resolveRendererFile(
  rendererDir: string,
  target: string,
): Promise<RendererFile> {
  const root = path.resolve(rendererDir);
  const indexPath = path.join(root, INDEX_FILE);
  const index = await regularFile(indexPath);
  if (index === null) return { kind: 'not-built' };

  const segments = parseRequestPath(target);
  if (segments === null) return { kind: 'bad-request' };
  const realRoot = await realpath(root);
  const serve = async (filePath: string, size: number): Promise<RendererFile> => {
    // A symlink inside the build could still point anywhere: compare real locations too.
    const real = await realpath(filePath).catch(() => null);
    return real !== null && isInside(realRoot, real)
      ? { kind: 'file', filePath, size, isIndex: filePath === indexPath }
      : { kind: 'not-found' };
  };

  if (segments.length === 0) return serve(indexPath, index.size);
  // Dotfiles are never part of a Vite build; refusing them keeps stray `.env`-like files private.
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };
  const candidate = path.join(root, ...segments);
  if (!isInside(root, candidate)) return { kind: 'bad-request' };
  // `:` names drive letters and NTFS streams on Windows, and no built file has one; client-side
  // routes may (conversation ids are `account:customer`), so such paths skip the file system.
  const mayBeFile = !segments.some((segment) => segment.includes(':'));
  const file = mayBeFile ? await regularFile(candidate) : null;
  if (file !== null) return serve(candidate, file.size);
  // Client-side routes (`/conversations/42`) have no extension: the single-page app handles them.
  return path.extname(segments.at(-1) ?? '') === ''
    ? serve(indexPath, index.size)
    : { kind: 'not-found' };
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
