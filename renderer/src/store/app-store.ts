import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { InboxClient } from '../bridge';
import type { AppState, StoreOptions } from './app-state';
import { createComposerSlice } from './composer-slice';
import { createConnectionSlice } from './connection-slice';
import { createConversationsSlice } from './conversations-slice';
import { createNotificationsSlice } from './notifications-slice';
import { createSendingSlice } from './sending-slice';
import { createStatusSlice } from './status-slice';
import { createRepliesSlice } from './replies-slice';
import { createSearchSlice } from './search-slice';
import { createThreadsSlice } from './threads-slice';
import { createTriageSlice } from './triage-slice';
import { createUpdatesSlice } from './updates-slice';

export type AppStore = StoreApi<AppState>;

export function createAppStore(client: InboxClient, options: StoreOptions = {}): AppStore {
  const resolved: Required<StoreOptions> = { isThreadVisible: () => true, ...options };
  return createStore<AppState>()((...args) => {
    const [set, get] = args;
    return {
      ...createStatusSlice(client)(...args),
      ...createConnectionSlice(client)(...args),
      ...createConversationsSlice(client, resolved)(...args),
      ...createThreadsSlice(client)(...args),
      ...createComposerSlice()(...args),
      ...createTriageSlice(client)(...args),
      ...createSearchSlice(client)(...args),
      ...createRepliesSlice(client)(...args),
      ...createNotificationsSlice(client, resolved)(...args),
      ...createSendingSlice(client)(...args),
      ...createUpdatesSlice(client)(...args),
      async loadAll() {
        const selected = get().selectedConversationId;
        // Threads other than the open one may have missed events: drop them, they reload on open.
        set((state) => ({
          threads:
            selected !== null && state.threads[selected] !== undefined
              ? { [selected]: state.threads[selected] }
              : {},
        }));
        await Promise.all([
          get().loadStatus(),
          get().loadSendingSettings(),
          get().loadConversations(),
          get().loadTriage(),
          get().loadReplies(),
          get().loadNotificationSettings(),
          get().loadUpdates(),
          selected === null ? undefined : get().loadThread(selected),
        ]);
      },
    };
  });
}

/** A hidden page paints nothing, and its frames wait; changes it receives then still apply. */
const HIDDEN_PAGE_DELAY_MS = 100;

/** Runs `apply` just before the page's next paint, or after a short delay where none comes. */
function beforeNextPaint(apply: () => void): void {
  const fallback = setTimeout(apply, HIDDEN_PAGE_DELAY_MS);
  requestAnimationFrame(() => {
    clearTimeout(fallback);
    apply();
  });
}

/**
 * Wires main's events and the connection state into the store; returns the unsubscribe. Events
 * update in place. Only a connection that was lost and came back triggers a reload, because the
 * events sent while it was down are gone.
 */
export function subscribeToMain(store: AppStore, client: InboxClient): () => void {
  let wasLost = client.connection.get().kind === 'lost';
  // The messages main saves change the store once per frame, not once per message: in a burst
  // main sends events every few milliseconds, and each change re-renders the rows it touches.
  // Any other event applies the messages that came before it first, so the order holds.
  const saved: EventPayload<'inbox:messageSaved'>[] = [];
  const applySaved = () => {
    if (saved.length > 0) store.getState().applyMessagesSaved(saved.splice(0));
  };
  const inOrder =
    <T>(apply: (payload: T) => void) =>
    (payload: T) => {
      applySaved();
      apply(payload);
    };
  const unsubscribers = [
    client.on('inbox:messageSaved', (payload) => {
      if (saved.push(payload) === 1) beforeNextPaint(applySaved);
    }),
    client.on(
      'inbox:conversationSaved',
      inOrder((conversation) => store.getState().applyConversationSaved(conversation)),
    ),
    client.on(
      'inbox:messageDeleted',
      inOrder((payload) => store.getState().applyMessageDeleted(payload)),
    ),
    client.on('app:statusChanged', (status) => store.getState().applyStatus(status)),
    client.on('updates:stateChanged', (updates) => store.getState().applyUpdates(updates)),
    client.on(
      'triage:changed',
      inOrder((triage) => store.getState().applyTriage(triage)),
    ),
    client.on('notifications:opened', ({ conversationId }) =>
      store.getState().openFromNotification(conversationId),
    ),
    client.connection.subscribe((connection) => {
      store.setState({ connection });
      if (connection.kind === 'lost') wasLost = true;
      if (connection.kind === 'connected' && wasLost) {
        wasLost = false;
        void store.getState().loadAll();
      }
    }),
  ];
  // The state may have moved between store creation and this subscription.
  store.setState({ connection: client.connection.get() });
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
