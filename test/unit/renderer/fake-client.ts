import { vi, type Mock } from 'vitest';
import type { AppStatus, Conversation, Message } from '../../../shared/domain/schemas';
import type { Settings } from '../../../shared/ipc/accounts-contract';
import type { Comment } from '../../../shared/ipc/comments-contract';
import type {
  ChannelsOf,
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
  InvokeService,
  VerbOf,
} from '../../../shared/ipc/contract';
import type { SavedReply } from '../../../shared/ipc/replies-contract';
import type { SearchHit } from '../../../shared/ipc/search-contract';
import type { SendingSettings } from '../../../shared/ipc/sending-contract';
import type { Triage } from '../../../shared/ipc/triage-contract';
import type { UpdateState } from '../../../shared/ipc/updates-contract';
import type { HealthReport } from '../../../shared/ipc/health-contract';
import type { StartAtLogin } from '../../../shared/ipc/desktop-contract';
import {
  BridgeError,
  commandsFrom,
  type Command,
  type InboxClient,
} from '../../../renderer/src/bridge';
import type { ConnectionMonitor, ConnectionState } from '../../../renderer/src/connection';
import type { DeliveryRecordDto, Workbench } from '../../../shared/ipc/developer-contract';
import { makeMessage, makeSettings, makeStatus } from './fixtures';

/** The client's commands, each a spy: `client.sending.sendText` is a `vi.fn`. */
type FakeCommands = {
  [S in InvokeService]: { [C in ChannelsOf<S> as VerbOf<C>]: Mock<Command<C>> };
};

type Answer<C extends InvokeChannel> = (input: InvokeInput<C>) => Promise<InvokeOutput<C>>;

/** What the fake main holds; tests read and change it directly. */
export type FakeData = {
  status: AppStatus;
  conversations: Conversation[];
  messages: Message[];
  settings: Settings;
  triage: Triage[];
  searchResults: SearchHit[];
  /** Conversation ids `search:messages` answers as customers found by name. */
  customerMatches: string[];
  replies: SavedReply[];
  mutedAccountIds: string[];
  sendingSettings: SendingSettings;
  /** Newest first when listed, like main. */
  comments: Comment[];
  /** A copy that can update itself, idle, until a test says otherwise. */
  updates: UpdateState;
  diagnostics: string;
  /** Nothing checked yet, until a test says otherwise. */
  health: HealthReport;
  /** A packaged desktop copy that can start at login, off, until a test says otherwise. */
  startAtLogin: StartAtLogin;
  developer: { enabled: boolean };
  /** Newest first, like main; `body` is the text exactly as received. */
  deliveries: { record: DeliveryRecordDto; body: string; headers: Record<string, string> }[];
  /** Forwarding, the journal's space and the kinds Simulate offers, as main would report them. */
  workbench: Workbench;
};

// Declaration merging gives the class the command spies that `commandsFrom` puts on it.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface FakeInboxClient extends FakeCommands {}

/**
 * An in-memory main process for renderer tests. Its commands are derived from the contract like
 * the real client's: each is a spy answering from `data` where this file gives an answer, and
 * rejecting as not faked where it does not. `emit` pushes events the way main would.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class FakeInboxClient implements InboxClient {
  readonly data: FakeData;
  private readonly listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private connectionState: ConnectionState = { kind: 'connected' };
  private nextId = 1;

  constructor(
    data: { status?: AppStatus; conversations?: Conversation[]; messages?: Message[] } = {},
  ) {
    this.data = {
      status: data.status ?? makeStatus(),
      conversations: data.conversations ?? [],
      messages: data.messages ?? [],
      settings: makeSettings(),
      triage: [],
      searchResults: [],
      customerMatches: [],
      replies: [],
      mutedAccountIds: [],
      sendingSettings: { humanAgentEnabled: false },
      comments: [],
      updates: {
        currentVersion: '0.1.0',
        unsupported: null,
        phase: 'idle',
        update: null,
        releasesUrl: 'https://github.com/inlet-app/inlet/releases',
        lastCheckedAt: null,
        nextCheckAt: null,
        problem: null,
        pendingSends: 0,
        settings: { autoCheck: true, prereleases: false },
      },
      diagnostics: 'Inlet diagnostics\n\n## Versions\ninlet: 0.1.0',
      health: { overall: 'unknown', checks: [] },
      startAtLogin: { isEnabled: false, unavailable: null, needsApproval: false },
      developer: { enabled: false },
      deliveries: [],
      workbench: {
        forwarding: { settings: { targets: [], allowRemote: false }, commandLine: [], queues: [] },
        usage: { verified: { count: 0, bytes: 0, pruned: 0 }, refused: { count: 0, bytes: 0 } },
        simulateKinds: ['message', 'react'],
      },
    };
    const answers = this.answers() as Record<string, Answer<InvokeChannel> | undefined>;
    Object.assign(
      this,
      commandsFrom((channel) =>
        vi.fn(
          answers[channel] ??
            (() => Promise.reject(new BridgeError('INTERNAL', `${channel} is not faked`))),
        ),
      ),
    );
  }

  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void) {
    const listeners = this.listeners.get(channel) ?? new Set();
    this.listeners.set(channel, listeners);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    if (channel === 'comments:saved') {
      const comment = payload as Comment;
      this.data.comments = [...this.data.comments.filter((c) => c.id !== comment.id), comment];
    }
    for (const listener of this.listeners.get(channel) ?? []) {
      (listener as (payload: EventPayload<C>) => void)(payload);
    }
  }

  readonly connection: ConnectionMonitor = {
    get: () => this.connectionState,
    subscribe: (listener) => {
      this.connectionListeners.add(listener);
      return () => void this.connectionListeners.delete(listener);
    },
    retryNow: vi.fn(),
  };

  emitConnection(state: ConnectionState): void {
    this.connectionState = state;
    for (const listener of this.connectionListeners) listener(state);
  }

  /** Listeners of the events the app store subscribes to for messages and status, and the connection. */
  get listenerCount(): number {
    const count = (channel: EventChannel) => this.listeners.get(channel)?.size ?? 0;
    return count('inbox:messageSaved') + count('app:statusChanged') + this.connectionListeners.size;
  }

  /** The in-memory answers, one per faked channel. */
  private answers(): { [C in InvokeChannel]?: Answer<C> } {
    const data = this.data;
    return {
      'app:getStatus': async () => data.status,
      'health:get': async () => data.health,
      'health:runNow': async () => data.health,
      'health:fix': async () => data.health,
      'health:testLoop': async () => data.health,
      'inbox:listConversations': async () => ({
        conversations: [...data.conversations],
        nextCursor: null,
      }),
      'inbox:listMessages': async ({ conversationId }) => ({
        messages: data.messages.filter((message) => message.conversationId === conversationId),
        nextCursor: null,
      }),
      // The thread holds every message here (one page, no older cursor): nothing lies before it.
      'inbox:listMedia': async () => ({ messages: [], nextCursor: null, total: 0 }),
      'inbox:retryMessage': async ({ messageId }) => {
        const message = data.messages.find((candidate) => candidate.id === messageId);
        if (message === undefined || message.status !== 'failed') {
          throw new BridgeError(
            'INVALID_INPUT',
            'Only a message that failed to send can be sent again.',
          );
        }
        return { message: { ...message, status: 'queued', error: null } };
      },
      'inbox:deleteMessage': async ({ messageId }) => {
        const message = data.messages.find((candidate) => candidate.id === messageId);
        const conversation = data.conversations.find(
          (candidate) => candidate.id === message?.conversationId,
        );
        if (message === undefined || conversation === undefined) {
          throw new BridgeError(
            'INVALID_INPUT',
            'Only a message that did not go out can be deleted.',
          );
        }
        return { conversation: { ...conversation } };
      },
      'inbox:markRead': async ({ conversationId }) => {
        const conversation = this.conversation(conversationId, 'NOT_FOUND');
        conversation.unreadCount = 0;
        return { conversation: { ...conversation } };
      },
      'triage:list': async () => ({ items: data.triage.map((triage) => ({ ...triage })) }),
      'triage:setDone': async ({ conversationId, isDone }) =>
        this.changeTriage(conversationId, {
          doneAt: isDone ? Date.now() : null,
          snoozedUntil: null,
        }),
      'triage:snooze': async ({ conversationId, until }) =>
        this.changeTriage(conversationId, { snoozedUntil: until, doneAt: null }),
      'triage:setLabels': async ({ conversationId, labels }) =>
        this.changeTriage(conversationId, { labels }),
      'triage:setNote': async ({ conversationId, note }) =>
        this.changeTriage(conversationId, { note }),
      'triage:markUnread': async ({ conversationId }) => {
        const conversation = this.conversation(conversationId, 'INVALID_INPUT');
        conversation.unreadCount = Math.max(conversation.unreadCount, 1);
        return { conversation: { ...conversation } };
      },
      'search:messages': async () => ({
        hits: [...data.searchResults],
        customerMatches: [...data.customerMatches],
        conversations: data.conversations.filter(
          (conversation) =>
            data.customerMatches.includes(conversation.id) ||
            data.searchResults.some((hit) => hit.conversationId === conversation.id),
        ),
      }),
      'replies:list': async () => ({ replies: [...data.replies] }),
      'replies:save': async ({ id, shortcut, body }) => {
        if (data.replies.some((reply) => reply.shortcut === shortcut && reply.id !== id)) {
          throw new BridgeError('INVALID_INPUT', `Another saved reply already uses /${shortcut}.`);
        }
        const saved = { id: id ?? this.nextId++, shortcut, body };
        data.replies = [...data.replies.filter((reply) => reply.id !== id), saved];
        return { replies: [...data.replies] };
      },
      'replies:delete': async ({ id }) => {
        data.replies = data.replies.filter((reply) => reply.id !== id);
        return { replies: [...data.replies] };
      },
      'notifications:setPresence': async () => ({}),
      'notifications:getSettings': async () => ({ mutedAccountIds: [...data.mutedAccountIds] }),
      'notifications:setMuted': async ({ accountId, isMuted }) => {
        data.mutedAccountIds = isMuted
          ? [...new Set([...data.mutedAccountIds, accountId])]
          : data.mutedAccountIds.filter((id) => id !== accountId);
        return { mutedAccountIds: [...data.mutedAccountIds] };
      },
      'sending:sendText': async ({ conversationId, text, replyToMessageId }) => {
        const quoted = data.messages.find((candidate) => candidate.id === replyToMessageId);
        return {
          message: this.queue({
            conversationId,
            text,
            replyTo: quoted?.mid
              ? {
                  mid: quoted.mid,
                  text: quoted.text,
                  messageId: quoted.id,
                  attachment: quoted.attachments[0] ?? null,
                }
              : null,
          }),
        };
      },
      'sending:sendAttachment': async ({ conversationId, fileName, mimeType }) => ({
        message: this.queue({
          conversationId,
          text: null,
          attachments: [
            {
              type: mimeType.startsWith('image/') ? 'image' : 'file',
              url: `/media/out/token-${this.nextId}`,
              title: fileName,
            },
          ],
        }),
      }),
      'sending:react': async ({ messageId }) => this.reactTo(messageId, '❤️'),
      'sending:unreact': async ({ messageId }) => this.reactTo(messageId, null),
      'sending:setTyping': async () => ({ sent: true }),
      'sending:getSettings': async () => ({ ...data.sendingSettings }),
      'sending:setSettings': async (settings) => {
        data.sendingSettings = { ...settings };
        return { ...settings };
      },
      'comments:list': async ({ accountId }) => ({
        comments: data.comments
          .filter((comment) => comment.accountId === accountId)
          .sort((a, b) => b.at - a.at),
        nextCursor: null,
      }),
      'comments:privateReply': async () => ({
        recipientId: 'commenter',
        mid: `pr-${this.nextId++}`,
      }),
      'settings:get': async () => ({ ...data.settings }),
      'settings:update': async (input) => {
        const { appSecret, ngrokAuthtoken, appId, graphVersion, ngrokDomain, metaAppSecret } =
          input;
        data.settings = {
          ...data.settings,
          ...(appId !== undefined ? { appId } : {}),
          ...(graphVersion !== undefined ? { graphVersion } : {}),
          ...(ngrokDomain !== undefined ? { ngrokDomain } : {}),
          ...(appSecret !== undefined ? { hasAppSecret: true } : {}),
          ...(ngrokAuthtoken !== undefined ? { hasNgrokAuthtoken: true } : {}),
          ...(metaAppSecret !== undefined ? { hasMetaAppSecret: true } : {}),
        };
        return { ...data.settings };
      },
      'accounts:connect': async () => ({
        authorizeUrl: 'https://www.instagram.com/oauth/authorize?client_id=990602627938098',
      }),
      'accounts:reconnect': async () => ({
        authorizeUrl: 'https://www.instagram.com/oauth/authorize?client_id=990602627938098',
      }),
      'accounts:disconnect': async () => {},
      'app:getDiagnostics': async () => ({ text: data.diagnostics }),
      'desktop:getStartAtLogin': async () => ({ ...data.startAtLogin }),
      'desktop:setStartAtLogin': async ({ isEnabled }) => {
        if (data.startAtLogin.unavailable !== null) {
          throw new BridgeError('INVALID_INPUT', 'Starting at login is not available here.');
        }
        data.startAtLogin = { ...data.startAtLogin, isEnabled };
        return { ...data.startAtLogin };
      },
      'updates:getState': async () => ({ ...data.updates }),
      'updates:check': async () => ({ ...data.updates }),
      'updates:setSettings': async (change) => {
        data.updates = { ...data.updates, settings: { ...data.updates.settings, ...change } };
        return { ...data.updates };
      },
      'updates:restart': async ({ now }) => {
        if (data.updates.phase !== 'ready' && data.updates.phase !== 'waiting-for-outbox') {
          throw new BridgeError('INVALID_INPUT', 'No update is ready to install');
        }
        const waits = now !== true && data.updates.pendingSends > 0;
        data.updates = { ...data.updates, phase: waits ? 'waiting-for-outbox' : 'installing' };
        return { ...data.updates };
      },
      'developer:getSettings': async () => ({ ...data.developer }),
      'developer:setSettings': async ({ enabled = false }) => {
        data.developer = { enabled };
        return { ...data.developer };
      },
      'developer:listDeliveries': async (filter) => ({
        deliveries: data.deliveries
          .filter(
            ({ record, body }) =>
              (filter.accountId === undefined || record.accountIds.includes(filter.accountId)) &&
              (filter.kind === undefined || record.kinds.includes(filter.kind)) &&
              (filter.signature === undefined || record.signature === filter.signature) &&
              (filter.outcome === undefined || record.outcome === filter.outcome) &&
              (filter.text === undefined ||
                body.toLowerCase().includes(filter.text.toLowerCase())) &&
              (!filter.refused || record.refused) &&
              (filter.messageId === undefined ||
                record.changes.messagesCreated.includes(filter.messageId)),
          )
          .map((delivery) => delivery.record),
      }),
      'developer:getDelivery': async ({ id }) => {
        const found = this.delivery(id);
        return {
          delivery: found.record,
          bodyBase64: btoa(String.fromCharCode(...new TextEncoder().encode(found.body))),
          headers: found.headers,
        };
      },
      // A replay of the stored body changes nothing; an edited one creates one message.
      'developer:replay': async ({ id, editedJson }) => {
        const found = this.delivery(id);
        if (found.record.refused) throw new BridgeError('INVALID_INPUT', `${id} was refused`);
        const record = {
          ...found.record,
          id: String(this.nextId++),
          changes: {
            messagesCreated: editedJson === undefined ? [] : [`m-replayed-${this.nextId}`],
            messagesUpdated: [],
            comments: [],
          },
        };
        data.deliveries = [{ ...found, record }, ...data.deliveries];
        return { delivery: record };
      },
      'developer:getWorkbench': async () => structuredClone(data.workbench),
      'developer:setForwarding': async (settings) => {
        const remote = settings.targets?.find((target) => !/^https?:\/\/127\./.test(target));
        if (remote !== undefined && settings.allowRemote !== true)
          throw new BridgeError('INVALID_INPUT', `${remote} is not this machine`);
        data.workbench.forwarding.settings = {
          targets: settings.targets ?? [],
          allowRemote: settings.allowRemote ?? false,
        };
        return structuredClone(data.workbench);
      },
      'developer:prune': async () => {
        const bodiesDropped = data.workbench.usage.verified.count;
        data.workbench.usage.verified = { count: bodiesDropped, bytes: 0, pruned: bodiesDropped };
        return { bodiesDropped, refusedDropped: 0, workbench: structuredClone(data.workbench) };
      },
      // A simulated event is a new verified delivery on top of the list.
      'developer:simulate': async ({ kind, text }) => {
        const [newest] = data.deliveries;
        if (newest === undefined) throw new BridgeError('INTERNAL', 'no delivery to copy');
        const record = { ...newest.record, id: String(this.nextId++ + 100), kinds: [kind] };
        data.deliveries = [
          { record, body: JSON.stringify({ kind, text }), headers: {} },
          ...data.deliveries,
        ];
        return { delivery: record };
      },
      'developer:curl': async ({ id }) => ({
        command: `curl -sS -X POST 'http://127.0.0.1:7070/webhook' --data-binary '${this.delivery(id).body}'`,
      }),
      'updates:cancelRestart': async () => {
        if (data.updates.phase === 'waiting-for-outbox') {
          data.updates = { ...data.updates, phase: 'ready' };
        }
        return { ...data.updates };
      },
    };
  }

  private delivery(id: string) {
    const found = this.data.deliveries.find((delivery) => delivery.record.id === id);
    if (found === undefined) throw new BridgeError('NOT_FOUND', `No delivery ${id} is kept.`);
    return found;
  }

  private conversation(conversationId: string, code: 'NOT_FOUND' | 'INVALID_INPUT') {
    const conversation = this.data.conversations.find(
      (candidate) => candidate.id === conversationId,
    );
    if (conversation === undefined) throw new BridgeError(code, 'No such conversation');
    return conversation;
  }

  /** A message as main queues it: not on Instagram yet. */
  private queue(fields: Pick<Message, 'conversationId' | 'text'> & Partial<Message>): Message {
    const message = makeMessage({
      id: `sent-${this.nextId++}`,
      mid: null,
      direction: 'out',
      at: Date.now(),
      status: 'queued',
      ...fields,
    });
    this.data.messages.push(message);
    return message;
  }

  private triageOf(conversationId: string): Triage {
    if (!this.data.conversations.some((conversation) => conversation.id === conversationId)) {
      throw new BridgeError('INVALID_INPUT', `There is no conversation ${conversationId}.`);
    }
    let triage = this.data.triage.find((candidate) => candidate.conversationId === conversationId);
    if (triage === undefined) {
      triage = { conversationId, doneAt: null, snoozedUntil: null, labels: [], note: '' };
      this.data.triage.push(triage);
    }
    return triage;
  }

  private changeTriage(conversationId: string, change: Partial<Triage>): Triage {
    Object.assign(this.triageOf(conversationId), change);
    return { ...this.triageOf(conversationId) };
  }

  private reactTo(messageId: string, emoji: string | null): { message: Message } {
    const message = this.data.messages.find((candidate) => candidate.id === messageId);
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
}
