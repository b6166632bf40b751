import { createContext, useContext } from 'react';
import type { InboxClient } from '../../bridge';

/** The commands the comments view sends; it keeps its list in its own state, not the store. */
export type CommentsClient = Pick<InboxClient, 'comments' | 'on'>;

export const CommentsClientContext = createContext<CommentsClient | null>(null);

export function useCommentsClient(): CommentsClient {
  const client = useContext(CommentsClientContext);
  if (client === null) throw new Error('useCommentsClient needs a CommentsClientContext provider');
  return client;
}
