/**
 * Instagram ids are digit strings that can exceed 2^53, and some endpoints send them as JSON
 * numbers (the token exchange's `user_id`, docs/platform.md#token-exchange). `JSON.parse` rounds
 * those silently, so every Graph response goes through this parser instead.
 */

/**
 * `id`, `igsid` and every `*_id` key (`user_id`, `recipient_id`, `comment_id`,
 * `ig_post_media_id`…).
 */
const ID_KEY = /^(?:id|igsid)$|_id$/;
const INTEGER_LITERAL = /^-?\d+$/;

/** The third reviver argument (V8 ≥ 11.4: Node ≥ 22, Electron ≥ 25). */
type ReviverContext = { source?: string };

/**
 * `JSON.parse`, except that an integer under an id-like key, and any integer beyond
 * `Number.MAX_SAFE_INTEGER`, comes back as its exact source text. Throws `SyntaxError` on bad JSON.
 */
export function parseJsonPreservingIds(text: string): unknown {
  return JSON.parse(text, function revive(key: string, value: unknown, context?: ReviverContext) {
    if (typeof value !== 'number') return value;
    const isIdKey = ID_KEY.test(key);
    if (isIdKey || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
      const source = context?.source;
      // Without the source text an id would be rounded without anyone noticing: refuse instead.
      if (source === undefined) throw new Error('This runtime cannot read JSON number sources');
      if (INTEGER_LITERAL.test(source)) return source;
    }
    return value;
  }) as unknown;
}
