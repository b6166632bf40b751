import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { SkeletonBubbles, SkeletonRows } from '../components/Skeleton';
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
import { Thread } from '../features/thread/Thread';
import { UpdateNotice } from '../features/updates/UpdateNotice';
import { PanesContext, type Panes } from '../lib/panes';
import type { InboxView } from '../store/triage';
import { useApp } from '../store/use-app';
import { selectAppPhase } from './app-phase';
import { Rail } from './Rail';

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
  const page = isDeliveriesView ? 'deliveries' : isCommentsView ? 'comments' : 'inbox';
  const togglePage = (next: 'comments' | 'deliveries') => {
    setPageOpened(next);
    setCommentsOpenedAt(page === next ? null : { selected: selectedConversationId });
    viewWebhook(null);
  };
  // A view of the inbox brings the list back, from a page or (in a narrow window) a thread.
  const setInboxFilter = useApp((state) => state.setInboxFilter);
  const showView = (view: InboxView) => {
    setCommentsOpenedAt(null);
    viewWebhook(null);
    setListShownFor(selectedConversationId);
    setInboxFilter({ view });
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
        <div className="shell">
          <Rail
            page={page}
            isDeveloper={isDeveloper}
            onShowView={showView}
            onTogglePage={togglePage}
            onOpenShortcuts={openSheet}
            onOpenReplies={() => setRepliesOpen(true)}
            onOpenNotifications={() => setNotificationsOpen(true)}
          />
          <div className="shell__content">
            <SandboxBanner />
            <DiskFullBanner />
            <UpdateNotice />
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
                  if (
                    event.target instanceof Element &&
                    event.target.closest('.conversation') !== null
                  )
                    setListShownFor(null);
                }}
              >
                <ConversationList />
                <Thread />
                <CustomerPanel />
              </main>
            )}
          </div>
        </div>
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

/**
 * The shell's shape while the first page of conversations loads: the rail's strip, skeleton rows
 * where the list will be and skeleton bubbles in the thread, so nothing jumps when they arrive.
 */
function Loading() {
  const { t } = useTranslation();
  return (
    <main className="app-skeleton" aria-busy="true">
      <p className="visually-hidden" role="status">
        {t('app.loading')}
      </p>
      <div className="app-skeleton__rail" />
      <div className="app-skeleton__list">
        <SkeletonRows />
      </div>
      <div className="app-skeleton__thread">
        <SkeletonBubbles />
      </div>
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
