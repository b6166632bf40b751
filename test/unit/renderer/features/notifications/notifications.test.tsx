import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../../../renderer/src/app/App';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { createI18n } from '../../../../../renderer/src/i18n';
import { createAppStore } from '../../../../../renderer/src/store/app-store';
import { FakeInboxClient } from '../../fake-client';
import { makeConversation, makeMessage } from '../../fixtures';
import { renderApp } from '../../render-app';

const jane = makeConversation();
const sam = makeConversation({
  customerId: '17841400000000002',
  customerUsername: 'sam.r',
  customerName: 'Sam',
});
const client = () =>
  new FakeInboxClient({
    conversations: [jane, sam],
    messages: [makeMessage({ conversationId: sam.id, id: 's1', text: 'Is it handmade?' })],
  });

describe('notifications', () => {
  it('tells main which conversation is on screen, and nothing when none is', async () => {
    const { client: fake, user } = renderApp(client());
    await waitFor(() =>
      expect(fake.notifications.setPresence).toHaveBeenLastCalledWith({
        conversationId: null,
        language: 'en',
      }),
    );
    await user.click(await screen.findByRole('button', { name: /jane\.doe/ }));
    await waitFor(() =>
      expect(fake.notifications.setPresence).toHaveBeenLastCalledWith({
        conversationId: jane.id,
        language: 'en',
      }),
    );
  });

  it('reports nothing on screen while the window is hidden, and in the app’s language', async () => {
    const fake = client();
    const store = createAppStore(fake, { isThreadVisible: () => false });
    store.setState({ selectedConversationId: jane.id });
    render(<App store={store} client={fake} i18n={createI18n('pt-BR')} />);
    await waitFor(() =>
      expect(fake.notifications.setPresence).toHaveBeenLastCalledWith({
        conversationId: null,
        language: 'pt-BR',
      }),
    );
  });

  it('opens the conversation whose notification was clicked, even when filtered out', async () => {
    const { client: fake, store } = renderApp(client());
    await screen.findByRole('button', { name: /sam\.r/ });
    store.getState().setInboxFilter({ view: 'done' });
    fake.emit('notifications:opened', { conversationId: sam.id });
    expect(await screen.findByText('Is it handmade?')).toBeVisible();
    expect(store.getState().selectedConversationId).toBe(sam.id);
    expect(store.getState().inboxFilter.view).toBe('all');
    // One Instagram has not told us about (yet) is ignored rather than opening an empty thread.
    fake.emit('notifications:opened', { conversationId: '17841499999999999:404' });
    expect(store.getState().selectedConversationId).toBe(sam.id);
  });

  it('mutes and unmutes an account from the Notifications dialog', async () => {
    const { client: fake, user } = renderApp(client());
    await user.click(await screen.findByRole('button', { name: 'Notifications' }));
    const dialog = screen.getByRole('dialog', { name: 'Notifications' });
    const toggle = screen.getByRole('checkbox', { name: 'New messages to @lisbon.ceramics' });
    expect(dialog).toContainElement(toggle);
    expect(toggle).toBeChecked();

    await user.click(toggle);
    expect(fake.notifications.setMuted).toHaveBeenLastCalledWith({
      accountId: '17841499999999999',
      isMuted: true,
    });
    await waitFor(() => expect(toggle).not.toBeChecked());
    await user.click(toggle);
    await waitFor(() => expect(toggle).toBeChecked());

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows a muted account as muted, and says why when main refuses a change', async () => {
    const fake = client();
    fake.data.mutedAccountIds = ['17841499999999999'];
    fake.notifications.setMuted.mockRejectedValueOnce(
      new BridgeError('INTERNAL', 'settings file is read-only'),
    );
    const { user } = renderApp(fake);
    await user.click(await screen.findByRole('button', { name: 'Notifications' }));
    const toggle = screen.getByRole('checkbox', { name: 'New messages to @lisbon.ceramics' });
    await waitFor(() => expect(toggle).not.toBeChecked());

    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Inlet couldn't change this setting.",
    );
    expect(toggle).not.toBeChecked();
  });
});
