import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Attachment } from '../../../../shared/domain/schemas';
import { toSafeHttpUrl } from '../../lib/safe-url';

/** Instagram's attachment `type` → the words shown for it. Unknown kinds stay visible, by name. */
function attachmentKind(type: string, t: TFunction): string {
  switch (type) {
    case 'image':
    case 'animated_image':
      return t('attachment.image');
    case 'video':
      return t('attachment.video');
    case 'audio':
      return t('attachment.audio');
    case 'file':
      return t('attachment.file');
    case 'share':
    case 'ig_post':
      return t('attachment.post');
    case 'reel':
    case 'ig_reel':
      return t('attachment.reel');
    case 'story_mention':
      return t('attachment.storyMention');
    case 'story_reply':
      return t('attachment.storyReply');
    default:
      return t('attachment.other', { type });
  }
}

const IMAGE_TYPES = new Set(['image', 'animated_image']);

export function AttachmentView({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation();
  // Instagram CDN links expire; a broken thumbnail falls back to a plain link.
  const [isImageBroken, setImageBroken] = useState(false);
  const kind = attachmentKind(attachment.type, t);
  const href = toSafeHttpUrl(attachment.url);
  const label = attachment.title === null ? kind : `${kind}: ${attachment.title}`;

  if (href === null) {
    return (
      <p className="attachment attachment--missing">
        {t('attachment.unavailable', { kind: label })}
      </p>
    );
  }
  if (IMAGE_TYPES.has(attachment.type) && !isImageBroken) {
    return (
      <a className="attachment attachment--image" href={href} target="_blank" rel="noreferrer">
        <img
          src={href}
          alt={label}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setImageBroken(true)}
        />
      </a>
    );
  }
  return (
    <a
      className="attachment attachment--link"
      href={href}
      target="_blank"
      rel="noreferrer"
      data-attachment-type={attachment.type}
    >
      {label}
    </a>
  );
}
