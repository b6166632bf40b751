import { toSafeHttpUrl } from './safe-url';

export type TextPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Explicit http(s) URLs and bare `www.` hosts; anything else (javascript:, data:, mailto:) stays text.
const CANDIDATE = /(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?'"’”»]+$/u;
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Splits message text into plain runs and links, for rendering as React children: no HTML is
 * ever built from customer text. Only URLs that parse as http(s) become links.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainStart = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = trimUrl(match[0]);
    const start = match.index;
    const href = toSafeHttpUrl(/^www\./i.test(raw) ? `https://${raw}` : raw);
    if (href === null || raw === '') continue;
    if (start > plainStart) parts.push({ kind: 'text', text: text.slice(plainStart, start) });
    parts.push({ kind: 'link', text: raw, href });
    plainStart = start + raw.length;
  }
  if (plainStart < text.length) parts.push({ kind: 'text', text: text.slice(plainStart) });
  return parts;
}

/** "(see https://x.y/a)." → "https://x.y/a": sentence punctuation and unmatched closers are not part of it. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const trimmed = url.replace(TRAILING_PUNCTUATION, '');
    const last = trimmed.at(-1);
    const opener = last === undefined ? undefined : CLOSERS[last];
    if (opener !== undefined && count(trimmed, last ?? '') > count(trimmed, opener)) {
      url = trimmed.slice(0, -1);
      continue;
    }
    return trimmed;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
