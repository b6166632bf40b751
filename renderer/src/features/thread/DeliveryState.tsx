import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';
import { sayReason } from '../../i18n/localize';
import { formatDateTime, formatTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';

/**
 * The delivery state under an outgoing bubble, with the reason when Instagram refused it. "Seen"
 * replaces "Sent" on the newest message the customer has seen, like Instagram. "Sent" shows under
 * the newest outgoing message only (a messenger does not repeat it under every bubble); elsewhere
 * it is said to screen readers alone. Every other state (queued, sending, held, not confirmed,
 * failed) shows wherever it is: it is still moving or needs the owner.
 */
export function DeliveryState({
  message,
  isSeenMarker = false,
  isLatestOutgoing = true,
}: {
  message: Pick<Message, 'status' | 'error' | 'seenAt'>;
  isSeenMarker?: boolean;
  isLatestOutgoing?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  // Said inside a sentence of the delivery state, so main's English text is not marked apart.
  const reason = message.error === null ? null : (sayReason(message.error, t, i18n)?.words ?? null);
  switch (message.status) {
    case 'received':
      return null;
    case 'failed':
      return (
        <span className="delivery delivery--failed">
          {reason === null ? t('delivery.failedNoReason') : t('delivery.failed', { reason })}
        </span>
      );
    default:
  }
  if (isSeenMarker && message.seenAt !== null) {
    return (
      <span
        className="delivery delivery--seen"
        title={t('delivery.seenAt', { time: formatDateTime(message.seenAt, locale) })}
      >
        {t('delivery.seen')}
      </span>
    );
  }
  if (message.status === 'unknown') {
    // The reason says what Inlet is doing about it (checking now, or at the next start).
    return (
      <span className="delivery delivery--unknown" title={reason ?? t('delivery.unknownHint')}>
        {t('delivery.unknown')}
      </span>
    );
  }
  if (message.status === 'queued' && reason !== null) {
    // Held back, not refused: throttled until a time, or the account must be reconnected first.
    const until = message.error?.detail?.vars?.until;
    return (
      <span className="delivery delivery--held">
        {t('delivery.queuedWithReason', { reason })}
        {until !== undefined && (
          <> {t('delivery.heldUntil', { time: formatTime(until, locale) })}</>
        )}
      </span>
    );
  }
  const isQuiet = message.status === 'sent' && !isLatestOutgoing;
  return (
    <span className={`delivery delivery--${message.status}${isQuiet ? ' visually-hidden' : ''}`}>
      {t(`delivery.${message.status}`)}
    </span>
  );
}
