import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import type { InboxClient } from '../bridge';
import { CommentsClientContext } from '../features/comments/comments-client';
import { DeveloperProvider } from '../features/developer/DeveloperProvider';
import { HealthClientContext } from '../features/health/health-client';
import { SettingsClientContext } from '../features/settings/settings-client';
import type { AppStore } from '../store/app-store';
import { AppStoreContext } from '../store/use-app';
import { AppShell } from './AppShell';
import { useBridgeEvents } from './use-bridge-events';

export function App({ store, client, i18n }: { store: AppStore; client: InboxClient; i18n: i18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <AppStoreContext.Provider value={store}>
        <SettingsClientContext.Provider value={client}>
          <CommentsClientContext.Provider value={client}>
            <HealthClientContext.Provider value={client}>
              <DeveloperProvider client={client}>
                <Connected client={client} />
              </DeveloperProvider>
            </HealthClientContext.Provider>
          </CommentsClientContext.Provider>
        </SettingsClientContext.Provider>
      </AppStoreContext.Provider>
    </I18nextProvider>
  );
}

function Connected({ client }: { client: InboxClient }) {
  useBridgeEvents(client);
  return <AppShell />;
}
