import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';

/** The message this one quotes, above the bubble; "a message" when the archive does not have it. */
export function QuotedReply({ replyTo }: { replyTo: NonNullable<Message['replyTo']> }) {
  const { t } = useTranslation();
  if (replyTo.text === null || replyTo.text === '') {
    return <p className="quote quote--unknown">{t('quote.unknown')}</p>;
  }
  return (
    <figure className="quote">
      <figcaption className="quote__label">{t('quote.label')}</figcaption>
      <blockquote className="quote__text">{replyTo.text}</blockquote>
    </figure>
  );
}
