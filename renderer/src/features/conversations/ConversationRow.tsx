import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar';
import { RelativeTime } from '../../components/RelativeTime';
import { useApp } from '../../store/use-app';
import { ReplyWindow } from '../triage/ReplyWindow';
import { customerNames } from './customer-name';
import { previewText } from './preview-text';

/**
 * Parts of the row are inline spans laid out by CSS grid; spoken, they would run together
 * ("Jane Doe5 min. ago"), so a pause is inserted that only assistive technology hears.
 */
const Pause = () => (
  <>
    {/* The space sits outside the hidden span: a grid ignores it visually, names keep it. */}
    <span className="visually-hidden">,</span>{' '}
  </>
);

/** One row; subscribes to its own conversation only, so an event re-renders one row. */
export const ConversationRow = memo(function ConversationRow({ id }: { id: string }) {
  const { t } = useTranslation();
  const conversation = useApp((state) => state.conversationsById[id]);
  const labels = useApp((state) => state.triageById[id]?.labels);
  const isSelected = useApp((state) => state.selectedConversationId === id);
  const selectConversation = useApp((state) => state.selectConversation);
  if (conversation === undefined) return null;

  const { primary, handle } = customerNames(conversation, t);
  const unread = conversation.unreadCount;
  // DOM order is reading order (name, handle, preview, time, unread); the grid places them.
  return (
    <button
      type="button"
      className="conversation"
      data-testid="conversation"
      data-conversation-id={id}
      aria-current={isSelected ? 'true' : undefined}
      onClick={() => selectConversation(id)}
    >
      <Avatar name={primary} seed={conversation.customerId} src={conversation.customerPictureUrl} />
      <span className="conversation__body">
        <span className="conversation__name" dir="auto">
          {primary}
        </span>
        {handle !== null && (
          <>
            <Pause />
            <span className="conversation__handle">{handle}</span>
          </>
        )}
        <Pause />
        <span className={unread > 0 ? 'conversation__preview is-unread' : 'conversation__preview'}>
          {/* A failed or held reply must not pass for an ordinary preview. */}
          {conversation.sendProblem !== null && (
            <>
              <span className="conversation__problem" data-testid="send-problem">
                {t(
                  conversation.sendProblem === 'failed'
                    ? 'conversations.sendFailed'
                    : 'conversations.sendHeld',
                )}
                <span className="visually-hidden">:</span>
              </span>{' '}
            </>
          )}
          {/* Isolated, so a right-to-left preview does not reorder the marker before it. */}
          <bdi>{previewText(conversation.lastMessagePreview, t)}</bdi>
        </span>
        <Pause />
        <RelativeTime className="conversation__time" at={conversation.lastMessageAt} />
        <span className="conversation__meta">
          <ReplyWindow conversation={conversation} variant="pill" pause={<Pause />} />
          {labels?.map((label) => (
            <span key={label} className="label label--small">
              <Pause />
              {label}
            </span>
          ))}
        </span>
        {unread > 0 && (
          <>
            <Pause />
            <span className="conversation__badge badge">
              <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
              <span className="visually-hidden">
                {t('conversations.unread', { count: unread })}
              </span>
            </span>
          </>
        )}
      </span>
    </button>
  );
});
