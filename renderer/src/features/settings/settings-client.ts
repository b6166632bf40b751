import { createContext, useContext } from 'react';
import type { InboxClient } from '../../bridge';

/** The commands the Settings panel sends; the panel keeps its own form state, not the store. */
export type SettingsClient = Pick<InboxClient, 'settings' | 'accounts' | 'app' | 'desktop' | 'on'>;

export const SettingsClientContext = createContext<SettingsClient | null>(null);

export function useSettingsClient(): SettingsClient {
  const client = useContext(SettingsClientContext);
  if (client === null) throw new Error('useSettingsClient needs a SettingsClientContext provider');
  return client;
}
