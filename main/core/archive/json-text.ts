/**
 * A JSON text the archive wrote (a column, a cursor), or null when it is absent or not JSON: a
 * damaged value reads as missing and the caller's schema decides what that means.
 */
export function parseJsonOrNull(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
