import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../../shared/domain/schemas';
import { attachmentSource, toSafeHttpUrl } from '../../lib/safe-url';
import { attachmentKindName, attachmentKindOf } from './attachment-kind';
import { FileAttachment } from './attachments/FileAttachment';
import { ImageAttachment } from './attachments/ImageAttachment';
import { Placeholder } from './attachments/Placeholder';
import { PlayableAttachment } from './attachments/PlayableAttachment';
import { ShareCard } from './attachments/ShareCard';
import { StoryPreview } from './StoryPreview';

/** One attachment, by what it is. Story mentions are drawn by the bubble from `message.story`. */
export function AttachmentView({
  attachment,
  direction,
}: {
  attachment: Attachment;
  direction: 'in' | 'out';
}) {
  const { t } = useTranslation();
  const kind = attachmentKindOf(attachment.type);
  const href = toSafeHttpUrl(attachment.url);
  // Media plays from the archived copy; shares and posts keep linking to Instagram.
  const source = attachmentSource(attachment);
  const name = attachmentKindName(kind, t);
  const label =
    attachment.title === null
      ? name
      : t('attachment.withTitle', { kind: name, title: attachment.title });

  switch (kind) {
    case 'ephemeral':
      return <Placeholder text={t('attachment.ephemeral')} type={attachment.type} />;
    case 'unsupported':
      return <Placeholder text={t('attachment.unsupported')} type={attachment.type} />;
    case 'story':
      return <StoryPreview kind="mention" url={attachment.url} direction={direction} />;
    case 'post':
    case 'reel':
      return (
        <ShareCard
          kindLabel={name}
          caption={attachment.title}
          href={href}
          linkLabel={t('attachment.openOnInstagram')}
        />
      );
    case 'link':
    case 'template':
      return (
        <ShareCard
          kindLabel={name}
          caption={attachment.title}
          href={href}
          linkLabel={t('attachment.openLink')}
        />
      );
    default:
  }
  // A file the owner attached shows from the archive's copy (`source`); when there is none (a
  // kind the archive does not keep), by name: Instagram fetched it from Inlet, there is no link.
  if (source === null && attachment.url?.startsWith('/media/out/') === true) {
    return <p className="attachment">{t('sending.sentFromDisk', { kind: label })}</p>;
  }
  if (source === null) {
    return (
      <p className="attachment attachment--missing">
        {t('attachment.unavailable', { kind: label })}
      </p>
    );
  }
  switch (kind) {
    case 'image':
      return <ImageAttachment src={source} href={href} label={label} />;
    case 'video':
    case 'audio':
      return <PlayableAttachment kind={kind} src={source} href={href} label={label} />;
    case 'file':
      // A download link leaves the app (ExternalLink): it points at Instagram's URL.
      return <FileAttachment href={href ?? source} title={attachment.title} />;
  }
}
