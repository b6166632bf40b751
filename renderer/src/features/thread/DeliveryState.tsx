import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';

/**
 * The delivery state under an outgoing bubble, with the reason when Instagram refused it. "Seen"
 * replaces "Sent" on the newest message the customer has seen, like Instagram.
 */
export function DeliveryState({
  message,
  isSeenMarker = false,
}: {
  message: Pick<Message, 'status' | 'error' | 'seenAt'>;
  isSeenMarker?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  switch (message.status) {
    case 'received':
      return null;
    case 'failed':
      return (
        <span className="delivery delivery--failed">
          {message.error === null || message.error.trim() === ''
            ? t('delivery.failedNoReason')
            : t('delivery.failed', { reason: message.error })}
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
      <span
        className="delivery delivery--unknown"
        title={message.error ?? t('delivery.unknownHint')}
      >
        {t('delivery.unknown')}
      </span>
    );
  }
  if (message.status === 'queued' && message.error !== null && message.error.trim() !== '') {
    // Held back, not refused: e.g. the account must be reconnected before anything goes out.
    return (
      <span className="delivery delivery--held">
        {t('delivery.queuedWithReason', { reason: message.error })}
      </span>
    );
  }
  return (
    <span className={`delivery delivery--${message.status}`}>
      {t(`delivery.${message.status}`)}
    </span>
  );
}
