import type { Attachment } from '../../../../shared/domain/schemas';
import { attachmentSource, toSafeHttpUrl } from '../../lib/safe-url';
import type { Thread } from '../../store/transitions';
import { attachmentKindOf } from './attachment-kind';

/** One picture or video of a conversation, as the viewer steps through them. */
export type GalleryItem = {
  kind: 'image' | 'video';
  /** Inlet's archived copy when there is one, else the original http(s) URL. */
  src: string;
  /** Instagram's URL, for "Open original"; null for the owner's own files. */
  original: string | null;
  attachment: Attachment;
};

/**
 * The conversation's images and videos, oldest first, as loaded: what ←/→ move between in the
 * viewer. Removed messages and media with no loadable source are left out.
 */
export function galleryOf(thread: Thread | undefined): GalleryItem[] {
  if (thread === undefined) return [];
  return thread.messageIds.flatMap((id) => {
    const message = thread.messagesById[id];
    if (message === undefined || message.isDeleted) return [];
    return message.attachments.flatMap((attachment): GalleryItem[] => {
      const kind = attachmentKindOf(attachment.type);
      const src = attachmentSource(attachment);
      if ((kind !== 'image' && kind !== 'video') || src === null) return [];
      return [{ kind, src, original: toSafeHttpUrl(attachment.url), attachment }];
    });
  });
}
