import type { SearchHit } from '../../../../shared/ipc/search-contract';

/** One conversation's hits, in the order main gave them (newest first). */
export type HitGroup = { conversationId: string; hits: SearchHit[] };

/** Groups hits by conversation; the groups keep the order of their newest hit. */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  const groups = new Map<string, HitGroup>();
  for (const hit of hits) {
    const group = groups.get(hit.conversationId);
    if (group === undefined)
      groups.set(hit.conversationId, { conversationId: hit.conversationId, hits: [hit] });
    else group.hits.push(hit);
  }
  return [...groups.values()];
}

/** Lower case without accents, as the index compares words (unicode61, remove_diacritics). */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Marks the words of a name that a query word is a prefix of, the way main matched them: a name
 * found for "tom" shows "Tom" marked. Returns the parts Snippet renders.
 */
export function markNameMatches(name: string, query: string): { text: string; isMatch: boolean }[] {
  const wanted = query
    .split(/[\s"]+/u)
    .flatMap((word) => fold(word).split(/[^\p{L}\p{N}]+/u))
    .filter((word) => word !== '');
  const parts: { text: string; isMatch: boolean }[] = [];
  // Words and what lies between them, so the name is rebuilt exactly.
  for (const piece of name.split(/([\p{L}\p{N}\p{M}]+)/u)) {
    if (piece === '') continue;
    const isMatch =
      /[\p{L}\p{N}]/u.test(piece) && wanted.some((word) => fold(piece).startsWith(word));
    const last = parts.at(-1);
    if (last !== undefined && last.isMatch === isMatch) last.text += piece;
    else parts.push({ text: piece, isMatch });
  }
  return parts;
}
