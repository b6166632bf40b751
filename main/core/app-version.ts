import { readFileSync } from 'node:fs';

/**
 * This build's version, from the package.json beside the built app. The bundles live in out/main/
 * and this source in main/core/, both two folders below it (inside app.asar when packaged).
 */
export function readAppVersion(): string {
  try {
    const parsed = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
