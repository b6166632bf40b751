/**
 * Attachment URLs come from third parties: only http(s) becomes a link or an image source, so a
 * `javascript:` or `file:` URL in a payload is shown as text at most.
 */
export function toSafeHttpUrl(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
