import { describe, expect, it } from 'vitest';
import {
  EMPTY_THREAD,
  indexConversations,
  withConversation,
  withConversationPage,
  withConversationSnapshot,
  withMessage,
  withMessageSnapshot,
  withSavedMessage,
  type Thread,
} from '../../../../renderer/src/store/transitions';
import { MINUTE, NOW, makeConversation, makeMessage } from '../fixtures';
import { untranslated } from '../../../../shared/domain/failure-reason';

const alice = makeConversation({
  customerId: '1001',
  customerUsername: 'alice',
  lastMessageAt: NOW - 30 * MINUTE,
});
const bob = makeConversation({
  customerId: '1002',
  customerUsername: 'bob',
  lastMessageAt: NOW - 10 * MINUTE,
});
const carol = makeConversation({
  customerId: '1003',
  customerUsername: 'carol',
  lastMessageAt: NOW - 20 * MINUTE,
});

function threadOf(...messages: ReturnType<typeof makeMessage>[]): Thread {
  return { ...withMessageSnapshot(EMPTY_THREAD, messages), load: { phase: 'ready' } };
}

describe('indexConversations', () => {
  it('orders conversations by latest activity, newest first', () => {
    const index = indexConversations([alice, bob, carol]);
    expect(index.conversationOrder).toEqual([bob.id, carol.id, alice.id]);
    expect(index.conversationsById[carol.id]).toBe(carol);
  });

  it('keeps one entry per id', () => {
    const index = indexConversations([alice, { ...alice, unreadCount: 3 }]);
    expect(index.conversationOrder).toEqual([alice.id]);
    expect(index.conversationsById[alice.id]?.unreadCount).toBe(3);
  });
});

describe('withConversation', () => {
  it('moves a conversation with new activity to the top and leaves the others in place', () => {
    const index = indexConversations([alice, bob, carol]);
    const next = withConversation(index, { ...alice, lastMessageAt: NOW });
    expect(next.conversationOrder).toEqual([alice.id, bob.id, carol.id]);
    expect(next.conversationsById[bob.id]).toBe(bob);
  });

  it('inserts a new conversation at its place in time', () => {
    const dave = makeConversation({ customerId: '1004', lastMessageAt: NOW - 15 * MINUTE });
    const next = withConversation(indexConversations([alice, bob, carol]), dave);
    expect(next.conversationOrder).toEqual([bob.id, dave.id, carol.id, alice.id]);
  });
});

describe('withConversationPage', () => {
  const at = (minutes: number, customerId: string) =>
    makeConversation({ customerId, lastMessageAt: NOW - minutes * MINUTE });
  // The same result as indexing everything from scratch, whichever path the page takes.
  const cases: [string, ReturnType<typeof at>[], ReturnType<typeof at>[]][] = [
    ['the next page, all older', [at(1, 'a'), at(2, 'b')], [at(3, 'c'), at(4, 'd')]],
    ['a first page', [], [at(1, 'a'), at(2, 'b')]],
    ['a page overlapping the last row', [at(1, 'a'), at(3, 'c')], [at(2, 'b'), at(4, 'd')]],
    ['a page holding a known row', [at(1, 'a'), at(2, 'b')], [at(2, 'b'), at(5, 'e')]],
    ['an unsorted page', [at(1, 'a')], [at(5, 'e'), at(3, 'c')]],
    ['a tie on time, ordered by id', [at(1, 'a'), at(2, 'b')], [at(2, 'c'), at(2, 'a2')]],
  ];
  it.each(cases)('folds in %s', (_name, loaded, page) => {
    const next = withConversationPage(indexConversations(loaded), page);
    expect(next).toEqual(indexConversations([...loaded, ...page]));
  });
});

describe('snapshots that an event overtook', () => {
  it('a page does not roll back a conversation an event already moved forward', () => {
    const fresh = { ...alice, lastMessageAt: NOW, lastMessagePreview: 'newest', unreadCount: 1 };
    const index = withConversation(indexConversations([]), fresh);
    const next = withConversationPage(index, [alice, bob]);
    expect(next.conversationsById[alice.id]?.lastMessagePreview).toBe('newest');
    expect(next.conversationOrder).toEqual([alice.id, bob.id]);
  });

  it('a markRead answer older than the latest event is ignored, a current one applied', () => {
    const index = indexConversations([{ ...alice, lastMessageAt: NOW, unreadCount: 2 }]);
    expect(withConversationSnapshot(index, { ...alice, unreadCount: 0 })).toBe(index);
    const read = withConversationSnapshot(index, { ...alice, lastMessageAt: NOW, unreadCount: 0 });
    expect(read.conversationsById[alice.id]?.unreadCount).toBe(0);
  });
});

describe('withMessage', () => {
  const first = makeMessage({ id: 'a', at: NOW - 3 * MINUTE });
  const second = makeMessage({ id: 'b', at: NOW - 2 * MINUTE });

  it('inserts messages in time order whatever order they arrive in', () => {
    const late = makeMessage({ id: 'late', at: NOW - 2.5 * MINUTE });
    const thread = withMessage(threadOf(first, second), late);
    expect(thread.messageIds).toEqual(['a', 'late', 'b']);
  });

  it('replaces a message whose status changes in place, without touching the order', () => {
    const sending = makeMessage({
      id: 'out',
      direction: 'out',
      status: 'sending',
      at: NOW - MINUTE,
    });
    const thread = threadOf(first, sending);
    const next = withMessage(thread, { ...sending, status: 'sent', mid: 'mid-1' });
    expect(next.messageIds).toBe(thread.messageIds);
    expect(next.messagesById.out?.status).toBe('sent');
    expect(Object.keys(next.messagesById)).toHaveLength(2);
  });

  it('keeps a failed send with its reason', () => {
    const queued = makeMessage({ id: 'out', direction: 'out', status: 'queued' });
    const next = withMessage(threadOf(queued), {
      ...queued,
      status: 'failed',
      error: untranslated('Outside the 24-hour window'),
    });
    expect(next.messagesById.out).toMatchObject({
      status: 'failed',
      error: untranslated('Outside the 24-hour window'),
    });
  });
});

describe('withMessageSnapshot', () => {
  it('does not move a message backwards when an event overtook the snapshot', () => {
    const sent = makeMessage({ id: 'out', direction: 'out', status: 'sent' });
    const thread = threadOf(sent);
    const next = withMessageSnapshot(thread, [{ ...sent, status: 'queued' }]);
    expect(next.messagesById.out?.status).toBe('sent');
  });

  it('moves a message forward when the snapshot is newer', () => {
    const sending = makeMessage({ id: 'out', direction: 'out', status: 'sending' });
    const next = withMessageSnapshot(threadOf(sending), [{ ...sending, status: 'sent' }]);
    expect(next.messagesById.out?.status).toBe('sent');
  });
});

describe('withSavedMessage', () => {
  it('updates exactly one conversation and one message of an open thread', () => {
    const old = makeMessage({ id: 'old', conversationId: alice.id, at: NOW - 40 * MINUTE });
    const otherThread = threadOf(makeMessage({ id: 'x', conversationId: bob.id }));
    const state = {
      ...indexConversations([alice, bob, carol]),
      threads: { [alice.id]: threadOf(old), [bob.id]: otherThread },
    };
    const incoming = makeMessage({ id: 'new', conversationId: alice.id, at: NOW, text: 'Hello?' });
    const conversation = {
      ...alice,
      lastMessageAt: NOW,
      lastMessagePreview: 'Hello?',
      unreadCount: 1,
    };

    const next = withSavedMessage(state, { message: incoming, conversation });

    expect(next.conversationOrder[0]).toBe(alice.id);
    expect(next.conversationsById[alice.id]).toBe(conversation);
    expect(next.conversationsById[bob.id]).toBe(bob);
    expect(next.threads[alice.id]?.messageIds).toEqual(['old', 'new']);
    expect(next.threads[bob.id]).toBe(otherThread);
  });

  it('leaves threads that were never opened unloaded', () => {
    const state = { ...indexConversations([alice]), threads: {} };
    const next = withSavedMessage(state, {
      message: makeMessage({ conversationId: alice.id }),
      conversation: { ...alice, unreadCount: 1 },
    });
    expect(next.threads).toEqual({});
    expect(next.conversationsById[alice.id]?.unreadCount).toBe(1);
  });
});
