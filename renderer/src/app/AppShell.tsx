import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Toasts } from '../components/Toast';
import { CommentsView } from '../features/comments/CommentsView';
import { ConversationList } from '../features/conversations/ConversationList';
import { CustomerPanel } from '../features/customer/CustomerPanel';
import { DeliveriesView } from '../features/developer/DeliveriesView';
import { useDeveloper } from '../features/developer/developer-client';
import { NotificationSettingsDialog } from '../features/notifications/NotificationSettingsDialog';
import { SavedRepliesDialog } from '../features/replies/SavedRepliesDialog';
import { SearchDialog } from '../features/search/SearchDialog';
import { SetupAssistantProvider } from '../features/setup/setup-assistant';
import { ShortcutSheet } from '../features/shortcuts/ShortcutSheet';
import { useShortcuts } from '../features/shortcuts/use-shortcuts';
import { ConnectionBanner } from '../features/status/ConnectionBanner';
import { DiskFullBanner } from '../features/status/DiskFullBanner';
import { SandboxBanner } from '../features/status/SandboxBanner';
import { StatusStrip } from '../features/status/StatusStrip';
import { Thread } from '../features/thread/Thread';
import { UpdateNotice } from '../features/updates/UpdateNotice';
import { PanesContext, type Panes } from '../lib/panes';
import { useApp } from '../store/use-app';
import { selectAppPhase } from './app-phase';

export function AppShell() {
  const phase = useApp(selectAppPhase);
  return (
    <div className="app" data-app-state={phase}>
      <ConnectionBanner />
      {phase === 'ready' ? <Inbox /> : phase === 'loading' ? <Loading /> : <LoadFailed />}
    </div>
  );
}

function Inbox() {
  const { t } = useTranslation();
  const openSearch = useApp((state) => state.openSearch);
  const [isSheetOpen, setSheetOpen] = useState(false);
  const [isRepliesOpen, setRepliesOpen] = useState(false);
  const [isNotificationsOpen, setNotificationsOpen] = useState(false);
  const openSheet = useCallback(() => setSheetOpen(true), []);
  useShortcuts(openSheet);
  // comments: the comments view replaces the inbox panes. It remembers which conversation was
  // selected when it opened: selecting another (from a comment, a notification, search) brings
  // the inbox back.
  const selectedConversationId = useApp((state) => state.selectedConversationId);
  const selectConversation = useApp((state) => state.selectConversation);
  const [commentsOpenedAt, setCommentsOpenedAt] = useState<{ selected: string | null } | null>(
    null,
  );
  const [pageOpened, setPageOpened] = useState<'comments' | 'deliveries'>('comments');
  const isPageOpen = commentsOpenedAt?.selected === selectedConversationId;
  const isCommentsView = isPageOpen && pageOpened === 'comments';
  // developer: Deliveries replaces the inbox panes the same way, only while the switch is on.
  const { isEnabled: isDeveloper, webhookFor, viewWebhook } = useDeveloper();
  const isDeliveriesView =
    isDeveloper &&
    (webhookFor?.conversationId === selectedConversationId ||
      (isPageOpen && pageOpened === 'deliveries'));
  const togglePage = (page: 'comments' | 'deliveries', isOpen: boolean) => {
    setPageOpened(page);
    setCommentsOpenedAt(isOpen ? null : { selected: selectedConversationId });
    viewWebhook(null);
  };
  const openConversation = useCallback(
    (conversationId: string) => {
      setCommentsOpenedAt(null);
      selectConversation(conversationId);
    },
    [selectConversation],
  );
  // developer: "Open message" leaves Deliveries for the message, as a search result does.
  const jumpToMessage = useApp((state) => state.jumpToMessage);
  const openMessage = (link: { conversationId: string; messageId: string }) => {
    setCommentsOpenedAt(null);
    viewWebhook(null);
    void jumpToMessage(link);
  };
  // Narrow windows: which conversation the owner went back to the list from (the list shows
  // until another opens), and whether the customer drawer is open.
  const [listShownFor, setListShownFor] = useState<string | null>(null);
  const [isCustomerOpen, setCustomerOpen] = useState(false);
  const panes = useMemo<Panes>(
    () => ({
      isCustomerOpen,
      setCustomerOpen,
      showList: () => setListShownFor(selectedConversationId),
    }),
    [isCustomerOpen, selectedConversationId],
  );
  const pane =
    selectedConversationId === null || listShownFor === selectedConversationId ? 'list' : 'thread';
  return (
    <SetupAssistantProvider>
      <PanesContext.Provider value={panes}>
        <StatusStrip />
        <SandboxBanner />
        <DiskFullBanner />
        <UpdateNotice />
        {/* The app's toolbar; Settings (accounts helper) mounts its button here. */}
        <section className="toolbar" aria-label={t('app.tools')}>
          <button
            type="button"
            className="button button--quiet"
            aria-pressed={isCommentsView && !isDeliveriesView}
            onClick={() => togglePage('comments', isCommentsView)}
          >
            {t('comments.open')}
          </button>
          {isDeveloper && (
            <button
              type="button"
              className="button button--quiet"
              aria-pressed={isDeliveriesView}
              onClick={() => togglePage('deliveries', isDeliveriesView)}
            >
              {t('developer.open')}
            </button>
          )}
          <button
            type="button"
            className="button button--quiet"
            aria-keyshortcuts="Control+K Meta+K"
            onClick={openSearch}
          >
            {t('search.open')} <kbd>Ctrl/⌘ K</kbd>
          </button>
          <button
            type="button"
            className="button button--quiet"
            aria-keyshortcuts="?"
            onClick={openSheet}
          >
            {t('shortcuts.open')} <kbd>?</kbd>
          </button>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => setRepliesOpen(true)}
          >
            {t('replies.open')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => setNotificationsOpen(true)}
          >
            {t('notifications.open')}
          </button>
        </section>
        {isDeliveriesView ? (
          <main className="deliveries-page">
            <DeliveriesView onOpenMessage={openMessage} />
          </main>
        ) : isCommentsView ? (
          <main className="comments-page">
            <CommentsView onOpenConversation={openConversation} />
          </main>
        ) : (
          <main
            className="inbox"
            data-pane={pane}
            data-customer={isCustomerOpen ? 'open' : 'closed'}
            // Choosing a row (even the conversation just left) brings the thread back.
            onClickCapture={(event) => {
              if (event.target instanceof Element && event.target.closest('.conversation') !== null)
                setListShownFor(null);
            }}
          >
            <ConversationList />
            <Thread />
            <CustomerPanel />
          </main>
        )}
        <SearchDialog />
        {isSheetOpen && <ShortcutSheet onClose={() => setSheetOpen(false)} />}
        {isRepliesOpen && <SavedRepliesDialog onClose={() => setRepliesOpen(false)} />}
        {isNotificationsOpen && (
          <NotificationSettingsDialog onClose={() => setNotificationsOpen(false)} />
        )}
        <Toasts />
      </PanesContext.Provider>
    </SetupAssistantProvider>
  );
}

function Loading() {
  const { t } = useTranslation();
  return (
    <main className="app__centered" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      <p>{t('app.loading')}</p>
    </main>
  );
}

function LoadFailed() {
  const { t } = useTranslation();
  const error = useApp((state) =>
    state.statusLoad.phase === 'error'
      ? state.statusLoad.error
      : state.conversationsLoad.phase === 'error'
        ? state.conversationsLoad.error
        : null,
  );
  const loadAll = useApp((state) => state.loadAll);
  return (
    <main className="app__centered">
      {error !== null && <ErrorMessage title={t('app.loadFailed')} error={error} />}
      <button type="button" className="button button--primary" onClick={() => void loadAll()}>
        {t('app.retry')}
      </button>
    </main>
  );
}
