import { memo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useApp } from '../../store/use-app';
import { ContextLine } from './ContextLine';
import { DeliveryState } from './DeliveryState';
import { FailedMessageActions } from './FailedMessageActions';
import { MessageActions } from './MessageActions';
import { MessageContent } from './MessageContent';
import { endsRun, type RunPosition } from './day-groups';
import { QuotedReply } from './QuotedReply';
import { Reactions } from './Reactions';

/**
 * One message; subscribes to itself only, so a status change re-renders one bubble. `isSeenMarker`
 * and `isLatestOutgoing` come from the log, which alone knows which outgoing message is the newest
 * one seen and the newest one of all.
 */
export const MessageBubble = memo(function MessageBubble({
  conversationId,
  id,
  isSeenMarker = false,
  isLatestOutgoing = false,
  runPosition = 'single',
}: {
  conversationId: string;
  id: string;
  isSeenMarker?: boolean;
  isLatestOutgoing?: boolean;
  runPosition?: RunPosition | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const message = useApp((state) => state.threads[conversationId]?.messagesById[id]);
  const isHighlighted = useApp((state) => state.focusedMessageId === id);
  const setReplyTarget = useApp((state) => state.setReplyTarget);
  const [isMenuOpen, setMenuOpen] = useState(false);
  if (message === undefined) return null;
  // Catch-up could not recover everything here: a marker across the thread, not a bubble.
  if (message.context?.kind === 'gap') {
    return (
      <p className="message-gap" role="note" data-testid="gap" data-message-id={message.id}>
        {t('context.gap')}
      </p>
    );
  }
  const isVisible = !message.isDeleted;
  // On the focused message itself (not a button inside it): `r` quotes it, `.` opens its menu.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === 'r' && isVisible && message.mid !== null) {
      event.preventDefault();
      setReplyTarget(message.conversationId, message.id);
      document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
    } else if (event.key === '.' && isVisible) {
      event.preventDefault();
      setMenuOpen(true);
    }
  };

  return (
    <div
      className={`message message--${message.direction}${message.isDeleted ? ' message--unsent' : ''}`}
      data-testid="message"
      data-direction={message.direction}
      data-status={message.status}
      data-message-id={message.id}
      data-run={runPosition}
      // A search result just landed here.
      data-highlighted={isHighlighted ? 'true' : undefined}
      data-menu-open={isMenuOpen ? 'true' : undefined}
      // Focusable from script: search results and ↑/↓ in the log land on a message.
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        if (!isVisible) return;
        event.preventDefault();
        setMenuOpen(true);
      }}
    >
      {isVisible && message.context !== null && <ContextLine context={message.context} />}
      {isVisible && message.replyTo !== null && (
        <QuotedReply conversationId={message.conversationId} replyTo={message.replyTo} />
      )}
      <div
        className="message__bubble"
        title={endsRun(runPosition) ? undefined : formatDateTime(message.at, locale)}
      >
        <MessageContent message={message} />
      </div>
      {isVisible && (
        <MessageActions message={message} isMenuOpen={isMenuOpen} onMenuOpenChange={setMenuOpen} />
      )}
      {isVisible && message.reactions.length > 0 && <Reactions reactions={message.reactions} />}
      <div className="message__meta">
        {/* A run shows its time once, under its last bubble; the others keep theirs for screen
            readers and show the full date and time on hover of the bubble. */}
        <time
          className={endsRun(runPosition) ? undefined : 'visually-hidden'}
          dateTime={new Date(message.at).toISOString()}
          title={formatDateTime(message.at, locale)}
        >
          {formatTime(message.at, locale)}
        </time>
        {isVisible && message.editCount > 0 && (
          <span
            className="message__edited"
            title={t('thread.editedTimes', { count: message.editCount })}
          >
            {t('thread.edited')}
          </span>
        )}
        {message.direction === 'out' && (
          <DeliveryState
            message={message}
            isSeenMarker={isSeenMarker}
            isLatestOutgoing={isLatestOutgoing}
          />
        )}
        {message.direction === 'out' && message.status === 'failed' && (
          <FailedMessageActions messageId={message.id} />
        )}
        {/* Held with a reason (throttled, or waiting for a login): the owner may try now or cancel. */}
        {message.direction === 'out' && message.status === 'queued' && message.error !== null && (
          <FailedMessageActions messageId={message.id} isHeld />
        )}
        {message.isFromOtherApp && (
          <span className="message__origin">{t('thread.fromInstagramApp')}</span>
        )}
      </div>
    </div>
  );
});
