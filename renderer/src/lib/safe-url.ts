import { ARCHIVED_MEDIA_PATH, type Attachment } from '../../../shared/domain/schemas';

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

/** Archived names are a UUID and an extension (main/core/archive/media-store.ts). */
const ARCHIVED_NAME = /^[0-9a-f-]{36}\.[a-z0-9]{1,5}$/;

/** `url` when it names a file of Inlet's archive, else null: nothing else is loaded from it. */
export function archivedSource(url: string | null | undefined): string | null {
  return url?.startsWith(ARCHIVED_MEDIA_PATH) === true &&
    ARCHIVED_NAME.test(url.slice(ARCHIVED_MEDIA_PATH.length))
    ? url
    : null;
}

/**
 * Where to load an attachment from: Inlet's own archived copy when there is one (Instagram's
 * links expire), else the original URL if it is http(s).
 */
export function attachmentSource(attachment: Attachment): string | null {
  return archivedSource(attachment.archivedUrl) ?? toSafeHttpUrl(attachment.url);
}
