import { describe, expect, it } from 'vitest';
import { incomingText } from '../../../../fakes/incoming';
import { CONVERSATION, tempArchive } from './archive-harness';

describe('ConversationsStore', () => {
  it('reads a conversation to zero unread and marks it unread with at least one', async () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    archive.inbound.saveMessage(incomingText('m2', 2));
    expect(archive.queries.findConversation(CONVERSATION)?.unreadCount).toBe(2);
    expect((await archive.conversations.markRead(CONVERSATION))?.unreadCount).toBe(0);
    expect(archive.conversations.markUnread(CONVERSATION)?.unreadCount).toBe(1);
    expect(await archive.conversations.markRead('nope')).toBeNull();
  });

  it('fills the customer’s profile without erasing what is known with null', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    archive.conversations.setCustomerProfile(CONVERSATION, { username: 'lena.k', name: null });
    archive.conversations.setCustomerProfile(CONVERSATION, { username: null, name: 'Lena K' });
    expect(archive.queries.findConversation(CONVERSATION)).toMatchObject({
      customerUsername: 'lena.k',
      customerName: 'Lena K',
    });
  });
});
