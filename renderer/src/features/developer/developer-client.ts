import { createContext, useContext } from 'react';
import type { InboxClient } from '../../bridge';

/** The commands the Developer section sends; it keeps its lists in its own state, not the store. */
export type DeveloperClient = Pick<InboxClient, 'developer'>;

/** Which message's delivery to show; the conversation it is in, so that selecting another one
 * brings the inbox back (as with Comments). */
export type WebhookFor = { messageId: string; conversationId: string };

/** The client and the Developer switch, which both Settings and the toolbar read. */
export type DeveloperContextValue = {
  client: DeveloperClient;
  isEnabled: boolean;
  /** Main has said whether the switch is on: until then it cannot be flipped by mistake. */
  isLoaded: boolean;
  setEnabled: (enabled: boolean) => Promise<void>;
  /** "View webhook" from a bubble: the message whose delivery the Deliveries view shows, if any. */
  webhookFor: WebhookFor | null;
  viewWebhook: (target: WebhookFor | null) => void;
};

export const DeveloperContext = createContext<DeveloperContextValue | null>(null);

export function useDeveloper(): DeveloperContextValue {
  const value = useContext(DeveloperContext);
  if (value === null) throw new Error('useDeveloper needs a DeveloperProvider');
  return value;
}

/** For parts of the inbox that also render alone (thread tests): no provider means switched off. */
export function useDeveloperIfAny(): DeveloperContextValue | null {
  return useContext(DeveloperContext);
}
