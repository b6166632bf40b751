import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';

/**
 * Retry and Delete under a message Instagram refused; "Send now when allowed" and Cancel under one
 * that is held. The outcome comes back as events (the bubble goes to queued or sending, or
 * disappears); only a refusal of the action itself is shown here.
 */
export function FailedMessageActions({
  messageId,
  isHeld = false,
}: {
  messageId: string;
  isHeld?: boolean;
}) {
  const { t } = useTranslation();
  const retry = useApp((state) => state.retryMessage);
  const sendNow = useApp((state) => state.sendHeldNow);
  const remove = useApp((state) => state.deleteMessage);
  const error = useApp((state) => state.messageActionErrors[messageId]);
  return (
    <span className="message__actions">
      <button
        type="button"
        className="button button--quiet button--small"
        onClick={() => void (isHeld ? sendNow(messageId) : retry(messageId))}
      >
        {t(isHeld ? 'delivery.sendNow' : 'delivery.retry')}
      </button>
      <button
        type="button"
        className="button button--quiet button--small"
        onClick={() => void remove(messageId)}
      >
        {t(isHeld ? 'delivery.cancel' : 'delivery.delete')}
      </button>
      {error !== undefined && (
        <span role="alert" className="delivery delivery--failed">
          {t('delivery.actionFailed', { reason: error.message })}
        </span>
      )}
    </span>
  );
}
