import type { Conversation } from '../../../shared/domain/schemas';
import type { InboxClient } from '../bridge';
import type { AppState, SliceCreator, StoreOptions } from './app-state';
import {
  indexConversations,
  withConversation,
  withConversationPage,
  withConversationSnapshot,
  type ConversationIndex,
  type Loadable,
} from './transitions';
import { toUiError } from './ui-error';

/** One page is plenty for a first paint; more load on demand. */
export const CONVERSATION_PAGE_SIZE = 100;

export type ConversationsSlice = ConversationIndex & {
  conversationsLoad: Loadable;
  /** Cursor of the next page, null when every conversation is loaded. */
  conversationsCursor: string | null;
  isLoadingMoreConversations: boolean;
  selectedConversationId: string | null;
  loadConversations: () => Promise<void>;
  loadMoreConversations: () => Promise<void>;
  selectConversation: (conversationId: string) => void;
  /** Clears the open conversation's unread count if the owner can see it. */
  markSelectedRead: () => void;
  /** An event from main: it is newer than anything the store holds, so it replaces the row. */
  applyConversationSaved: (conversation: Conversation) => void;
};

export const createConversationsSlice =
  (client: InboxClient, options: Required<StoreOptions>): SliceCreator<ConversationsSlice> =>
  (set, get) => ({
    ...indexConversations([]),
    conversationsLoad: { phase: 'idle' },
    conversationsCursor: null,
    isLoadingMoreConversations: false,
    selectedConversationId: null,

    applyConversationSaved(conversation) {
      set((state) => withConversation(state, conversation));
    },

    async loadConversations() {
      const wasReady = get().conversationsLoad.phase === 'ready';
      if (!wasReady) set({ conversationsLoad: { phase: 'loading' } });
      try {
        const page = await client.inbox.listConversations({ limit: CONVERSATION_PAGE_SIZE });
        set((state) => ({
          ...withConversationPage(state, page.conversations),
          conversationsCursor: page.nextCursor,
          conversationsLoad: { phase: 'ready' },
        }));
      } catch (error) {
        const uiError = toUiError(error);
        if (!wasReady) set({ conversationsLoad: { phase: 'error', error: uiError } });
      }
    },

    async loadMoreConversations() {
      const { conversationsCursor: cursor, isLoadingMoreConversations } = get();
      if (cursor === null || isLoadingMoreConversations) return;
      set({ isLoadingMoreConversations: true });
      try {
        const page = await client.inbox.listConversations({
          cursor,
          limit: CONVERSATION_PAGE_SIZE,
        });
        set((state) => ({
          ...withConversationPage(state, page.conversations),
          conversationsCursor: page.nextCursor,
        }));
      } catch (error) {
        // The list on screen stays valid; the button comes back for another try.
        toUiError(error);
      } finally {
        set({ isLoadingMoreConversations: false });
      }
    },

    selectConversation(conversationId) {
      set({ selectedConversationId: conversationId });
      const phase = get().threads[conversationId]?.load.phase ?? 'idle';
      if (phase === 'idle' || phase === 'error') {
        void get().loadThread(conversationId);
      }
      get().markSelectedRead();
    },

    markSelectedRead() {
      const id = get().selectedConversationId;
      if (id === null || !options.isThreadVisible()) return;
      if ((get().conversationsById[id]?.unreadCount ?? 0) === 0) return;
      client.inbox.markRead({ conversationId: id }).then(
        ({ conversation }) =>
          set((state: AppState) => withConversationSnapshot(state, conversation)),
        // The badge simply stays; the next selection or message tries again.
        (error: unknown) => void toUiError(error),
      );
    },
  });
