import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';

/** The delivery state under an outgoing bubble, with the reason when Instagram refused it. */
export function DeliveryState({ message }: { message: Pick<Message, 'status' | 'error'> }) {
  const { t } = useTranslation();
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
    case 'unknown':
      return (
        <span className="delivery delivery--unknown" title={t('delivery.unknownHint')}>
          {t('delivery.unknown')}
        </span>
      );
    default:
      return (
        <span className={`delivery delivery--${message.status}`}>
          {t(`delivery.${message.status}`)}
        </span>
      );
  }
}
