import { Check, Clock, RotateCcw } from 'lucide-react';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar';
import { IconButton } from '../../components/Button';
import { Menu, MenuItem } from '../../components/Menu';
import { RelativeTime } from '../../components/RelativeTime';
import { useApp } from '../../store/use-app';
import { ReplyWindow } from '../triage/ReplyWindow';
import { snoozeChoices, type SnoozeChoice } from '../triage/snooze-choices';
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
  // The quick actions are drawn once the pointer first comes over the row (CSS shows them while
  // it is there): a burst re-renders dozens of rows a second, and their buttons and menu were
  // most of a row's cost.
  const [wasPointedAt, setPointedAt] = useState(false);
  if (conversation === undefined) return null;

  const { primary, handle } = customerNames(conversation, t);
  const unread = conversation.unreadCount;
  // DOM order is reading order (name, handle, preview, time, unread); the grid places them.
  return (
    <div className="conversation-row" onPointerEnter={() => setPointedAt(true)}>
      <button
        type="button"
        className="conversation"
        data-testid="conversation"
        data-conversation-id={id}
        aria-current={isSelected ? 'true' : undefined}
        onClick={() => selectConversation(id)}
      >
        <Avatar
          name={primary}
          seed={conversation.customerId}
          src={conversation.customerPictureUrl}
        />
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
          <span
            className={unread > 0 ? 'conversation__preview is-unread' : 'conversation__preview'}
          >
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
          {/* The pill, labels and unread count share the preview's line, so the row keeps one
            height (DESIGN.md: 68–76 px) whatever it carries. */}
          <span className="conversation__side">
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
        </span>
      </button>
      {/* The open conversation has the same actions in its header, right beside the row. */}
      {!isSelected && wasPointedAt && <QuickActions conversationId={id} name={primary} />}
    </div>
  );
});

const ICON = { size: 16, strokeWidth: 1.5, 'aria-hidden': true } as const;
/** The header's snooze times (its date picker stays there: a row is no place for a calendar). */
const SNOOZE_KEYS = snoozeChoices(0).map((choice) => choice.key);

/**
 * Done and Snooze on the row itself, shown while the pointer is over it (DESIGN.md's row), so the
 * owner can triage a conversation without opening it. Keyboard users have the same on the open
 * conversation (`e`, the header's Snooze menu), so these stay out of the tab order: a tab stop per
 * row would triple the list's.
 */
function QuickActions({ conversationId, name }: { conversationId: string; name: string }) {
  const { t } = useTranslation();
  const isDone = useApp((state) => (state.triageById[conversationId]?.doneAt ?? null) !== null);
  const setDone = useApp((state) => state.setDone);
  const snooze = useApp((state) => state.snooze);
  // Kept shown while its menu is open, though the pointer has moved onto the menu.
  const [isMenuOpen, setMenuOpen] = useState(false);
  const onSnooze = (key: SnoozeChoice) => {
    // Computed at the moment of choice, not when the menu was drawn.
    const choice = snoozeChoices(Date.now()).find((candidate) => candidate.key === key);
    if (choice) void snooze(conversationId, choice.until);
  };
  return (
    <div
      className="conversation-row__quick"
      role="group"
      aria-label={t('conversations.quickActions', { name })}
      data-open={isMenuOpen ? 'true' : undefined}
    >
      {isDone ? (
        <IconButton
          excludeFromTabOrder
          label={t('conversations.quickReopen', { name })}
          icon={<RotateCcw {...ICON} />}
          onPress={() => void setDone(conversationId, false)}
        />
      ) : (
        <IconButton
          excludeFromTabOrder
          label={t('conversations.quickDone', { name })}
          icon={<Check {...ICON} />}
          onPress={() => void setDone(conversationId, true)}
        />
      )}
      <Menu
        isOpen={isMenuOpen}
        onOpenChange={setMenuOpen}
        onAction={(key) => onSnooze(key as SnoozeChoice)}
        trigger={
          <IconButton
            excludeFromTabOrder
            label={t('conversations.quickSnooze', { name })}
            icon={<Clock {...ICON} />}
          />
        }
      >
        {SNOOZE_KEYS.map((key) => (
          <MenuItem key={key} id={key}>
            {t(`triage.snoozeFor.${key}`)}
          </MenuItem>
        ))}
      </Menu>
    </div>
  );
}
