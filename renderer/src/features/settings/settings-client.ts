import { createContext, useContext, useState } from 'react';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import type { InboxClient } from '../../bridge';
import { toUiError, type UiError } from '../../store/ui-error';

/** The commands the Settings panel sends; the panel keeps its own form state, not the store. */
export type SettingsClient = Pick<InboxClient, 'settings' | 'accounts' | 'app' | 'desktop' | 'on'>;

export const SettingsClientContext = createContext<SettingsClient | null>(null);

export function useSettingsClient(): SettingsClient {
  const client = useContext(SettingsClientContext);
  if (client === null) throw new Error('useSettingsClient needs a SettingsClientContext provider');
  return client;
}

/**
 * One change to the settings, the saved settings handed to `onSaved`; `error` is why the last
 * change failed (cleared by the next).
 */
export function useSettingsUpdate(onSaved: (settings: Settings) => void): {
  update: (input: InvokeInput<'settings:update'>) => Promise<void>;
  error: UiError | null;
} {
  const client = useSettingsClient();
  const [error, setError] = useState<UiError | null>(null);
  async function update(input: InvokeInput<'settings:update'>) {
    setError(null);
    try {
      onSaved(await client.settings.update(input));
    } catch (caught) {
      setError(toUiError(caught));
    }
  }
  return { update, error };
}
