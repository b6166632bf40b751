import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'inlet';

/**
 * This build's version, from Inlet's own package.json: the nearest one above this module whose
 * name is Inlet's. The depth differs between the source (main/core/), the bundles (out/main/ and
 * out/main/chunks/) and the packaged app (inside app.asar), so it is searched for, not assumed.
 */
export function readAppVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const version = versionAt(join(dir, 'package.json'));
    if (version !== null) return version;
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function versionAt(path: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
    return parsed.name === PACKAGE_NAME && typeof parsed.version === 'string'
      ? parsed.version
      : null;
  } catch {
    return null;
  }
}
