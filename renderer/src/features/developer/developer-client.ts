import { createContext, useContext } from 'react';
import type { InboxClient } from '../../bridge';

/** The commands the Developer section sends; it keeps its lists in its own state, not the store. */
export type DeveloperClient = Pick<InboxClient, 'developer'>;

/** The client and the Developer switch, which both Settings and the toolbar read. */
export type DeveloperContextValue = {
  client: DeveloperClient;
  isEnabled: boolean;
  setEnabled: (enabled: boolean) => Promise<void>;
};

export const DeveloperContext = createContext<DeveloperContextValue | null>(null);

export function useDeveloper(): DeveloperContextValue {
  const value = useContext(DeveloperContext);
  if (value === null) throw new Error('useDeveloper needs a DeveloperProvider');
  return value;
}
