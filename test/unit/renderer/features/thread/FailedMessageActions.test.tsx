import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { subscribeToMain } from '../../../../../renderer/src/store/app-store';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';
import { sendFailure, untranslated } from '../../../../../shared/domain/failure-reason';

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

describe('A held message says why and until when, with Send now and Cancel', () => {
  const until = new Date(2025, 5, 11, 15, 20).getTime();
  const held = makeMessage({
    id: 'held-1',
    conversationId: jane.id,
    direction: 'out',
    status: 'queued',
    error: sendFailure('Instagram is limiting this account.', 'rateLimited', { until }),
    text: 'Your order shipped',
    at: NOW - 10_000,
  });

  async function renderHeld() {
    const client = new FakeInboxClient({ conversations: [jane], messages: [sent, held] });
    const { store } = await storeWith(client, jane.id);
    return { client, ...renderWithStore(<Thread />, store) };
  }

  it('explains the hold in the owner’s words, with the time of the next try', async () => {
    await renderHeld();
    const heldBubble = bubble('held-1')!;
    expect(heldBubble).toHaveTextContent(/Waiting: Instagram is limiting how fast this account/);
    expect(heldBubble).toHaveTextContent(/Inlet tries again at 3:20\sPM\./);
    expect(within(bubble('sent-1')!).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('"Send now when allowed" asks main to try now; Cancel deletes it', async () => {
    const { client, user } = await renderHeld();
    const heldBubble = bubble('held-1')!;
    await user.click(within(heldBubble).getByRole('button', { name: 'Send now when allowed' }));
    expect(client.sending.sendNow).toHaveBeenCalledWith({ messageId: 'held-1' });
    await user.click(within(heldBubble).getByRole('button', { name: 'Cancel' }));
    expect(client.inbox.deleteMessage).toHaveBeenCalledWith({ messageId: 'held-1' });
  });

  it('shows nothing to act on for a message simply on its way', async () => {
    const client = new FakeInboxClient({
      conversations: [jane],
      messages: [{ ...held, error: null }],
    });
    const { store } = await storeWith(client, jane.id);
    renderWithStore(<Thread />, store);
    expect(within(bubble('held-1')!).queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(bubble('held-1')).toHaveTextContent('Queued');
  });
});
