import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConversationList } from '../../../../../renderer/src/features/conversations/ConversationList';
import type { InboxView } from '../../../../../renderer/src/store/triage';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, MINUTE, NOW, makeConversation } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const jane = makeConversation({
  customerId: '1001',
  unreadCount: 3,
  lastMessageAt: NOW - 5 * MINUTE,
});
const sam = makeConversation({
  customerId: '1002',
  customerName: null,
  customerUsername: 'sam_ceramics',
  lastMessagePreview: 'Thanks!',
  lastMessageAt: NOW - 2 * HOUR,
});
const anonymous = makeConversation({
  customerId: '9876543',
  customerName: null,
  customerUsername: null,
  lastMessageAt: NOW - 3 * 24 * HOUR,
});

describe('ConversationList', () => {
  it('shows each customer with preview, relative time and unread count, newest first', async () => {
    const { store } = await storeWith(
      new FakeInboxClient({ conversations: [sam, anonymous, jane] }),
    );
    renderWithStore(<ConversationList />, store);

    const rows = screen.getAllByTestId('conversation');
    expect(rows.map((row) => row.dataset.conversationId)).toEqual([jane.id, sam.id, anonymous.id]);

    const [first, second, third] = rows as [HTMLElement, HTMLElement, HTMLElement];
    // A reply window with most of its 24 hours left is not worth a word in the list.
    expect(first).toHaveAccessibleName(
      'Jane Doe, @jane.doe, Do you ship to Lisbon?, 5 min. ago, 3 unread messages',
    );
    expect(within(first).getByText('3')).toBeVisible();
    expect(second).toHaveAccessibleName('@sam_ceramics, Thanks!, 2 hr. ago');
    expect(third).toHaveTextContent('Instagram user …6543');
    expect(third).toHaveTextContent('3 days ago');
  });

  it('shows the customer’s picture as the row’s avatar, without changing what the row says', async () => {
    const picture = '/archive/media/0b6f1a52-7c1e-4a8e-9d65-2f4f8f1e2a3b.jpg';
    const pictured = { ...sam, customerPictureUrl: picture };
    const { store } = await storeWith(new FakeInboxClient({ conversations: [pictured, jane] }));
    renderWithStore(<ConversationList />, store);
    const [first, second] = screen.getAllByTestId('conversation') as [HTMLElement, HTMLElement];
    expect(second.querySelector('img.avatar')).toHaveAttribute('src', picture);
    expect(second).toHaveAccessibleName('@sam_ceramics, Thanks!, 2 hr. ago');
    expect(first.querySelector('img')).toBeNull();
    expect(first.querySelector('.avatar')).toHaveTextContent('JD');
  });

  it('marks a conversation with a failed or held send, in words, not as an ordinary preview', async () => {
    const { store } = await storeWith(
      new FakeInboxClient({
        conversations: [
          { ...jane, unreadCount: 0, sendProblem: 'failed', lastMessagePreview: 'Shipped!' },
          { ...sam, sendProblem: 'held' },
          anonymous,
        ],
      }),
    );
    renderWithStore(<ConversationList />, store);
    const [first, second, third] = screen.getAllByTestId('conversation') as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    expect(within(first).getByTestId('send-problem')).toHaveTextContent('Not sent');
    expect(first).toHaveAccessibleName(/^Jane Doe, @jane\.doe, Not sent: Shipped!, /);
    expect(within(second).getByTestId('send-problem')).toHaveTextContent('Waiting to send');
    expect(within(third).queryByTestId('send-problem')).toBeNull();
  });

  it('selecting a row opens it and marks it read', async () => {
    const { store, client } = await storeWith(new FakeInboxClient({ conversations: [jane, sam] }));
    const { user } = renderWithStore(<ConversationList />, store);

    await user.click(screen.getByRole('button', { name: /jane\.doe/ }));

    expect(client.inbox.markRead).toHaveBeenCalledWith({ conversationId: jane.id });
    expect(await screen.findByRole('button', { name: /jane\.doe/ })).toHaveAttribute(
      'aria-current',
      'true',
    );
    expect(screen.getByRole('button', { name: /jane\.doe/ })).not.toHaveAccessibleName(/unread/);
  });

  it('moves focus between rows with the arrow keys', async () => {
    const { store } = await storeWith(
      new FakeInboxClient({ conversations: [jane, sam, anonymous] }),
    );
    const { user } = renderWithStore(<ConversationList />, store);
    const [first, second, third] = screen.getAllByTestId('conversation');

    first?.focus(); // Tab reaches the filters above the list first
    await user.keyboard('{ArrowDown}');
    expect(second).toHaveFocus();
    await user.keyboard('{End}');
    expect(third).toHaveFocus();
    await user.keyboard('{ArrowUp}{Home}');
    expect(first).toHaveFocus();
  });

  it('renders only the rows in view when there are thousands, and says how many in all', async () => {
    const many = Array.from({ length: 2000 }, (_, index) =>
      makeConversation({
        customerId: String(100_000 + index),
        lastMessageAt: NOW - index * MINUTE,
      }),
    );
    const { store } = await storeWith(new FakeInboxClient({ conversations: many }));
    renderWithStore(<ConversationList />, store);

    const rows = screen.getAllByTestId('conversation');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]?.dataset.conversationId).toBe(many[0]?.id);
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveAttribute('aria-setsize', '2000');
    expect(items[0]).toHaveAttribute('aria-posinset', '1');
  });

  it('loads the next page when the owner scrolls near the end of the loaded rows', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.inbox.listConversations
      .mockResolvedValueOnce({ conversations: [jane], nextCursor: 'page-2' })
      .mockResolvedValueOnce({ conversations: [sam], nextCursor: null });
    const { store } = await storeWith(client);
    const { container } = renderWithStore(<ConversationList />, store);
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(1); // nothing loads on its own

    const scroller = container.querySelector('.conversation-list__scroller');
    if (scroller === null) throw new Error('no scroller');
    fireEvent.scroll(scroller);
    expect(await screen.findByRole('button', { name: /^@sam_ceramics, / })).toBeVisible();
    expect(client.inbox.listConversations).toHaveBeenLastCalledWith({
      cursor: 'page-2',
      limit: 100,
    });
  });

  it('says so when there are no conversations yet', async () => {
    const { store } = await storeWith(new FakeInboxClient({ conversations: [] }));
    renderWithStore(<ConversationList />, store);
    expect(screen.getByText('No conversations yet')).toBeVisible();
    expect(screen.queryByTestId('conversation')).not.toBeInTheDocument();
  });

  it('loads the next page on demand', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.inbox.listConversations
      .mockResolvedValueOnce({ conversations: [jane], nextCursor: 'page-2' })
      .mockResolvedValueOnce({ conversations: [sam], nextCursor: null });
    const { store } = await storeWith(client);
    const { user } = renderWithStore(<ConversationList />, store);

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('button', { name: /^@sam_ceramics, / })).toBeVisible();
    expect(client.inbox.listConversations).toHaveBeenLastCalledWith({
      cursor: 'page-2',
      limit: 100,
    });
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('filters by triage state, ending-soon reply window and label', async () => {
    const client = new FakeInboxClient({
      conversations: [
        jane,
        { ...sam, lastInboundAt: NOW - 22 * HOUR, lastMessageAt: NOW - 22 * HOUR },
        { ...anonymous, lastInboundAt: null },
      ],
    });
    client.data.triage = [
      { conversationId: jane.id, doneAt: NOW, snoozedUntil: null, labels: [], note: '' },
      { conversationId: anonymous.id, doneAt: null, snoozedUntil: null, labels: ['vip'], note: '' },
    ];
    const { store } = await storeWith(client);
    const { user } = renderWithStore(<ConversationList />, store);
    const shown = () =>
      screen.queryAllByTestId('conversation').map((row) => row.dataset.conversationId);
    // The views are the rail's buttons; the list follows the store's filter.
    const showView = (view: InboxView) => act(() => store.getState().setInboxFilter({ view }));

    expect(shown()).toEqual([sam.id, anonymous.id]); // open: jane is done
    // Short now: the list shows it, as an amber pill.
    // In short ("2 h left"), with the whole wording for screen readers.
    const pill = screen.getByTestId('reply-window');
    expect(pill).toHaveClass('reply-window--pill', 'is-ending');
    expect(within(pill).getByText('2 h left')).toHaveAttribute('aria-hidden', 'true');
    expect(within(pill).getByText('2 h 0 min left to reply')).toHaveClass('visually-hidden');
    showView('endingSoon');
    expect(shown()).toEqual([sam.id]);
    showView('done');
    expect(shown()).toEqual([jane.id]);
    showView('all');
    const labels = screen.getByRole('group', { name: 'Label' });
    await user.click(within(labels).getByRole('button', { name: 'vip' }));
    expect(within(labels).getByRole('button', { name: 'vip' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(shown()).toEqual([anonymous.id]);
    showView('snoozed');
    expect(screen.getByText('No conversations here.')).toBeVisible();
  });

  describe('quick actions on a row', () => {
    const rowOf = (id: string) =>
      screen.getAllByTestId('conversation').find((row) => row.dataset.conversationId === id)!
        .parentElement!;
    it('marks the row done or snoozes it without opening it', async () => {
      const client = new FakeInboxClient({ conversations: [jane, sam] });
      const { store } = await storeWith(client);
      const { user } = renderWithStore(<ConversationList />, store);
      const shown = () =>
        screen.queryAllByTestId('conversation').map((row) => row.dataset.conversationId);
      expect(shown()).toEqual([jane.id, sam.id]);
      // Drawn once the pointer comes over the row.
      expect(screen.queryByRole('group', { name: 'Quick actions for @sam_ceramics' })).toBeNull();
      await user.hover(rowOf(sam.id));

      const samActions = screen.getByRole('group', { name: 'Quick actions for @sam_ceramics' });
      // Out of the tab order: the open conversation has the same on its keys and header.
      const done = within(samActions).getByRole('button', { name: 'Done: @sam_ceramics' });
      expect(done).toHaveAttribute('tabindex', '-1');
      await user.click(done);
      expect(client.triage.setDone).toHaveBeenCalledWith({ conversationId: sam.id, isDone: true });
      expect(shown()).toEqual([jane.id]);
      expect(store.getState().selectedConversationId).toBeNull();

      const before = Date.now();
      await user.hover(rowOf(jane.id));
      await user.click(screen.getByRole('button', { name: 'Snooze Jane Doe…' }));
      await user.click(await screen.findByRole('menuitem', { name: 'For 3 hours' }));
      expect(client.triage.snooze).toHaveBeenCalledWith({
        conversationId: jane.id,
        until: expect.any(Number) as number,
      });
      const until = client.data.triage.find((t) => t.conversationId === jane.id)?.snoozedUntil;
      expect(until).toBeGreaterThanOrEqual(before + 3 * HOUR);
      expect(until).toBeLessThanOrEqual(Date.now() + 3 * HOUR);
      expect(shown()).toEqual([]);
      expect(store.getState().selectedConversationId).toBeNull();
    });

    it('leaves them off the open conversation’s row: its header has them', async () => {
      const { store } = await storeWith(
        new FakeInboxClient({ conversations: [jane, sam] }),
        jane.id,
      );
      const { user } = renderWithStore(<ConversationList />, store);
      await user.hover(rowOf(jane.id));
      expect(screen.queryByRole('group', { name: 'Quick actions for Jane Doe' })).toBeNull();
      await user.hover(rowOf(sam.id));
      expect(screen.getByRole('group', { name: 'Quick actions for @sam_ceramics' })).toBeVisible();
    });

    it('offers Reopen on a done row', async () => {
      const client = new FakeInboxClient({ conversations: [jane] });
      client.data.triage = [
        { conversationId: jane.id, doneAt: NOW, snoozedUntil: null, labels: [], note: '' },
      ];
      const { store } = await storeWith(client);
      const { user } = renderWithStore(<ConversationList />, store);
      act(() => store.getState().setInboxFilter({ view: 'done' }));
      await user.hover(rowOf(jane.id));
      expect(screen.queryByRole('button', { name: 'Done: Jane Doe' })).toBeNull();
      await user.click(screen.getByRole('button', { name: 'Reopen: Jane Doe' }));
      expect(client.triage.setDone).toHaveBeenCalledWith({
        conversationId: jane.id,
        isDone: false,
      });
      expect(screen.queryAllByTestId('conversation')).toHaveLength(0);
    });
  });
});
