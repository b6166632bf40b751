import { ArrowLeft, PanelRight } from 'lucide-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar';
import { IconButton } from '../../components/Button';
import { isBrowserUi } from '../../bridge';
import { usePanes } from '../../lib/panes';
import { useApp } from '../../store/use-app';
import { askForNotificationsOnce } from '../notifications/browser-notifications';
import { Composer } from '../composer/Composer';
import { customerNames } from '../conversations/customer-name';
import { ReplyWindow } from '../triage/ReplyWindow';
import { TriageActions } from '../triage/TriageActions';
import { MessageLog, type MessageLogHandle } from './MessageLog';

/** The open conversation: who it is with, its messages, the reply box. */
export function Thread() {
  const { t } = useTranslation();
  const log = useRef<MessageLogHandle>(null);
  const panes = usePanes();
  const conversation = useApp((state) =>
    state.selectedConversationId === null
      ? undefined
      : state.conversationsById[state.selectedConversationId],
  );

  if (conversation === undefined) {
    return (
      <section className="thread thread--empty" aria-labelledby="thread-placeholder-title">
        <div className="empty-state">
          <h2 id="thread-placeholder-title" className="empty-state__title">
            {t('thread.placeholderTitle')}
          </h2>
          <p className="empty-state__hint">{t('thread.placeholderHint')}</p>
        </div>
      </section>
    );
  }

  const { primary, handle } = customerNames(conversation, t);
  return (
    <section className="thread" aria-labelledby="thread-title">
      <header className="thread__header">
        {/* One pane at a time in a narrow window: the way back to the list. */}
        <IconButton
          className="thread__back"
          label={t('thread.backToList')}
          icon={<ArrowLeft size={16} strokeWidth={1.5} aria-hidden="true" />}
          onPress={panes.showList}
        />
        <Avatar
          name={primary}
          seed={conversation.customerId}
          src={conversation.customerPictureUrl}
        />
        <div className="thread__who">
          <h2 id="thread-title" className="thread__title" dir="auto">
            {primary}
          </h2>
          {/* DESIGN.md's header: name, @username and the reply-window pill. */}
          <div className="thread__subtitle">
            {handle !== null && <p className="thread__handle">{handle}</p>}
            <ReplyWindow conversation={conversation} variant="header" />
          </div>
        </div>
        <TriageActions conversationId={conversation.id} />
        {/* The customer panel is a drawer in a narrower window: this opens and closes it. */}
        <IconButton
          className="thread__panel-toggle"
          label={t('customer.showPanel')}
          aria-expanded={panes.isCustomerOpen}
          icon={<PanelRight size={16} strokeWidth={1.5} aria-hidden="true" />}
          onPress={() => panes.setCustomerOpen(!panes.isCustomerOpen)}
        />
      </header>
      {/* Keyed so scroll position and composer focus never leak between conversations. */}
      <MessageLog key={conversation.id} ref={log} conversationId={conversation.id} />
      {/* The owner's own send always shows at the bottom, wherever they had scrolled to. Having
          just replied, the owner of the browser UI is asked whether to hear about the answer. */}
      <Composer
        key={`composer-${conversation.id}`}
        conversationId={conversation.id}
        onSend={() => {
          log.current?.scrollToNewest();
          if (isBrowserUi()) askForNotificationsOnce();
        }}
      />
    </section>
  );
}
