import { describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../../../../renderer/src/bridge';
import { createAppStore, subscribeToMain } from '../../../../renderer/src/store/app-store';
import { FakeInboxClient } from '../fake-client';
import { MINUTE, NOW, makeConversation, makeMessage, makeStatus } from '../fixtures';
import { untranslated } from '../../../../shared/domain/failure-reason';
import { nextPaint } from '../store-with';

const alice = makeConversation({ customerId: '1001', customerUsername: 'alice', unreadCount: 2 });
const bob = makeConversation({
  customerId: '1002',
  customerUsername: 'bob',
  lastMessageAt: NOW - 60 * MINUTE,
});

async function loadedStore(client = new FakeInboxClient({ conversations: [alice, bob] })) {
  const store = createAppStore(client);
  const unsubscribe = subscribeToMain(store, client);
  await store.getState().loadAll();
  return { store, client, unsubscribe };
}

describe('loadAll', () => {
  it('loads status and the first page of conversations', async () => {
    const { store } = await loadedStore();
    const state = store.getState();
    expect(state.statusLoad).toEqual({ phase: 'ready' });
    expect(state.conversationsLoad).toEqual({ phase: 'ready' });
    expect(state.conversationOrder).toEqual([alice.id, bob.id]);
  });

  it('records a failure with its code so the UI can explain it', async () => {
    const client = new FakeInboxClient();
    client.app.getStatus.mockRejectedValueOnce(
      new BridgeError('VAULT_UNAVAILABLE', 'Keyring locked'),
    );
    const { store } = await loadedStore(client);
    expect(store.getState().statusLoad).toEqual({
      phase: 'error',
      error: { code: 'VAULT_UNAVAILABLE', message: 'Keyring locked' },
    });
  });
});

describe('selectConversation', () => {
  it('opens the thread and marks an unread conversation read', async () => {
    const { store, client } = await loadedStore();
    client.data.messages = [makeMessage({ conversationId: alice.id })];

    store.getState().selectConversation(alice.id);
    await vi.waitFor(() =>
      expect(store.getState().conversationsById[alice.id]?.unreadCount).toBe(0),
    );

    expect(client.inbox.markRead).toHaveBeenCalledWith({ conversationId: alice.id });
    expect(store.getState().threads[alice.id]?.messageIds).toEqual(['m1']);
  });

  it('does not call markRead for a conversation with nothing unread', async () => {
    const { store, client } = await loadedStore();
    store.getState().selectConversation(bob.id);
    await vi.waitFor(() => expect(store.getState().threads[bob.id]?.load.phase).toBe('ready'));
    expect(client.inbox.markRead).not.toHaveBeenCalled();
  });
});

describe('events from main', () => {
  it('an incoming message updates its conversation and thread without reloading anything', async () => {
    const { store, client } = await loadedStore();
    store.getState().selectConversation(bob.id);
    await vi.waitFor(() => expect(store.getState().threads[bob.id]?.load.phase).toBe('ready'));
    const calls = {
      list: client.inbox.listConversations.mock.calls.length,
      messages: client.inbox.listMessages.mock.calls.length,
    };

    const message = makeMessage({
      id: 'new',
      conversationId: bob.id,
      at: NOW,
      text: 'Still there?',
    });
    client.emit('inbox:messageSaved', {
      message,
      conversation: { ...bob, lastMessageAt: NOW, lastMessagePreview: 'Still there?' },
    });
    await nextPaint(); // saved messages are applied together, before the next paint

    const state = store.getState();
    expect(state.conversationOrder).toEqual([bob.id, alice.id]);
    expect(state.threads[bob.id]?.messagesById.new?.text).toBe('Still there?');
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(calls.list);
    expect(client.inbox.listMessages).toHaveBeenCalledTimes(calls.messages);
  });

  it('a burst of messages handed over in one task changes the store once, in order with other events', async () => {
    const { store, client } = await loadedStore();
    let changes = 0;
    const unsubscribe = store.subscribe(() => (changes += 1));
    const saved = (id: string, at: number, conversation: typeof bob) => ({
      message: makeMessage({ id, conversationId: conversation.id, at, text: id }),
      conversation: { ...conversation, lastMessageAt: at, lastMessagePreview: id },
    });
    client.emit('inbox:messageSaved', saved('b1', NOW, bob));
    client.emit('inbox:messageSaved', saved('a1', NOW + 1, alice));
    client.emit('inbox:messageSaved', saved('b2', NOW + 2, bob));
    expect(changes).toBe(0);
    await nextPaint();
    expect(changes).toBe(1);
    expect(store.getState().conversationOrder).toEqual([bob.id, alice.id]);
    expect(store.getState().conversationsById[bob.id]?.lastMessagePreview).toBe('b2');

    // Another event in between applies the messages before it first: the rename is not undone.
    client.emit('inbox:messageSaved', saved('a2', NOW + 3, alice));
    client.emit('inbox:conversationSaved', {
      ...alice,
      lastMessageAt: NOW + 3,
      lastMessagePreview: 'a2',
      customerName: 'Alice Renamed',
    });
    expect(store.getState().conversationsById[alice.id]?.customerName).toBe('Alice Renamed');
    expect(store.getState().conversationOrder[0]).toBe(alice.id);
    unsubscribe();
  });

  it('a hidden page, which paints no frames, still applies the messages main saved', async () => {
    const { store, client } = await loadedStore();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    try {
      client.emit('inbox:messageSaved', {
        message: makeMessage({ id: 'unseen', conversationId: bob.id, at: NOW }),
        conversation: { ...bob, lastMessageAt: NOW, lastMessagePreview: 'while hidden' },
      });
      await vi.waitFor(() =>
        expect(store.getState().conversationsById[bob.id]?.lastMessagePreview).toBe('while hidden'),
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a conversation event (e.g. a profile lookup) replaces the row in place without a reload', async () => {
    const client = new FakeInboxClient({ conversations: [alice, bob] });
    const store = createAppStore(client);
    subscribeToMain(store, client);
    await store.getState().loadAll();
    const calls = client.inbox.listConversations.mock.calls.length;

    client.emit('inbox:conversationSaved', {
      ...bob,
      customerUsername: 'bob.builds',
      customerName: 'Bob',
    });

    const state = store.getState();
    expect(state.conversationsById[bob.id]).toMatchObject({
      customerUsername: 'bob.builds',
      customerName: 'Bob',
    });
    expect(state.conversationOrder).toHaveLength(2);
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(calls);
  });

  it('a message arriving in the open conversation is read on arrival', async () => {
    const { store, client } = await loadedStore();
    store.getState().selectConversation(bob.id);
    client.data.conversations = [alice, { ...bob, unreadCount: 1 }];

    client.emit('inbox:messageSaved', {
      message: makeMessage({ conversationId: bob.id, at: NOW }),
      conversation: { ...bob, lastMessageAt: NOW, unreadCount: 1 },
    });
    await nextPaint();

    expect(client.inbox.markRead).toHaveBeenCalledWith({ conversationId: bob.id });
  });

  it('a message in an open thread is not marked read while the window is hidden', async () => {
    const client = new FakeInboxClient({ conversations: [alice, bob] });
    const store = createAppStore(client, { isThreadVisible: () => false });
    subscribeToMain(store, client);
    await store.getState().loadAll();
    store.getState().selectConversation(alice.id);
    expect(client.inbox.markRead).not.toHaveBeenCalled();
  });

  it('a status change replaces the status', async () => {
    const { store, client } = await loadedStore();
    const tunnel = {
      state: 'error' as const,
      error: {
        text: 'ngrok refused the authtoken. Check it in your ngrok dashboard.',
        detail: { key: 'errorDetail.tunnelAuthtokenRefused' as const, vars: null },
      },
      retryAt: null,
    };
    client.emit('app:statusChanged', makeStatus({ tunnel }));
    expect(store.getState().status?.tunnel).toEqual(tunnel);
  });

  it('reloads once after a lost connection comes back, because events were missed', async () => {
    const { store, client } = await loadedStore();
    client.emitConnection({ kind: 'lost', retryAt: NOW + 1000, attempt: 1 });
    expect(store.getState().connection.kind).toBe('lost');
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(1);

    client.data.conversations = [
      ...client.data.conversations,
      makeConversation({ customerId: '1003', lastMessageAt: NOW }),
    ];
    client.emitConnection({ kind: 'connecting', attempt: 1 });
    client.emitConnection({ kind: 'connected' });

    await vi.waitFor(() => expect(store.getState().conversationOrder).toHaveLength(3));
    expect(client.inbox.listConversations).toHaveBeenCalledTimes(2);
  });

  it('stops listening when unsubscribed', async () => {
    const { client, unsubscribe } = await loadedStore();
    unsubscribe();
    expect(client.listenerCount).toBe(0);
  });
});

describe('sendDraft', () => {
  it('clears the draft and shows the queued message from the answer', async () => {
    const { store, client } = await loadedStore();
    store.getState().selectConversation(bob.id);
    store.getState().setDraft(bob.id, '  On its way!  ');

    await store.getState().sendDraft(bob.id);

    expect(client.sending.sendText).toHaveBeenCalledWith({
      conversationId: bob.id,
      text: 'On its way!',
    });
    const thread = store.getState().threads[bob.id];
    const sent = thread?.messagesById[thread.messageIds.at(-1) ?? ''];
    expect(sent).toMatchObject({ text: 'On its way!', status: 'queued', direction: 'out' });
    expect(store.getState().drafts[bob.id]).toBe('');
  });

  it('keeps what events already said about the message over the answer’s first snapshot', async () => {
    const { store, client } = await loadedStore();
    store.getState().selectConversation(bob.id);
    store.getState().setDraft(bob.id, 'Held back');
    const original = client.sending.sendText.getMockImplementation()!;
    client.sending.sendText.mockImplementationOnce(async (input) => {
      const answer = await original(input);
      // Main's event overtakes the answer: the account is paused, the message held with a reason.
      store.getState().applyMessagesSaved([
        {
          message: { ...answer.message, error: untranslated('Connect the account again.') },
          conversation: bob,
        },
      ]);
      return answer;
    });

    await store.getState().sendDraft(bob.id);

    const thread = store.getState().threads[bob.id];
    expect(thread?.messagesById[thread.messageIds.at(-1) ?? '']).toMatchObject({
      status: 'queued',
      error: untranslated('Connect the account again.'),
    });
  });

  it('gives the draft back with the reason when main refuses it', async () => {
    const { store, client } = await loadedStore();
    client.sending.sendText.mockRejectedValueOnce(
      new BridgeError('OUTSIDE_WINDOW', 'The reply window closed'),
    );
    store.getState().setDraft(bob.id, 'Sorry for the delay');

    await store.getState().sendDraft(bob.id);

    expect(store.getState().drafts[bob.id]).toBe('Sorry for the delay');
    expect(store.getState().sendErrors[bob.id]).toEqual({
      code: 'OUTSIDE_WINDOW',
      message: 'The reply window closed',
    });
  });

  it('never sends an empty or over-long draft', async () => {
    const { store, client } = await loadedStore();
    store.getState().setDraft(bob.id, '   ');
    await store.getState().sendDraft(bob.id);
    store.getState().setDraft(bob.id, '日'.repeat(334));
    await store.getState().sendDraft(bob.id);
    expect(client.sending.sendText).not.toHaveBeenCalled();
  });
});
