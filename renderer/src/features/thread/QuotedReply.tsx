import { useTranslation } from 'react-i18next';
import type { Attachment, Message } from '../../../../shared/domain/schemas';
import { attachmentSource } from '../../lib/safe-url';
import { brokenImageHandlers, useBrokenSource } from '../../lib/use-broken-source';
import { useApp } from '../../store/use-app';
import { attachmentKindName, attachmentKindOf } from './attachment-kind';

/**
 * The message this one quotes, above the bubble, as a compact preview: a thumbnail of its
 * picture, video or story, and one line of its text or, without text, its kind ("Image"). It
 * leads to the quoted message (as a search result does) when the archive has it; "a message" when
 * the archive knows nothing of it.
 */
export function QuotedReply({
  conversationId,
  replyTo,
}: {
  conversationId: string;
  replyTo: NonNullable<Message['replyTo']>;
}) {
  const { t } = useTranslation();
  const jumpToMessage = useApp((state) => state.jumpToMessage);
  const { attachment, messageId } = replyTo;
  const kind = attachment === null ? null : attachmentKindOf(attachment.type);
  const kindName =
    kind === null ? '' : kind === 'story' ? t('story.image') : attachmentKindName(kind, t);
  const line = replyTo.text !== null && replyTo.text !== '' ? replyTo.text : kindName;
  if (line === '') return <p className="quote quote--unknown">{t('quote.unknown')}</p>;

  const content = (
    <>
      {attachment !== null && <QuoteThumbnail attachment={attachment} />}
      <span className="quote__body">
        {/* The space is for assistive technology; the grid ignores it. */}
        <span className="quote__label">{t('quote.label')}</span>{' '}
        <span className="quote__text">{line}</span>
      </span>
    </>
  );
  if (messageId === null) return <p className="quote">{content}</p>;
  return (
    <button
      type="button"
      className="quote quote--link"
      title={t('quote.show')}
      onClick={() => void jumpToMessage({ conversationId, messageId })}
    >
      {content}
    </button>
  );
}

/** Kinds whose media the bubble shows as a picture or a video frame: they get a thumbnail. */
const PICTURED = new Set(['image', 'video', 'story']);

/**
 * A small picture of the quoted media, from the same source as its bubble (the archived copy,
 * else the original); nothing when it cannot be loaded. Decorative: the line beside it says what
 * it is.
 */
function QuoteThumbnail({ attachment }: { attachment: Attachment }) {
  const kind = attachmentKindOf(attachment.type);
  const src = PICTURED.has(kind) ? attachmentSource(attachment) : null;
  const [isBroken, markBroken] = useBrokenSource(src);
  if (src === null || isBroken) return null;
  if (kind === 'video') {
    // Its first frame stands for a poster: Instagram sends none.
    return (
      <video
        className="quote__thumbnail"
        src={src}
        preload="metadata"
        muted
        aria-hidden="true"
        onError={() => markBroken()}
      />
    );
  }
  return (
    <img
      className="quote__thumbnail"
      src={src}
      alt=""
      loading="lazy"
      referrerPolicy="no-referrer"
      {...brokenImageHandlers(markBroken)}
    />
  );
}
