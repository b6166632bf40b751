import { SEARCH_QUERY_MAX, type SearchHit } from '../../../shared/ipc/search-contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import { withConversationPage, type Loadable } from './transitions';
import { toUiError } from './ui-error';

/** Enough pages to reach any message of a long thread without looping forever on a bad cursor. */
const MAX_PAGES_TO_JUMP = 200;

export type SearchSlice = {
  isSearchOpen: boolean;
  searchQuery: string;
  searchHits: SearchHit[];
  /** Conversations whose customer's name or username matches the query, most recent first. */
  searchCustomerMatches: string[];
  searchLoad: Loadable;
  /** The message a search result jumped to: the thread scrolls to it and highlights it. */
  focusedMessageId: string | null;
  openSearch: () => void;
  closeSearch: () => void;
  search: (query: string) => Promise<void>;
  /** Opens the hit's conversation, loads older pages until the message is there, focuses it. */
  jumpToMessage: (hit: Pick<SearchHit, 'conversationId' | 'messageId'>) => Promise<void>;
  /** Opens a conversation found by its customer's name. */
  openFoundConversation: (conversationId: string) => void;
  clearFocusedMessage: () => void;
};

export const createSearchSlice =
  (client: InboxClient): SliceCreator<SearchSlice> =>
  (set, get) => {
    let latest = 0;
    return {
      isSearchOpen: false,
      searchQuery: '',
      searchHits: [],
      searchCustomerMatches: [],
      searchLoad: { phase: 'idle' },
      focusedMessageId: null,

      openSearch() {
        set({ isSearchOpen: true });
      },

      closeSearch() {
        set({ isSearchOpen: false });
      },

      async search(query) {
        const request = ++latest;
        set({ searchQuery: query });
        if (query.trim() === '') {
          set({ searchHits: [], searchCustomerMatches: [], searchLoad: { phase: 'idle' } });
          return;
        }
        set({ searchLoad: { phase: 'loading' } });
        try {
          // A pasted essay searches by its beginning rather than failing main's length check.
          const { hits, customerMatches, conversations } = await client.search.messages({
            query: query.trim().slice(0, SEARCH_QUERY_MAX),
          });
          // Typing fast sends several searches; only the newest one may land.
          if (request !== latest) return;
          set((state) => ({
            ...withConversationPage(state, conversations),
            searchHits: hits,
            searchCustomerMatches: customerMatches,
            searchLoad: { phase: 'ready' },
          }));
        } catch (error) {
          if (request !== latest) return;
          set({
            searchHits: [],
            searchCustomerMatches: [],
            searchLoad: { phase: 'error', error: toUiError(error) },
          });
        }
      },

      async jumpToMessage(hit) {
        set({ isSearchOpen: false, focusedMessageId: null });
        get().selectConversation(hit.conversationId);
        const has = () =>
          get().threads[hit.conversationId]?.messagesById[hit.messageId] !== undefined;
        if (get().threads[hit.conversationId]?.load.phase !== 'ready') {
          await get().loadThread(hit.conversationId);
        }
        for (let page = 0; page < MAX_PAGES_TO_JUMP && !has(); page += 1) {
          const thread = get().threads[hit.conversationId];
          if (thread === undefined || thread.olderCursor === null) break;
          await get().loadOlderMessages(hit.conversationId);
          if (get().threads[hit.conversationId]?.olderCursor === thread.olderCursor) break;
        }
        if (has() && get().selectedConversationId === hit.conversationId) {
          set({ focusedMessageId: hit.messageId });
        }
      },

      openFoundConversation(conversationId) {
        set({ isSearchOpen: false, focusedMessageId: null });
        get().selectConversation(conversationId);
      },

      clearFocusedMessage() {
        set({ focusedMessageId: null });
      },
    };
  };
