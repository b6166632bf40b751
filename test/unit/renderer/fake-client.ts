import { vi } from 'vitest';
import type { AppStatus, Conversation, Message } from '../../../shared/domain/schemas';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { Comment } from '../../../shared/ipc/comments-contract';
import type { SavedReply } from '../../../shared/ipc/replies-contract';
import type { SearchHit } from '../../../shared/ipc/search-contract';
import type { Triage } from '../../../shared/ipc/triage-contract';
import { BridgeError, type InboxClient } from '../../../renderer/src/bridge';
import type { ConnectionMonitor, ConnectionState } from '../../../renderer/src/connection';
import type { Settings } from '../../../shared/ipc/accounts-contract';
import { makeMessage, makeSettings, makeStatus } from './fixtures';

type Listener<T> = (payload: T) => void;

/**
 * An in-memory main process for renderer tests: commands answer from the data given, each one a
 * spy, and `emit*` pushes events the way main would.
 */
export class FakeInboxClient implements InboxClient {
  status: AppStatus;
  conversations: Conversation[];
  messages: Message[];
  private readonly messageListeners = new Set<Listener<EventPayload<'inbox:messageSaved'>>>();
  private readonly statusListeners = new Set<Listener<AppStatus>>();
  private readonly conversationListeners = new Set<Listener<Conversation>>();
  private readonly deletedListeners = new Set<Listener<EventPayload<'inbox:messageDeleted'>>>();
  private readonly connectionListeners = new Set<Listener<ConnectionState>>();
  private readonly connectFinishedListeners = new Set<
    Listener<EventPayload<'accounts:connectFinished'>>
  >();
  settings: Settings = makeSettings();
  private readonly triageListeners = new Set<Listener<Triage>>();
  triage: Triage[] = [];
  searchResults: SearchHit[] = [];
  replies: SavedReply[] = [];
  private connectionState: ConnectionState = { kind: 'connected' };
  private nextId = 1;

  constructor(
    data: { status?: AppStatus; conversations?: Conversation[]; messages?: Message[] } = {},
  ) {
    this.status = data.status ?? makeStatus();
    this.conversations = data.conversations ?? [];
    this.messages = data.messages ?? [];
  }

  getStatus = vi.fn<InboxClient['getStatus']>(async () => this.status);

  listConversations = vi.fn<InboxClient['listConversations']>(async () => ({
    conversations: [...this.conversations],
    nextCursor: null,
  }));

  listMessages = vi.fn<InboxClient['listMessages']>(async ({ conversationId }) => ({
    messages: this.messages.filter((message) => message.conversationId === conversationId),
    nextCursor: null,
  }));

  sendText = vi.fn<InboxClient['sendText']>(async ({ conversationId, text }) => {
    const message = makeMessage({
      id: `sent-${this.nextId++}`,
      mid: null,
      conversationId,
      direction: 'out',
      text,
      at: Date.now(),
      status: 'queued',
    });
    this.messages.push(message);
    return { message };
  });

  retryMessage = vi.fn<InboxClient['retryMessage']>(async ({ messageId }) => {
    const message = this.messages.find((candidate) => candidate.id === messageId);
    if (message === undefined || message.status !== 'failed') {
      throw new BridgeError(
        'INVALID_INPUT',
        'Only a message that failed to send can be sent again.',
      );
    }
    return { message: { ...message, status: 'queued', error: null } };
  });

  deleteMessage = vi.fn<InboxClient['deleteMessage']>(async ({ messageId }) => {
    const message = this.messages.find((candidate) => candidate.id === messageId);
    const conversation = this.conversations.find(
      (candidate) => candidate.id === message?.conversationId,
    );
    if (message === undefined || conversation === undefined) {
      throw new BridgeError('INVALID_INPUT', 'Only a message that did not go out can be deleted.');
    }
    return { conversation: { ...conversation } };
  });

  markRead = vi.fn<InboxClient['markRead']>(async ({ conversationId }) => {
    const conversation = this.conversations.find((candidate) => candidate.id === conversationId);
    if (conversation === undefined) throw new BridgeError('NOT_FOUND', 'No such conversation');
    conversation.unreadCount = 0;
    return { conversation: { ...conversation } };
  });

  private triageOf(conversationId: string): Triage {
    if (!this.conversations.some((conversation) => conversation.id === conversationId)) {
      throw new BridgeError('INVALID_INPUT', `There is no conversation ${conversationId}.`);
    }
    let triage = this.triage.find((candidate) => candidate.conversationId === conversationId);
    if (triage === undefined) {
      triage = { conversationId, doneAt: null, snoozedUntil: null, labels: [], note: '' };
      this.triage.push(triage);
    }
    return triage;
  }

  private changeTriage(conversationId: string, change: Partial<Triage>): Triage {
    Object.assign(this.triageOf(conversationId), change);
    return { ...this.triageOf(conversationId) };
  }

  listTriage = vi.fn<InboxClient['listTriage']>(async () => ({
    items: this.triage.map((triage) => ({ ...triage })),
  }));

  setDone = vi.fn<InboxClient['setDone']>(async ({ conversationId, isDone }) =>
    this.changeTriage(conversationId, { doneAt: isDone ? Date.now() : null, snoozedUntil: null }),
  );

  snooze = vi.fn<InboxClient['snooze']>(async ({ conversationId, until }) =>
    this.changeTriage(conversationId, { snoozedUntil: until, doneAt: null }),
  );

  setLabels = vi.fn<InboxClient['setLabels']>(async ({ conversationId, labels }) =>
    this.changeTriage(conversationId, { labels }),
  );

  setNote = vi.fn<InboxClient['setNote']>(async ({ conversationId, note }) =>
    this.changeTriage(conversationId, { note }),
  );

  markUnread = vi.fn<InboxClient['markUnread']>(async ({ conversationId }) => {
    const conversation = this.conversations.find((candidate) => candidate.id === conversationId);
    if (conversation === undefined) throw new BridgeError('INVALID_INPUT', 'No such conversation');
    conversation.unreadCount = Math.max(conversation.unreadCount, 1);
    return { conversation: { ...conversation } };
  });

  searchMessages = vi.fn<InboxClient['searchMessages']>(async () => ({
    hits: [...this.searchResults],
    conversations: this.conversations.filter((conversation) =>
      this.searchResults.some((hit) => hit.conversationId === conversation.id),
    ),
  }));

  listReplies = vi.fn<InboxClient['listReplies']>(async () => ({ replies: [...this.replies] }));

  saveReply = vi.fn<InboxClient['saveReply']>(async ({ id, shortcut, body }) => {
    if (this.replies.some((reply) => reply.shortcut === shortcut && reply.id !== id)) {
      throw new BridgeError('INVALID_INPUT', `Another saved reply already uses /${shortcut}.`);
    }
    const saved = { id: id ?? this.nextId++, shortcut, body };
    this.replies = [...this.replies.filter((reply) => reply.id !== id), saved];
    return { replies: [...this.replies] };
  });

  deleteReply = vi.fn<InboxClient['deleteReply']>(async ({ id }) => {
    this.replies = this.replies.filter((reply) => reply.id !== id);
    return { replies: [...this.replies] };
  });

  mutedAccountIds: string[] = [];
  private readonly openedListeners = new Set<Listener<EventPayload<'notifications:opened'>>>();

  setPresence = vi.fn<InboxClient['setPresence']>(async () => ({}));

  getNotificationSettings = vi.fn<InboxClient['getNotificationSettings']>(async () => ({
    mutedAccountIds: [...this.mutedAccountIds],
  }));

  setMuted = vi.fn<InboxClient['setMuted']>(async ({ accountId, isMuted }) => {
    this.mutedAccountIds = isMuted
      ? [...new Set([...this.mutedAccountIds, accountId])]
      : this.mutedAccountIds.filter((id) => id !== accountId);
    return { mutedAccountIds: [...this.mutedAccountIds] };
  });

  onNotificationOpened: InboxClient['onNotificationOpened'] = (listener) =>
    subscribe(this.openedListeners, listener);

  emitNotificationOpened(conversationId: string): void {
    for (const listener of this.openedListeners) listener({ conversationId });
  }

  onTriageChanged: InboxClient['onTriageChanged'] = (listener) =>
    subscribe(this.triageListeners, listener);

  emitTriageChanged(triage: Triage): void {
    for (const listener of this.triageListeners) listener(triage);
  }

  // --- issue #6: message kinds and sending settings ---
  sendingSettings = { humanAgentEnabled: false };

  sendReply = vi.fn<InboxClient['sendReply']>(
    async ({ conversationId, text, replyToMessageId }) => {
      const quoted = this.messages.find((candidate) => candidate.id === replyToMessageId);
      const { message } = await this.sendText({ conversationId, text });
      message.replyTo = quoted?.mid ? { mid: quoted.mid, text: quoted.text } : null;
      return { message };
    },
  );

  sendAttachment = vi.fn<InboxClient['sendAttachment']>(
    async ({ conversationId, fileName, mimeType }) => {
      const message = makeMessage({
        id: `sent-${this.nextId++}`,
        mid: null,
        conversationId,
        direction: 'out',
        text: null,
        attachments: [
          {
            type: mimeType.startsWith('image/') ? 'image' : 'file',
            url: `/media/out/token-${this.nextId}`,
            title: fileName,
          },
        ],
        at: Date.now(),
        status: 'queued',
      });
      this.messages.push(message);
      return { message };
    },
  );

  react = vi.fn<InboxClient['react']>(async ({ messageId }) => this.reactTo(messageId, '❤️'));

  unreact = vi.fn<InboxClient['unreact']>(async ({ messageId }) => this.reactTo(messageId, null));

  setTyping = vi.fn<InboxClient['setTyping']>(async () => ({ sent: true }));

  privateReply = vi.fn<InboxClient['privateReply']>(async () => ({
    recipientId: 'commenter',
    mid: `pr-${this.nextId++}`,
  }));

  // --- comments: newest first, like main; `emitCommentSaved` is main's `comments:saved` ---
  comments: Comment[] = [];
  private readonly commentListeners = new Set<Listener<Comment>>();

  listComments = vi.fn<InboxClient['listComments']>(async ({ accountId }) => ({
    comments: this.comments
      .filter((comment) => comment.accountId === accountId)
      .sort((a, b) => b.at - a.at),
    nextCursor: null,
  }));

  onCommentSaved: InboxClient['onCommentSaved'] = (listener) =>
    subscribe(this.commentListeners, listener);

  emitCommentSaved(comment: Comment): void {
    this.comments = [...this.comments.filter((c) => c.id !== comment.id), comment];
    for (const listener of this.commentListeners) listener(comment);
  }

  getSendingSettings = vi.fn<InboxClient['getSendingSettings']>(async () => ({
    ...this.sendingSettings,
  }));

  setSendingSettings = vi.fn<InboxClient['setSendingSettings']>(async (settings) => {
    this.sendingSettings = { ...settings };
    return { ...settings };
  });

  private reactTo(messageId: string, emoji: string | null): { message: Message } {
    const message = this.messages.find((candidate) => candidate.id === messageId);
    if (message === undefined || message.mid === null) {
      throw new BridgeError(
        'INVALID_INPUT',
        'Only a message that is on Instagram can be reacted to.',
      );
    }
    const others = message.reactions.filter((reaction) => reaction.by !== 'business');
    message.reactions = emoji === null ? others : [...others, { by: 'business', emoji }];
    return { message: { ...message } };
  }

  onMessageSaved: InboxClient['onMessageSaved'] = (listener) =>
    subscribe(this.messageListeners, listener);
  onMessageDeleted: InboxClient['onMessageDeleted'] = (listener) =>
    subscribe(this.deletedListeners, listener);
  onConversationSaved: InboxClient['onConversationSaved'] = (listener) =>
    subscribe(this.conversationListeners, listener);
  onStatusChanged: InboxClient['onStatusChanged'] = (listener) =>
    subscribe(this.statusListeners, listener);

  getSettings = vi.fn<InboxClient['getSettings']>(async () => ({ ...this.settings }));

  updateSettings = vi.fn<InboxClient['updateSettings']>(async (input) => {
    const { appSecret, ngrokAuthtoken, appId, graphVersion, ngrokDomain } = input;
    this.settings = {
      ...this.settings,
      ...(appId !== undefined ? { appId } : {}),
      ...(graphVersion !== undefined ? { graphVersion } : {}),
      ...(ngrokDomain !== undefined ? { ngrokDomain } : {}),
      ...(appSecret !== undefined ? { hasAppSecret: true } : {}),
      ...(ngrokAuthtoken !== undefined ? { hasNgrokAuthtoken: true } : {}),
    };
    return { ...this.settings };
  });

  connectAccount = vi.fn<InboxClient['connectAccount']>(async () => ({
    authorizeUrl: 'https://www.instagram.com/oauth/authorize?client_id=990602627938098',
  }));

  reconnectAccount = vi.fn<InboxClient['reconnectAccount']>(async () => ({
    authorizeUrl: 'https://www.instagram.com/oauth/authorize?client_id=990602627938098',
  }));

  disconnectAccount = vi.fn<InboxClient['disconnectAccount']>(async () => {});

  onConnectFinished: InboxClient['onConnectFinished'] = (listener) =>
    subscribe(this.connectFinishedListeners, listener);

  emitConnectFinished(payload: EventPayload<'accounts:connectFinished'>): void {
    for (const listener of this.connectFinishedListeners) listener(payload);
  }

  readonly connection: ConnectionMonitor = {
    get: () => this.connectionState,
    subscribe: (listener) => subscribe(this.connectionListeners, listener),
    retryNow: vi.fn(),
  };

  emitMessageSaved(payload: EventPayload<'inbox:messageSaved'>): void {
    for (const listener of this.messageListeners) listener(payload);
  }

  emitMessageDeleted(payload: EventPayload<'inbox:messageDeleted'>): void {
    for (const listener of this.deletedListeners) listener(payload);
  }

  emitConversationSaved(conversation: Conversation): void {
    for (const listener of this.conversationListeners) listener(conversation);
  }

  emitStatusChanged(status: AppStatus): void {
    for (const listener of this.statusListeners) listener(status);
  }

  emitConnection(state: ConnectionState): void {
    this.connectionState = state;
    for (const listener of this.connectionListeners) listener(state);
  }

  get listenerCount(): number {
    return this.messageListeners.size + this.statusListeners.size + this.connectionListeners.size;
  }
}

function subscribe<T>(listeners: Set<Listener<T>>, listener: Listener<T>): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
