import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';
import { useApp } from '../../store/use-app';
import { useDeveloperIfAny } from '../developer/developer-client';

/** React with ❤️ (or take it back) and quote in a reply: only for messages that are on Instagram. */
export function MessageActions({ message }: { message: Message }) {
  const { t } = useTranslation();
  const toggleReaction = useApp((state) => state.toggleReaction);
  const setReplyTarget = useApp((state) => state.setReplyTarget);
  const error = useApp((state) => state.reactionErrors[message.id]);
  const developer = useDeveloperIfAny();
  const hasMine = message.reactions.some((reaction) => reaction.by === 'business');
  return (
    <span className="message__actions">
      <button
        type="button"
        className="button button--quiet button--small"
        aria-pressed={hasMine}
        onClick={() => void toggleReaction(message.id)}
      >
        {hasMine ? t('sending.unreact') : t('sending.react')}
      </button>
      <button
        type="button"
        className="button button--quiet button--small"
        onClick={() => setReplyTarget(message.conversationId, message.id)}
      >
        {t('sending.reply')}
      </button>
      {developer?.isEnabled && (
        <button
          type="button"
          className="button button--quiet button--small"
          onClick={() =>
            developer.viewWebhook({ messageId: message.id, conversationId: message.conversationId })
          }
        >
          {t('developer.viewWebhook')}
        </button>
      )}
      {error !== undefined && (
        <span role="alert" className="delivery delivery--failed">
          {t('sending.reactionFailed', { reason: error.message })}
        </span>
      )}
    </span>
  );
}
