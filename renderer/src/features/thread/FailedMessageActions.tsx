import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';

/**
 * Retry and Delete under a message Instagram refused. The outcome comes back as events (the
 * bubble goes to queued, or disappears); only a refusal of the action itself is shown here.
 */
export function FailedMessageActions({ messageId }: { messageId: string }) {
  const { t } = useTranslation();
  const retry = useApp((state) => state.retryMessage);
  const remove = useApp((state) => state.deleteMessage);
  const error = useApp((state) => state.messageActionErrors[messageId]);
  return (
    <span className="message__actions">
      <button
        type="button"
        className="button button--quiet button--small"
        onClick={() => void retry(messageId)}
      >
        {t('delivery.retry')}
      </button>
      <button
        type="button"
        className="button button--quiet button--small"
        onClick={() => void remove(messageId)}
      >
        {t('delivery.delete')}
      </button>
      {error !== undefined && (
        <span role="alert" className="delivery delivery--failed">
          {t('delivery.actionFailed', { reason: error.message })}
        </span>
      )}
    </span>
  );
}
