import type { Attachment, Message } from '../../../../shared/domain/schemas';
import { attachmentSource, toSafeHttpUrl } from '../../lib/safe-url';
import type { Thread } from '../../store/transitions';
import { attachmentKindOf } from './attachment-kind';

/** One picture or video of a conversation, as the viewer steps through them. */
export type GalleryItem = {
  /** The message's id and the attachment's index: unique, unlike the URL. */
  key: string;
  kind: 'image' | 'video';
  /** Inlet's archived copy when there is one, else the original http(s) URL. */
  src: string;
  /** Instagram's URL, for "Open original"; null for the owner's own files. */
  original: string | null;
  attachment: Attachment;
};

/**
 * The images and videos of `messages` (oldest first), in that order: what ←/→ move between in the
 * viewer. Removed messages and media with no loadable source are left out.
 */
export function galleryOfMessages(messages: readonly (Message | undefined)[]): GalleryItem[] {
  return messages.flatMap((message) => {
    if (message === undefined || message.isDeleted) return [];
    return message.attachments.flatMap((attachment, index): GalleryItem[] => {
      const kind = attachmentKindOf(attachment.type);
      const src = attachmentSource(attachment);
      if ((kind !== 'image' && kind !== 'video') || src === null) return [];
      const key = `${message.id}:${index}`;
      return [{ key, kind, src, original: toSafeHttpUrl(attachment.url), attachment }];
    });
  });
}

/** The loaded thread's images and videos, oldest first. */
export function galleryOf(thread: Thread | undefined): GalleryItem[] {
  if (thread === undefined) return [];
  return galleryOfMessages(thread.messageIds.map((id) => thread.messagesById[id]));
}
