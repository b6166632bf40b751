import { z } from 'zod';
import { ConversationSchema } from '../domain/schemas';

/**
 * Snippets mark the matched words with these two control characters (never valid in a DM, so
 * never ambiguous); the renderer turns them into <mark> elements, never into HTML.
 */
export const SNIPPET_MATCH_START = '\u0002';
export const SNIPPET_MATCH_END = '\u0003';

export const SearchHitSchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  direction: z.enum(['in', 'out']),
  at: z.number(),
  /** The message text around the match, with matches between the snippet markers. */
  snippet: z.string(),
  customerUsername: z.string().nullable(),
  customerName: z.string().nullable(),
  customerId: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** Longer input is cut here by the renderer: searching never fails for being long. */
export const SEARCH_QUERY_MAX = 200;

export const searchInvokeContract = {
  /**
   * Full-text search over every message's text, newest first; words match as prefixes, and a
   * misspelt word by its near neighbours. Customers are found by name and username too.
   */
  'search:messages': {
    input: z.object({
      query: z.string().trim().min(1, 'Type something to search for').max(SEARCH_QUERY_MAX),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    output: z.object({
      hits: z.array(SearchHitSchema),
      /** Conversations whose customer's name or username matches, most recent first. */
      customerMatches: z.array(z.string()),
      /**
       * The conversations of the hits and customer matches, so a result can be opened even if its
       * page was never loaded.
       */
      conversations: z.array(ConversationSchema),
    }),
  },
} as const;
