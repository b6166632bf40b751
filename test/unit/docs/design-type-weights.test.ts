import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md's type scale has two weights, 400 and 600, held by the tokens `--weight-regular` and
 * `--weight-strong`; a number written in a stylesheet is how a third weight creeps back in.
 */
const ROOT = join(import.meta.dirname, '../../../renderer/src');
const sheets = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.css'))
  .map((path) => [path, readFileSync(join(ROOT, path), 'utf8')] as const);

describe('font weights in the stylesheets', () => {
  it('finds the stylesheets', () => {
    expect(sheets.length).toBeGreaterThan(5);
  });

  it('come from the type tokens only', () => {
    const strays = sheets.flatMap(([path, css]) =>
      [...css.matchAll(/font-weight:\s*([^;]+);/g)]
        .map((match) => match[1]?.trim() ?? '')
        .filter((value) => !/^var\(--weight-(regular|strong)\)$/.test(value))
        .map((value) => `${path}: ${value}`),
    );
    expect(strays).toEqual([]);
  });

  it('defines the tokens as DESIGN.md’s 400 and 600', () => {
    const tokens = sheets.find(([path]) => path.endsWith('tokens.css'))?.[1] ?? '';
    expect(tokens).toMatch(/--weight-regular:\s*400;/);
    expect(tokens).toMatch(/--weight-strong:\s*600;/);
  });
});
