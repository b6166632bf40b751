import type { Archive } from '../archive/archive';
import type { SearchStore } from '../archive/search-store';
import type { HandlersFor } from '../ipc/dispatch';

export const DEFAULT_SEARCH_LIMIT = 50;

/** Full-text search of the archive, with the conversations of its hits so each can be opened. */
export function searchHandlers(search: SearchStore, archive: Archive) {
  return {
    'search:messages': async ({ query, limit }) => {
      const hits = search.searchMessages(query, limit ?? DEFAULT_SEARCH_LIMIT);
      const conversations = [...new Set(hits.map((hit) => hit.conversationId))].flatMap((id) => {
        const conversation = archive.queries.findConversation(id);
        return conversation ? [conversation] : [];
      });
      return { hits, conversations };
    },
  } satisfies HandlersFor<'search'>;
}
