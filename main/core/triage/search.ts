import type { Archive } from '../archive/archive';
import type { SearchStore } from '../archive/search-store';
import type { HandlersFor } from '../ipc/dispatch';

export const DEFAULT_SEARCH_LIMIT = 50;
/** Customers found by name: a handful is what fits above the messages. */
const CUSTOMER_LIMIT = 5;

/**
 * Full-text search of the archive and of customers' names, with the conversations of both so each
 * result can be opened.
 */
export function searchHandlers(search: SearchStore, archive: Archive) {
  return {
    'search:messages': async ({ query, limit }) => {
      const hits = search.searchMessages(query, limit ?? DEFAULT_SEARCH_LIMIT);
      const customerMatches = search.searchCustomers(query, CUSTOMER_LIMIT);
      const ids = new Set([...customerMatches, ...hits.map((hit) => hit.conversationId)]);
      const conversations = [...ids].flatMap((id) => {
        const conversation = archive.queries.findConversation(id);
        return conversation ? [conversation] : [];
      });
      return { hits, customerMatches, conversations };
    },
  } satisfies HandlersFor<'search'>;
}
