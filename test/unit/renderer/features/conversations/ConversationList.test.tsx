import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConversationList } from '../../../../../renderer/src/features/conversations/ConversationList';
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
    expect(first).toHaveAccessibleName(
      'Jane Doe, @jane.doe, Do you ship to Lisbon?, 5 min. ago, 3 unread messages',
    );
    expect(within(first).getByText('3')).toBeVisible();
    expect(second).toHaveAccessibleName('@sam_ceramics, Thanks!, 2 hr. ago');
    expect(third).toHaveTextContent('Instagram user …6543');
    expect(third).toHaveTextContent('3 days ago');
  });

  it('selecting a row opens it and marks it read', async () => {
    const { store, client } = await storeWith(new FakeInboxClient({ conversations: [jane, sam] }));
    const { user } = renderWithStore(<ConversationList />, store);

    await user.click(screen.getByRole('button', { name: /jane\.doe/ }));

    expect(client.markRead).toHaveBeenCalledWith({ conversationId: jane.id });
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

    await user.tab();
    expect(first).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(second).toHaveFocus();
    await user.keyboard('{End}');
    expect(third).toHaveFocus();
    await user.keyboard('{ArrowUp}{Home}');
    expect(first).toHaveFocus();
  });

  it('says so when there are no conversations yet', async () => {
    const { store } = await storeWith(new FakeInboxClient({ conversations: [] }));
    renderWithStore(<ConversationList />, store);
    expect(screen.getByText('No conversations yet')).toBeVisible();
    expect(screen.queryByTestId('conversation')).not.toBeInTheDocument();
  });

  it('loads the next page on demand', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.listConversations
      .mockResolvedValueOnce({ conversations: [jane], nextCursor: 'page-2' })
      .mockResolvedValueOnce({ conversations: [sam], nextCursor: null });
    const { store } = await storeWith(client);
    const { user } = renderWithStore(<ConversationList />, store);

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('button', { name: /sam_ceramics/ })).toBeVisible();
    expect(client.listConversations).toHaveBeenLastCalledWith({ cursor: 'page-2', limit: 100 });
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });
});
