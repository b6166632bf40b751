import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { App } from '../../../renderer/src/app/App';
import { createI18n } from '../../../renderer/src/i18n';
import { createAppStore, type AppStore } from '../../../renderer/src/store/app-store';
import { AppStoreContext } from '../../../renderer/src/store/use-app';
import { FakeInboxClient } from './fake-client';

/** The whole app against a fake main, as a user sees it, in `language` (English). */
export function renderApp(client = new FakeInboxClient(), language = 'en') {
  const store = createAppStore(client);
  const user = userEvent.setup();
  const view = render(<App store={store} client={client} i18n={createI18n(language)} />);
  return { ...view, client, store, user };
}

/** The whole app with Settings opened from the rail, as a user opens it. */
export async function openSettings(client: FakeInboxClient) {
  const view = renderApp(client);
  const strip = await screen.findByTestId('rail');
  await view.user.click(within(strip).getByRole('button', { name: /Settings/ }));
  const dialog = await screen.findByRole('dialog', { name: 'Settings' });
  return { ...view, dialog };
}

/** One component with a store already in the state the test needs, in `language` (English). */
export function renderWithStore(ui: ReactElement, store: AppStore, language = 'en') {
  const user = userEvent.setup();
  const view = render(
    <I18nextProvider i18n={createI18n(language)}>
      <AppStoreContext.Provider value={store}>{ui}</AppStoreContext.Provider>
    </I18nextProvider>,
  );
  return { ...view, store, user };
}
