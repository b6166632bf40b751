import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useApp } from '../../store/use-app';
import { AttachmentView } from './AttachmentView';
import { DeliveryState } from './DeliveryState';

/** One message; subscribes to itself only, so a status change re-renders one bubble. */
export const MessageBubble = memo(function MessageBubble({
  conversationId,
  id,
}: {
  conversationId: string;
  id: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const message = useApp((state) => state.threads[conversationId]?.messagesById[id]);
  if (message === undefined) return null;

  return (
    <div
      className={`message message--${message.direction}`}
      data-testid="message"
      data-direction={message.direction}
      data-status={message.status}
      data-message-id={message.id}
    >
      <div className="message__bubble">
        {message.text !== null && message.text !== '' && (
          <p className="message__text">{message.text}</p>
        )}
        {message.attachments.map((attachment, index) => (
          // Attachments have no id of their own and never reorder within a message.
          <AttachmentView key={index} attachment={attachment} />
        ))}
      </div>
      <div className="message__meta">
        <time
          dateTime={new Date(message.at).toISOString()}
          title={formatDateTime(message.at, locale)}
        >
          {formatTime(message.at, locale)}
        </time>
        {message.direction === 'out' && <DeliveryState message={message} />}
        {message.isFromOtherApp && (
          <span className="message__origin">{t('thread.fromInstagramApp')}</span>
        )}
      </div>
    </div>
  );
});
