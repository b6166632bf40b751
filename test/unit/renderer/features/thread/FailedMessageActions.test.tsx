import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { subscribeToMain } from '../../../../../renderer/src/store/app-store';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';
import { untranslated } from '../../../../../shared/domain/failure-reason';

const jane = makeConversation({
  customerId: '2002',
  customerUsername: 'jane',
  lastInboundAt: NOW - HOUR,
});
const failed = makeMessage({
  id: 'failed-1',
  conversationId: jane.id,
  direction: 'out',
  status: 'failed',
  error: untranslated('This person isn’t available right now.'),
  text: 'Your order shipped',
  at: NOW - 10_000,
});
const sent = makeMessage({
  id: 'sent-1',
  conversationId: jane.id,
  direction: 'out',
  status: 'sent',
  text: 'Hello',
  at: NOW - HOUR,
});

async function renderFailed() {
  const client = new FakeInboxClient({ conversations: [jane], messages: [sent, failed] });
  const { store } = await storeWith(client, jane.id);
  subscribeToMain(store, client);
  return { client, ...renderWithStore(<Thread />, store) };
}

const bubble = (id: string) =>
  screen.getAllByTestId('message').find((element) => element.dataset.messageId === id);

describe('Retry and Delete on a failed message', () => {
  it('shows both only under the failed bubble, with the reason', async () => {
    await renderFailed();
    const failedBubble = bubble('failed-1');
    expect(failedBubble).toBeDefined();
    expect(within(failedBubble!).getByText(/isn’t available right now/)).toBeInTheDocument();
    expect(within(failedBubble!).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(within(failedBubble!).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
    expect(within(bubble('sent-1')!).queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('Retry asks main to send it again; the queued state arrives as an event', async () => {
    const { client, user } = await renderFailed();
    await user.click(within(bubble('failed-1')!).getByRole('button', { name: 'Retry' }));
    expect(client.inbox.retryMessage).toHaveBeenCalledWith({ messageId: 'failed-1' });
    client.emit('inbox:messageSaved', {
      message: { ...failed, status: 'queued', error: null },
      conversation: jane,
    });
    expect(await screen.findByText('Queued')).toBeInTheDocument();
    expect(within(bubble('failed-1')!).queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('Delete removes the bubble when main confirms', async () => {
    const { client, user } = await renderFailed();
    await user.click(within(bubble('failed-1')!).getByRole('button', { name: 'Delete' }));
    expect(client.inbox.deleteMessage).toHaveBeenCalledWith({ messageId: 'failed-1' });
    client.emit('inbox:messageDeleted', { messageId: 'failed-1', conversationId: jane.id });
    await waitFor(() => expect(bubble('failed-1')).toBeUndefined());
    expect(screen.getAllByTestId('message')).toHaveLength(1);
  });

  it('says why when main refuses the action', async () => {
    const { client, user } = await renderFailed();
    client.inbox.retryMessage.mockRejectedValueOnce(
      new (await import('../../../../../renderer/src/bridge')).BridgeError(
        'INVALID_INPUT',
        'Only a message that failed to send can be sent again.',
      ),
    );
    await user.click(within(bubble('failed-1')!).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only a message that failed to send can be sent again.',
    );
  });
});
