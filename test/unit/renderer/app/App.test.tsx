import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../renderer/src/bridge';
import { FakeInboxClient } from '../fake-client';
import { NOW, makeConversation, makeMessage, makeStatus } from '../fixtures';
import { renderApp } from '../render-app';

const jane = makeConversation({ unreadCount: 1 });
const janeMessage = makeMessage({ conversationId: jane.id });

function appRoot(container: HTMLElement): HTMLElement {
  const root = container.firstElementChild;
  if (!(root instanceof HTMLElement)) throw new Error('the app rendered nothing');
  return root;
}

describe('App', () => {
  it('goes from loading to ready once status and conversations are in', async () => {
    const { container } = renderApp(new FakeInboxClient({ conversations: [jane] }));
    expect(appRoot(container)).toHaveAttribute('data-app-state', 'loading');
    // The shell's shape, not a blank pane: skeleton rows and bubbles, said in words as a status.
    expect(screen.getByRole('status')).toHaveTextContent('Loading your inbox…');
    expect(
      within(screen.getByTestId('skeleton-rows')).getAllByText('', {
        selector: '.skeleton--avatar',
      }),
    ).toHaveLength(6);
    expect(screen.getByTestId('skeleton-bubbles')).toHaveAttribute('aria-hidden', 'true');

    await waitFor(() => expect(appRoot(container)).toHaveAttribute('data-app-state', 'ready'));
    expect(screen.queryByTestId('skeleton-rows')).toBeNull();
    expect(screen.getByTestId('rail')).toBeVisible();
    expect(screen.getByRole('button', { name: /jane\.doe/ })).toBeVisible();
  });

  it('shows an explained error and recovers with Try again', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.inbox.listConversations.mockRejectedValueOnce(
      new BridgeError('INTERNAL', 'Database is locked'),
    );
    const { container, user } = renderApp(client);

    await waitFor(() => expect(appRoot(container)).toHaveAttribute('data-app-state', 'error'));
    expect(screen.getByRole('alert')).toHaveTextContent("Inlet couldn't load your inbox.");
    expect(screen.getByRole('alert')).toHaveTextContent('Database is locked');

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(appRoot(container)).toHaveAttribute('data-app-state', 'ready'));
  });

  it('opening a conversation shows its messages and clears its unread badge', async () => {
    const { user } = renderApp(
      new FakeInboxClient({ conversations: [jane], messages: [janeMessage] }),
    );
    const row = await screen.findByRole('button', { name: /jane\.doe/ });
    expect(row).toHaveAccessibleName(/1 unread message$/);

    await user.click(row);

    const log = await screen.findByRole('log', { name: 'Messages' });
    expect(await within(log).findByText('Do you ship to Lisbon?')).toBeVisible();
    await waitFor(() => expect(row).not.toHaveAccessibleName(/unread/));
    expect(row).toHaveAttribute('aria-current', 'true');
  });

  it('an incoming message adds a bubble and reorders the list without reloading', async () => {
    const older = makeConversation({
      customerId: '1002',
      customerUsername: 'sam',
      customerName: null,
      lastMessageAt: NOW - 3_600_000,
    });
    const client = new FakeInboxClient({ conversations: [jane, older], messages: [janeMessage] });
    const { user } = renderApp(client);
    await user.click(await screen.findByRole('button', { name: /jane\.doe/ }));
    const log = await screen.findByRole('log', { name: 'Messages' });
    await within(log).findByText('Do you ship to Lisbon?');

    client.emit('inbox:messageSaved', {
      message: makeMessage({
        id: 'm2',
        conversationId: jane.id,
        at: NOW,
        text: 'Also, do you gift wrap?',
      }),
      conversation: { ...jane, lastMessageAt: NOW, lastMessagePreview: 'Also, do you gift wrap?' },
    });
    client.emit('inbox:messageSaved', {
      message: makeMessage({ id: 's1', conversationId: older.id, at: NOW + 1 }),
      conversation: { ...older, lastMessageAt: NOW + 1, lastMessagePreview: 'Hi!', unreadCount: 1 },
    });

    expect(await within(log).findByText('Also, do you gift wrap?')).toBeVisible();
    expect(within(log).getAllByTestId('message')).toHaveLength(2);
    const rows = screen.getAllByTestId('conversation');
    expect(rows.map((row) => row.getAttribute('data-conversation-id'))).toEqual([
      older.id,
      jane.id,
    ]);
    expect(rows[0]).toHaveTextContent('Hi!');
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(1);
    expect(client.inbox.listMessages).toHaveBeenCalledTimes(1);
  });

  it('shows the connection loss and reloads when the connection returns', async () => {
    const client = new FakeInboxClient({ conversations: [jane], status: makeStatus() });
    const { container, user } = renderApp(client);
    await waitFor(() => expect(appRoot(container)).toHaveAttribute('data-app-state', 'ready'));

    client.emitConnection({ kind: 'lost', retryAt: Date.now() + 4000, attempt: 1 });
    const banner = await screen.findByTestId('connection-banner');
    expect(banner).toHaveTextContent('Connection to Inlet lost.');
    expect(banner).toHaveTextContent('Reconnecting in 4 s');
    await user.click(within(banner).getByRole('button', { name: 'Reconnect now' }));
    expect(client.connection.retryNow).toHaveBeenCalled();

    expect(banner).not.toHaveTextContent('open the new address');
    client.emitConnection({ kind: 'lost', retryAt: Date.now() + 8000, attempt: 3 });
    expect(await screen.findByText(/If Inlet was restarted, open the new address/)).toBeVisible();

    client.emitConnection({ kind: 'connected' });
    await waitFor(() => expect(screen.queryByTestId('connection-banner')).not.toBeInTheDocument());
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(2);
  });
});
