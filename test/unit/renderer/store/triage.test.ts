import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../../shared/domain/schemas';
import type { Triage } from '../../../../shared/ipc/triage-contract';
import { BridgeError } from '../../../../renderer/src/bridge';
import { splitSnippet } from '../../../../renderer/src/features/search/Snippet';
import { snoozeChoices } from '../../../../renderer/src/features/triage/snooze-choices';
import { createAppStore, subscribeToMain } from '../../../../renderer/src/store/app-store';
import {
  isAwaitingReply,
  isEndingSoon,
  labelsInUse,
  matchesFilter,
  nextWakeUp,
  replyWindowLeft,
  triageStateOf,
} from '../../../../renderer/src/store/triage';
import { FakeInboxClient } from '../fake-client';
import { HOUR, NOW, makeConversation, makeMessage } from '../fixtures';

const base: Triage = {
  conversationId: 'c',
  doneAt: null,
  snoozedUntil: null,
  labels: [],
  note: '',
};

describe('triage rules', () => {
  it('derives open, snoozed and done; a snooze that ran out is open again', () => {
    expect(triageStateOf(undefined, NOW)).toBe('open');
    expect(triageStateOf({ ...base, doneAt: NOW }, NOW)).toBe('done');
    expect(triageStateOf({ ...base, snoozedUntil: NOW + 1 }, NOW)).toBe('snoozed');
    expect(triageStateOf({ ...base, snoozedUntil: NOW }, NOW)).toBe('open');
  });

  it('counts the 24-hour reply window down and flags its last three hours', () => {
    const conversation = makeConversation({
      lastInboundAt: NOW - 21 * HOUR,
      lastMessageAt: NOW - 21 * HOUR,
    });
    expect(replyWindowLeft(conversation, NOW)).toBe(3 * HOUR);
    expect(isEndingSoon(conversation, NOW)).toBe(true);
    expect(isEndingSoon(conversation, NOW - HOUR)).toBe(false);
    expect(replyWindowLeft(conversation, NOW + 4 * HOUR)).toBe(0);
    expect(isEndingSoon(conversation, NOW + 4 * HOUR)).toBe(false); // closed, not ending
  });

  it('counts a conversation as ending soon only while the customer wrote last', () => {
    const asked = makeConversation({
      lastInboundAt: NOW - 22 * HOUR,
      lastMessageAt: NOW - 22 * HOUR,
    });
    expect(isAwaitingReply(asked)).toBe(true);
    expect(isEndingSoon(asked, NOW)).toBe(true);
    // The owner answered (here, or from Instagram's app): nothing is waiting.
    const answered = { ...asked, lastMessageAt: NOW - 21 * HOUR };
    expect(isAwaitingReply(answered)).toBe(false);
    expect(isEndingSoon(answered, NOW)).toBe(false);
    expect(
      matchesFilter(answered, undefined, { view: 'endingSoon', label: null, account: null }, NOW),
    ).toBe(false);
    expect(
      matchesFilter(answered, undefined, { view: 'open', label: null, account: null }, NOW),
    ).toBe(true);
    // The customer wrote again: it is back.
    const askedAgain = {
      ...answered,
      lastInboundAt: NOW - 21.5 * HOUR,
      lastMessageAt: NOW - 21.5 * HOUR,
    };
    expect(isEndingSoon(askedAgain, NOW)).toBe(true);
    expect(isAwaitingReply(makeConversation({ lastInboundAt: null }))).toBe(false);
    expect(replyWindowLeft(makeConversation({ lastInboundAt: null }), NOW)).toBeNull();
  });

  it('filters by view and label', () => {
    const conversation = makeConversation({
      lastInboundAt: NOW - 23 * HOUR,
      lastMessageAt: NOW - 23 * HOUR,
    });
    const vip = { ...base, labels: ['vip'] };
    expect(
      matchesFilter(conversation, vip, { view: 'endingSoon', label: 'vip', account: null }, NOW),
    ).toBe(true);
    expect(
      matchesFilter(conversation, vip, { view: 'open', label: 'other', account: null }, NOW),
    ).toBe(false);
    const done = { ...vip, doneAt: NOW };
    expect(
      matchesFilter(conversation, done, { view: 'endingSoon', label: null, account: null }, NOW),
    ).toBe(false);
    expect(
      matchesFilter(conversation, done, { view: 'all', label: null, account: null }, NOW),
    ).toBe(true);
  });

  it('shows one business account when the filter names it, every account when it is null', () => {
    const shop = makeConversation({ accountId: '17841400000000001', customerId: '1' });
    const cafe = makeConversation({ accountId: '17841400000000002', customerId: '2' });
    const only = { view: 'all', label: null, account: '17841400000000001' } as const;
    expect(matchesFilter(shop, undefined, only, NOW)).toBe(true);
    expect(matchesFilter(cafe, undefined, only, NOW)).toBe(false);
    expect(matchesFilter(cafe, undefined, { ...only, account: null }, NOW)).toBe(true);
  });

  it('lists labels in use and the next wake-up', () => {
    const byId = {
      a: { ...base, conversationId: 'a', labels: ['wholesale', 'vip'], snoozedUntil: NOW + 5 },
      b: { ...base, conversationId: 'b', labels: ['vip'], snoozedUntil: NOW + 2, doneAt: NOW },
      c: { ...base, conversationId: 'c', snoozedUntil: NOW + 9 },
    };
    expect(labelsInUse(byId)).toEqual(['vip', 'wholesale']);
    expect(nextWakeUp(byId, NOW)).toBe(NOW + 5);
    expect(nextWakeUp(byId, NOW + 10)).toBeNull();
  });

  it('offers snoozes for later today, tomorrow 9:00 and next Monday 9:00', () => {
    const choices = snoozeChoices(NOW); // a Wednesday, 15:00
    expect(choices.map((choice) => new Date(choice.until).toString())).toEqual([
      new Date(2025, 5, 11, 16).toString(),
      new Date(2025, 5, 11, 18).toString(),
      new Date(2025, 5, 12, 9).toString(),
      new Date(2025, 5, 16, 9).toString(),
    ]);
  });

  it('splits search snippets into text and matches without interpreting markup', () => {
    expect(splitSnippet('a \u0002<b>x</b>\u0003 c \u0002d\u0003')).toEqual([
      { text: 'a ', isMatch: false },
      { text: '<b>x</b>', isMatch: true },
      { text: ' c ', isMatch: false },
      { text: 'd', isMatch: true },
    ]);
    expect(splitSnippet('plain')).toEqual([{ text: 'plain', isMatch: false }]);
  });
});

describe('triage and search in the store', () => {
  const jane = makeConversation({ customerId: '1001' });

  it('applies command answers and events, and keeps a refusal for the UI', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    const store = createAppStore(client);
    const unsubscribe = subscribeToMain(store, client);
    await store.getState().loadAll();
    await store.getState().setLabels(jane.id, ['vip']);
    expect(store.getState().triageById[jane.id]?.labels).toEqual(['vip']);
    client.emit('triage:changed', { ...base, conversationId: jane.id, note: 'from main' });
    expect(store.getState().triageById[jane.id]?.note).toBe('from main');
    expect(await store.getState().setNote('nope', 'x')).toBe(false);
    expect(store.getState().triageError?.code).toBe('INVALID_INPUT');
    await store.getState().setDone(jane.id, true);
    expect(store.getState().triageError).toBeNull();
    unsubscribe();
  });

  it('mark unread restores the badge and closes the thread so it is not read again', async () => {
    const client = new FakeInboxClient({ conversations: [{ ...jane, unreadCount: 0 }] });
    const store = createAppStore(client);
    await store.getState().loadAll();
    store.getState().selectConversation(jane.id);
    await store.getState().markUnread(jane.id);
    expect(store.getState().conversationsById[jane.id]?.unreadCount).toBe(1);
    expect(store.getState().selectedConversationId).toBeNull();
  });

  it('jumps to a search hit, paging back until the message is loaded', async () => {
    const messages = Array.from({ length: 120 }, (_, index) =>
      makeMessage({ id: `m${index}`, conversationId: jane.id, at: NOW - (120 - index) * 1000 }),
    );
    const client = new FakeInboxClient({ conversations: [], messages });
    // Pages of 50, newest first, like main.
    client.inbox.listMessages.mockImplementation(async ({ before, limit = 50 }) => {
      const end = before === undefined ? messages.length : Number(before);
      const start = Math.max(0, end - limit);
      return {
        messages: messages.slice(start, end),
        nextCursor: start === 0 ? null : String(start),
      };
    });
    client.data.conversations = [jane];
    client.data.searchResults = [
      {
        messageId: 'm3',
        conversationId: jane.id,
        direction: 'in',
        at: NOW,
        snippet: 'x',
        customerUsername: null,
        customerName: null,
        customerId: '1001',
      },
    ];
    const store = createAppStore(client);
    await store.getState().search('x');
    // The hit's conversation was never on a loaded page: the search brought it along.
    expect(store.getState().conversationsById[jane.id]).toBeDefined();
    const hit = store.getState().searchHits[0];
    if (hit === undefined) throw new Error('no hit');
    await store.getState().jumpToMessage(hit);
    expect(store.getState().selectedConversationId).toBe(jane.id);
    expect(store.getState().focusedMessageId).toBe('m3');
    expect(store.getState().isSearchOpen).toBe(false);
    expect(client.inbox.listMessages).toHaveBeenCalledTimes(3);
  });

  it('lands on a message of a conversation whose first page is still loading', async () => {
    const messages = ['m1', 'm2', 'm3'].map((id, index) =>
      makeMessage({ id, conversationId: jane.id, at: NOW - 3 + index }),
    );
    const client = new FakeInboxClient({ conversations: [jane], messages });
    let release: () => void = () => undefined;
    const page = client.inbox.listMessages.getMockImplementation();
    client.inbox.listMessages.mockImplementationOnce(
      (input) =>
        new Promise((resolve) => {
          release = () => void page?.(input).then(resolve);
        }),
    );
    const store = createAppStore(client);
    await store.getState().loadConversations();
    // Opening the conversation starts its load; the jump must wait for that same load.
    store.getState().selectConversation(jane.id);
    const jump = store.getState().jumpToMessage({ messageId: 'm1', conversationId: jane.id });
    release();
    await jump;
    expect(store.getState().focusedMessageId).toBe('m1');
    expect(client.inbox.listMessages).toHaveBeenCalledTimes(1);
  });

  it('Done on the open conversation moves on to the next one the list shows', async () => {
    const [a, b, c] = ['1001', '1002', '1003'].map((customerId, index) =>
      makeConversation({ customerId, lastMessageAt: NOW - index * HOUR }),
    ) as [Conversation, Conversation, Conversation];
    const client = new FakeInboxClient({ conversations: [a, b, c] });
    const store = createAppStore(client);
    await store.getState().loadConversations();
    store.getState().selectConversation(b.id);
    await store.getState().setDone(b.id, true);
    expect(store.getState().selectedConversationId).toBe(c.id); // the one below
    await store.getState().setDone(c.id, true);
    expect(store.getState().selectedConversationId).toBe(a.id); // the last: the one above
    await store.getState().setDone(a.id, true);
    expect(store.getState().selectedConversationId).toBe(a.id); // nothing left: it stays
    // Reopening, or marking a conversation that is not open, moves nothing.
    store.getState().selectConversation(b.id);
    await store.getState().setDone(c.id, false);
    await store.getState().setDone(a.id, false);
    expect(store.getState().selectedConversationId).toBe(b.id);
  });

  it('keeps only the newest of overlapping searches, and shows a failure', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    const store = createAppStore(client);
    let release: () => void = () => undefined;
    client.search.messages.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ hits: [], customerMatches: [], conversations: [] });
        }),
    );
    const slow = store.getState().search('sl');
    client.search.messages.mockRejectedValueOnce(new BridgeError('INVALID_INPUT', 'Too long'));
    await store.getState().search('slow');
    release();
    await slow;
    expect(store.getState().searchLoad).toEqual({
      phase: 'error',
      error: { code: 'INVALID_INPUT', message: 'Too long' },
    });
    await store.getState().search('  ');
    expect(store.getState().searchLoad).toEqual({ phase: 'idle' });
  });
});
