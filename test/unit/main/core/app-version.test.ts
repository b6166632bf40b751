import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readAppVersion } from '../../../../main/core/app-version';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** An app folder with Inlet's package.json at its top and a bundle `depth` folders below it. */
function bundleAt(depth: number, packages: Record<string, object>): string {
  const root = mkdtempSync(join(tmpdir(), 'inlet-version-'));
  roots.push(root);
  for (const [dir, json] of Object.entries(packages)) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify(json));
  }
  const bundleDir = join(root, ...Array.from({ length: depth }, (_, n) => `level${n}`));
  mkdirSync(bundleDir, { recursive: true });
  return pathToFileURL(join(bundleDir, 'bundle.js')).href;
}

describe('the version About and diagnostics show', () => {
  it('is the source’s own package version', () => {
    expect(readAppVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is found from a bundle however deep it sits (out/main/chunks/ as well as out/main/)', () => {
    expect(readAppVersion(bundleAt(2, { '.': { name: 'inlet', version: '1.4.2' } }))).toBe('1.4.2');
    expect(readAppVersion(bundleAt(3, { '.': { name: 'inlet', version: '1.4.2' } }))).toBe('1.4.2');
  });

  it('skips package.json files that are not Inlet’s, and says unknown when there is none', () => {
    const url = bundleAt(2, {
      '.': { name: 'inlet', version: '2.0.0' },
      level0: { type: 'module' },
    });
    expect(readAppVersion(url)).toBe('2.0.0');
    expect(readAppVersion(bundleAt(1, { '.': { name: 'someone-else', version: '9.9.9' } }))).toBe(
      'unknown',
    );
  });
});
