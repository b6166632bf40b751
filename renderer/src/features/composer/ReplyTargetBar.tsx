import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';

/** "Replying to …" above the composer while the next reply quotes a message. */
export function ReplyTargetBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const target = useApp((state) => {
    const id = state.replyTargets[conversationId];
    return id === undefined ? undefined : state.threads[conversationId]?.messagesById[id];
  });
  const setReplyTarget = useApp((state) => state.setReplyTarget);
  if (target === undefined) return null;
  const quoted = target.text ?? t('sending.replyToAttachment');
  return (
    <p className="composer__reply-target">
      <span>{t('sending.replyingTo', { text: quoted.slice(0, 80) })}</span>{' '}
      <button
        type="button"
        className="button button--quiet button--small"
        onClick={() => setReplyTarget(conversationId, null)}
      >
        {t('sending.cancelReply')}
      </button>
    </p>
  );
}
