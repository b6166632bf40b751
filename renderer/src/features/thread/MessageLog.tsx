import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDayLabel } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useNow } from '../../lib/use-now';
import { EMPTY_THREAD } from '../../store/transitions';
import { useApp } from '../../store/use-app';
import { ErrorMessage } from '../../components/ErrorMessage';
import { groupByDay, runPositions } from './day-groups';
import { MessageBubble } from './MessageBubble';
import { lastSeenOutgoingId } from './seen';
import { useStickToBottom } from './use-stick-to-bottom';

export function MessageLog({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const thread = useApp((state) => state.threads[conversationId] ?? EMPTY_THREAD);
  const loadThread = useApp((state) => state.loadThread);
  const loadOlder = useApp((state) => state.loadOlderMessages);
  const logRef = useRef<HTMLDivElement>(null);
  const onScroll = useStickToBottom(logRef, thread.messageIds.at(-1));
  const { messageIds, messagesById } = thread;
  const days = useMemo(() => groupByDay(messageIds, messagesById), [messageIds, messagesById]);
  const runs = useMemo(() => runPositions(messageIds, messagesById), [messageIds, messagesById]);
  const seenId = useMemo(
    () => lastSeenOutgoingId(messageIds, messagesById),
    [messageIds, messagesById],
  );

  const focusedId = useApp((state) => state.focusedMessageId);
  const hasFocused = focusedId !== null && messagesById[focusedId] !== undefined;
  useEffect(() => {
    if (!hasFocused) return;
    const element = logRef.current?.querySelector<HTMLElement>(
      `[data-message-id="${CSS.escape(focusedId)}"]`,
    );
    element?.scrollIntoView({ block: 'center' });
    element?.focus({ preventScroll: true });
  }, [focusedId, hasFocused]);

  const isEmpty = messageIds.length === 0;
  return (
    <div
      ref={logRef}
      className="message-log"
      role="log"
      aria-label={t('thread.messages')}
      aria-busy={thread.load.phase === 'loading'}
      // Focusable so keyboard users can scroll the history.
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={moveBetweenMessages}
    >
      {thread.olderCursor !== null && (
        <button
          type="button"
          className="button button--quiet message-log__older"
          disabled={thread.isLoadingOlder}
          onClick={() => void loadOlder(conversationId)}
        >
          {t('thread.loadOlder')}
        </button>
      )}
      {isEmpty && thread.load.phase === 'loading' && (
        <p className="message-log__note">{t('thread.loading')}</p>
      )}
      {isEmpty && thread.load.phase === 'ready' && (
        <p className="message-log__note">{t('thread.empty')}</p>
      )}
      {thread.load.phase === 'error' && (
        <div className="message-log__note">
          <ErrorMessage title={t('thread.loadFailed')} error={thread.load.error} />
          <button type="button" className="button" onClick={() => void loadThread(conversationId)}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {days.map((day) => (
        <div key={day.dayKey} className="day">
          <h3 className="day__label">{formatDayLabel(day.at, now, locale)}</h3>
          {day.messageIds.map((id) => (
            <MessageBubble
              key={id}
              conversationId={conversationId}
              id={id}
              isSeenMarker={id === seenId}
              runPosition={runs.get(id)}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

/** ↑/↓ (or k/j) move focus from message to message inside the log; Home/End jump to the ends. */
function moveBetweenMessages(event: KeyboardEvent<HTMLDivElement>): void {
  const keys: Record<string, number> = { ArrowUp: -1, k: -1, ArrowDown: 1, j: 1 };
  const isEnd = event.key === 'Home' || event.key === 'End';
  if (!(event.key in keys) && !isEnd) return;
  const messages = Array.from(
    event.currentTarget.querySelectorAll<HTMLElement>('[data-testid="message"]'),
  );
  if (messages.length === 0) return;
  const current = messages.indexOf(document.activeElement as HTMLElement);
  const target = isEnd
    ? event.key === 'Home'
      ? 0
      : messages.length - 1
    : current === -1
      ? messages.length - 1
      : Math.min(Math.max(current + (keys[event.key] ?? 0), 0), messages.length - 1);
  event.preventDefault();
  event.stopPropagation(); // j/k here mean messages, not conversations
  messages[target]?.focus();
}
