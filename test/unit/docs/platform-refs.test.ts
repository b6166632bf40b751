import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Code comments cite Instagram's behaviour as `docs/platform.md#anchor`. Every such link must land
 * on an anchor the document defines, and nothing may point at a document outside the repository.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const DOC = 'docs/platform.md';
const CODE_DIRS = ['main', 'shared', 'renderer', 'bench', 'test', 'bin', 'scripts'];
const CODE_FILE = /\.(?:[cm]?[jt]sx?|sh|css)$/;

function* codeFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* codeFiles(full);
    else if (CODE_FILE.test(entry.name)) yield full;
  }
}

/** Explicit `<a id="…">` anchors and the slugs GitHub gives headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  for (const [, heading] of markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    anchors.add(
      heading!
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

type Line = { where: string; text: string };

function codeLines(): Line[] {
  const lines: Line[] = [];
  for (const dir of CODE_DIRS) {
    for (const file of codeFiles(path.join(ROOT, dir))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, index) => {
          lines.push({ where: `${path.relative(ROOT, file)}:${index + 1}`, text });
        });
    }
  }
  return lines;
}

// This file names the patterns it forbids, so it is the one file they may appear in.
const SELF = path.relative(ROOT, import.meta.filename);
const lines = codeLines().filter((line) => !line.where.startsWith(`${SELF}:`));
const anchors = anchorsOf(readFileSync(path.join(ROOT, DOC), 'utf8'));

describe(DOC, () => {
  it('defines the anchors code points at', () => {
    const links = lines.flatMap(({ where, text }) =>
      [...text.matchAll(/docs\/platform\.md#([\w-]+)/g)].map(([, anchor]) => ({ where, anchor })),
    );
    expect(links.length).toBeGreaterThan(100);
    expect(links.filter(({ anchor }) => !anchors.has(anchor!))).toEqual([]);
  });

  it('is the only platform reference code cites: no section signs, no outside documents', () => {
    const outside =
      /§|instagram-platform\.md|\bAppendix A\b|\bSTYLE(?:\.md)? §?\d|\b(?:TOOLCHAIN|DEVELOPERS)(?:\.md)?\b/;
    expect(lines.filter(({ text }) => outside.test(text))).toEqual([]);
  });
});

describe('comments', () => {
  it('say why, not which issue: the history is in git log', () => {
    expect(lines.filter(({ text }) => /\bissues?\s*#?\d+/i.test(text))).toEqual([]);
  });
});
