import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, MINUTE, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';
import { untranslated } from '../../../../../shared/domain/failure-reason';

const jane = makeConversation();
const at = (hoursAgo: number) => NOW - hoursAgo * HOUR;
const inbound = (id: string, hoursAgo: number, text: string) =>
  makeMessage({ id, conversationId: jane.id, at: at(hoursAgo), text });
const outbound = (
  id: string,
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'unknown',
  error: string | null = null,
) =>
  makeMessage({
    id,
    conversationId: jane.id,
    direction: 'out',
    status,
    error: error === null ? null : untranslated(error),
    text: `reply ${id}`,
    at: at(1),
  });

async function renderThread(messages: ReturnType<typeof makeMessage>[]) {
  const { store, client } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages }),
    jane.id,
  );
  return { ...renderWithStore(<Thread />, store), client };
}

describe('Thread', () => {
  it('asks to pick a conversation when none is open', async () => {
    const { store } = await storeWith(new FakeInboxClient({ conversations: [jane] }));
    renderWithStore(<Thread />, store);
    expect(screen.getByRole('heading', { name: 'No conversation selected' })).toBeVisible();
    expect(screen.queryByRole('log')).not.toBeInTheDocument();
  });

  it('says in the header how long is left to reply, in short, whole for screen readers', async () => {
    await renderThread([inbound('i1', 2, 'Is the blue vase in stock?')]);
    const header = screen.getByRole('banner');
    expect(within(header).getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    // jane wrote 5 minutes ago: 23 h 55 min of the 24 hours are left.
    const pill = within(header).getByTestId('reply-window');
    expect(within(pill).getByText('23 h left')).toBeVisible();
    expect(pill).toHaveTextContent('23 h 55 min left to reply');
  });

  it('shows incoming and outgoing bubbles with their text, in time order', async () => {
    await renderThread([outbound('o1', 'sent'), inbound('i1', 2, 'Is the blue vase in stock?')]);

    expect(screen.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    const bubbles = within(screen.getByRole('log', { name: 'Messages' })).getAllByTestId('message');
    expect(bubbles.map((bubble) => [bubble.dataset.messageId, bubble.dataset.direction])).toEqual([
      ['i1', 'in'],
      ['o1', 'out'],
    ]);
    expect(bubbles[0]).toHaveTextContent('Is the blue vase in stock?');
    expect(bubbles[1]).toHaveTextContent('reply o1');
  });

  it('shows the delivery state of each outgoing message, with the reason for a failure', async () => {
    await renderThread([
      outbound('q', 'queued'),
      outbound('s', 'sending'),
      outbound('ok', 'sent'),
      outbound('x', 'failed', 'This person is unavailable right now'),
      outbound('u', 'unknown'),
      outbound('h', 'queued', 'Connect the account again.'),
      outbound('c', 'unknown', 'Inlet is checking the conversation.'),
    ]);
    const byId = (id: string) =>
      screen.getAllByTestId('message').find((bubble) => bubble.dataset.messageId === id);

    expect(byId('q')).toHaveAttribute('data-status', 'queued');
    expect(byId('q')).toHaveTextContent('Queued');
    expect(byId('s')).toHaveTextContent('Sending…');
    // "Sent" is shown under the newest outgoing message only; here, older, it is for screen
    // readers. Every state still moving or needing the owner shows where it is.
    expect(within(byId('ok')!).getByText('Sent')).toHaveClass('visually-hidden');
    for (const id of ['q', 's', 'x', 'u', 'h', 'c']) {
      expect(byId(id)!.querySelector('.delivery')).not.toHaveClass('visually-hidden');
    }
    expect(byId('x')).toHaveAttribute('data-status', 'failed');
    expect(byId('x')).toHaveTextContent('Not sent: This person is unavailable right now');
    expect(byId('u')).toHaveTextContent('Not confirmed yet');
    // Held back (a paused account) says why; an unconfirmed send explains what Inlet is doing.
    expect(byId('h')).toHaveTextContent('Waiting: Connect the account again.');
    expect(within(byId('c')!).getByText('Not confirmed yet')).toHaveAttribute(
      'title',
      'Inlet is checking the conversation.',
    );
  });

  it('shows skeleton bubbles while the messages load, then the messages', async () => {
    const client = new FakeInboxClient({
      conversations: [jane],
      messages: [inbound('i1', 2, 'Is the blue vase in stock?')],
    });
    const { store } = await storeWith(client);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const listMessages = client.inbox.listMessages.getMockImplementation()!;
    client.inbox.listMessages.mockImplementationOnce(async (input) => {
      await held;
      return listMessages(input);
    });
    renderWithStore(<Thread />, store);
    // Selecting the conversation loads its messages, held here until released.
    act(() => store.getState().selectConversation(jane.id));

    const log = await screen.findByRole('log', { name: 'Messages' });
    expect(log).toHaveAttribute('aria-busy', 'true');
    expect(within(log).getByTestId('skeleton-bubbles')).toHaveAttribute('aria-hidden', 'true');
    expect(within(log).getByText('Loading messages…')).toHaveClass('visually-hidden');
    expect(within(log).queryAllByTestId('message')).toHaveLength(0);

    await act(async () => release());
    expect(await within(log).findByTestId('message')).toHaveTextContent(
      'Is the blue vase in stock?',
    );
    expect(within(log).queryByTestId('skeleton-bubbles')).toBeNull();
  });

  it('separates days', async () => {
    await renderThread([
      inbound('a', 50, 'Two days ago'),
      inbound('b', 26, 'Yesterday'),
      inbound('c', 1, 'Today'),
    ]);
    const labels = within(screen.getByRole('log'))
      .getAllByRole('heading')
      .map((heading) => heading.textContent);
    expect(labels).toHaveLength(3);
    expect(labels.slice(1)).toEqual(['Yesterday', 'Today']);
  });

  it('groups messages from one side close in time into runs', async () => {
    const msg = (
      id: string,
      minutesAgo: number,
      extra: Partial<Parameters<typeof makeMessage>[0]> = {},
    ) =>
      makeMessage({
        id,
        conversationId: jane.id,
        at: NOW - minutesAgo * MINUTE,
        text: id,
        ...extra,
      });
    await renderThread([
      msg('a', 30),
      msg('b', 28),
      msg('c', 27),
      msg('d', 26, { direction: 'out', status: 'sent' }),
      msg('e', 10), // the same side as c but 16 minutes later
      msg('f', 9, { replyTo: { mid: 'm_a', text: 'a', messageId: null, attachment: null } }), // a quote starts its own run
      msg('g', 8),
    ]);
    const runs = screen
      .getAllByTestId('message')
      .map((message) => [message.dataset['messageId'], message.dataset['run']]);
    expect(runs).toEqual([
      ['a', 'first'],
      ['b', 'middle'],
      ['c', 'last'],
      ['d', 'single'],
      ['e', 'single'],
      ['f', 'first'],
      ['g', 'last'],
    ]);
    // The time shows once, under the run's last bubble; the others say it on hover and to readers.
    const shownTimes = screen
      .getAllByTestId('message')
      .filter((message) => !message.querySelector('time')?.classList.contains('visually-hidden'))
      .map((message) => message.dataset['messageId']);
    expect(shownTimes).toEqual(['c', 'd', 'e', 'g']);
    const first = screen.getAllByTestId('message')[0]!;
    expect(first.querySelector('.message__bubble')).toHaveAttribute(
      'title',
      first.querySelector('time')?.getAttribute('title'),
    );
  });

  it('marks messages sent from the Instagram app', async () => {
    await renderThread([
      makeMessage({
        conversationId: jane.id,
        direction: 'out',
        status: 'sent',
        isFromOtherApp: true,
      }),
    ]);
    expect(screen.getByTestId('message')).toHaveTextContent('Sent from the Instagram app');
  });

  it('says when a conversation has no messages, and offers a retry when loading fails', async () => {
    const { client, store } = await storeWith(new FakeInboxClient({ conversations: [jane] }));
    client.inbox.listMessages.mockRejectedValueOnce(
      new BridgeError('DISCONNECTED', 'socket closed'),
    );
    store.getState().selectConversation(jane.id);
    const { user } = renderWithStore(<Thread />, store);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      "Couldn't load this conversation.Inlet can't be reached right now.",
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No messages in this conversation yet.')).toBeVisible();
  });
});
