import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DeveloperContext, type DeveloperClient, type WebhookFor } from './developer-client';

/** Reads the persisted Developer switch once; off until main says otherwise. */
export function DeveloperProvider({
  client,
  children,
}: {
  client: DeveloperClient;
  children: ReactNode;
}) {
  const [isEnabled, setIsEnabled] = useState(false);
  const [isLoaded, setIsLoaded] = useState(false);
  useEffect(() => {
    let isCurrent = true;
    // A failed read leaves the section hidden, which is the default anyway.
    client.developer
      .getSettings()
      .then(
        (settings) => isCurrent && setIsEnabled(settings.enabled),
        () => undefined,
      )
      .finally(() => isCurrent && setIsLoaded(true));
    return () => {
      isCurrent = false;
    };
  }, [client]);
  const setEnabled = useCallback(
    async (enabled: boolean) => {
      setIsEnabled((await client.developer.setSettings({ enabled })).enabled);
    },
    [client],
  );
  const [webhookFor, viewWebhook] = useState<WebhookFor | null>(null);
  const value = useMemo(
    () => ({ client, isEnabled, isLoaded, setEnabled, webhookFor, viewWebhook }),
    [client, isEnabled, isLoaded, setEnabled, webhookFor],
  );
  return <DeveloperContext.Provider value={value}>{children}</DeveloperContext.Provider>;
}
