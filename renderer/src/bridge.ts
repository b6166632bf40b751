import { LocalizedTextSchema, type LocalizedText } from '../../shared/domain/localized-text';
import type { InboxBridge } from '../../shared/ipc/bridge';
import type {
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
} from '../../shared/ipc/contract';
import type { AppErrorCode, IpcResult } from '../../shared/ipc/result';
import { HEADLESS_TOKEN_PARAM, HEADLESS_WS_PATH } from '../../shared/ipc/ws-protocol';
import { ALWAYS_CONNECTED, headlessSocketUrl, type ConnectionMonitor } from './connection';
import { ConnectionLostError, createWsBridge } from './ws-bridge';

/** Main's error codes, plus the one failure only the renderer can see: no channel to main. */
export type BridgeErrorCode = AppErrorCode | 'DISCONNECTED';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  /** Main's `message` as a catalogue key, when main gave one this build knows. */
  readonly detail: LocalizedText | null;

  constructor(
    code: BridgeErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: LocalizedText | null },
  ) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'BridgeError';
    this.code = code;
    this.detail = options?.detail ?? null;
  }
}

type Unsubscribe = () => void;

/**
 * What the rest of the renderer uses to talk to main: one method per contract channel, resolving
 * to the value or rejecting with a `BridgeError`. A new channel is one line here.
 */
export type InboxClient = {
  getStatus: () => Promise<InvokeOutput<'app:getStatus'>>;
  listConversations: (
    input: InvokeInput<'inbox:listConversations'>,
  ) => Promise<InvokeOutput<'inbox:listConversations'>>;
  listMessages: (
    input: InvokeInput<'inbox:listMessages'>,
  ) => Promise<InvokeOutput<'inbox:listMessages'>>;
  sendText: (input: InvokeInput<'inbox:sendText'>) => Promise<InvokeOutput<'inbox:sendText'>>;
  markRead: (input: InvokeInput<'inbox:markRead'>) => Promise<InvokeOutput<'inbox:markRead'>>;
  retryMessage: (
    input: InvokeInput<'inbox:retryMessage'>,
  ) => Promise<InvokeOutput<'inbox:retryMessage'>>;
  deleteMessage: (
    input: InvokeInput<'inbox:deleteMessage'>,
  ) => Promise<InvokeOutput<'inbox:deleteMessage'>>;
  // inbox-ui: triage and search
  listTriage: () => Promise<InvokeOutput<'triage:list'>>;
  setDone: (input: InvokeInput<'triage:setDone'>) => Promise<InvokeOutput<'triage:setDone'>>;
  snooze: (input: InvokeInput<'triage:snooze'>) => Promise<InvokeOutput<'triage:snooze'>>;
  setLabels: (input: InvokeInput<'triage:setLabels'>) => Promise<InvokeOutput<'triage:setLabels'>>;
  setNote: (input: InvokeInput<'triage:setNote'>) => Promise<InvokeOutput<'triage:setNote'>>;
  markUnread: (
    input: InvokeInput<'triage:markUnread'>,
  ) => Promise<InvokeOutput<'triage:markUnread'>>;
  searchMessages: (
    input: InvokeInput<'search:messages'>,
  ) => Promise<InvokeOutput<'search:messages'>>;
  onTriageChanged: (listener: (payload: EventPayload<'triage:changed'>) => void) => Unsubscribe;
  listReplies: () => Promise<InvokeOutput<'replies:list'>>;
  saveReply: (input: InvokeInput<'replies:save'>) => Promise<InvokeOutput<'replies:save'>>;
  deleteReply: (input: InvokeInput<'replies:delete'>) => Promise<InvokeOutput<'replies:delete'>>;
  // inbox-ui: notifications
  setPresence: (
    input: InvokeInput<'notifications:setPresence'>,
  ) => Promise<InvokeOutput<'notifications:setPresence'>>;
  getNotificationSettings: () => Promise<InvokeOutput<'notifications:getSettings'>>;
  setMuted: (
    input: InvokeInput<'notifications:setMuted'>,
  ) => Promise<InvokeOutput<'notifications:setMuted'>>;
  onNotificationOpened: (
    listener: (payload: EventPayload<'notifications:opened'>) => void,
  ) => Unsubscribe;
  // --- issue #6: message kinds and sending settings ---
  sendReply: (
    input: InvokeInput<'sending:sendReply'>,
  ) => Promise<InvokeOutput<'sending:sendReply'>>;
  sendAttachment: (
    input: InvokeInput<'sending:sendAttachment'>,
  ) => Promise<InvokeOutput<'sending:sendAttachment'>>;
  react: (input: InvokeInput<'sending:react'>) => Promise<InvokeOutput<'sending:react'>>;
  unreact: (input: InvokeInput<'sending:unreact'>) => Promise<InvokeOutput<'sending:unreact'>>;
  setTyping: (
    input: InvokeInput<'sending:setTyping'>,
  ) => Promise<InvokeOutput<'sending:setTyping'>>;
  privateReply: (
    input: InvokeInput<'sending:privateReply'>,
  ) => Promise<InvokeOutput<'sending:privateReply'>>;
  getSendingSettings: () => Promise<InvokeOutput<'sending:getSettings'>>;
  setSendingSettings: (
    input: InvokeInput<'sending:setSettings'>,
  ) => Promise<InvokeOutput<'sending:setSettings'>>;
  // --- comments: the comments view and private replies ---
  listComments: (input: InvokeInput<'comments:list'>) => Promise<InvokeOutput<'comments:list'>>;
  onCommentSaved: (listener: (payload: EventPayload<'comments:saved'>) => void) => Unsubscribe;
  onMessageDeleted: (
    listener: (payload: EventPayload<'inbox:messageDeleted'>) => void,
  ) => Unsubscribe;
  onMessageSaved: (listener: (payload: EventPayload<'inbox:messageSaved'>) => void) => Unsubscribe;
  onConversationSaved: (
    listener: (payload: EventPayload<'inbox:conversationSaved'>) => void,
  ) => Unsubscribe;
  onStatusChanged: (listener: (payload: EventPayload<'app:statusChanged'>) => void) => Unsubscribe;
  getSettings: () => Promise<InvokeOutput<'settings:get'>>;
  updateSettings: (
    input: InvokeInput<'settings:update'>,
  ) => Promise<InvokeOutput<'settings:update'>>;
  connectAccount: () => Promise<InvokeOutput<'accounts:connect'>>;
  reconnectAccount: (
    input: InvokeInput<'accounts:reconnect'>,
  ) => Promise<InvokeOutput<'accounts:reconnect'>>;
  disconnectAccount: (input: InvokeInput<'accounts:disconnect'>) => Promise<void>;
  onConnectFinished: (
    listener: (payload: EventPayload<'accounts:connectFinished'>) => void,
  ) => Unsubscribe;
  readonly connection: ConnectionMonitor;
};

export function createInboxClient(
  bridge: InboxBridge,
  connection: ConnectionMonitor = ALWAYS_CONNECTED,
): InboxClient {
  // `invoke`'s rest-tuple signature cannot be called with a generic input; the contract types
  // are still enforced by each method's signature below.
  const invoke = bridge.invoke.bind(bridge) as <C extends InvokeChannel>(
    channel: C,
    input?: InvokeInput<C>,
  ) => Promise<IpcResult<InvokeOutput<C>>>;
  const call = <C extends InvokeChannel>(channel: C, input?: InvokeInput<C>) =>
    unwrap(invoke(channel, input));
  return {
    getStatus: () => call('app:getStatus'),
    listConversations: (input) => call('inbox:listConversations', input),
    listMessages: (input) => call('inbox:listMessages', input),
    sendText: (input) => call('inbox:sendText', input),
    markRead: (input) => call('inbox:markRead', input),
    retryMessage: (input) => call('inbox:retryMessage', input),
    deleteMessage: (input) => call('inbox:deleteMessage', input),
    listTriage: () => call('triage:list'),
    setDone: (input) => call('triage:setDone', input),
    snooze: (input) => call('triage:snooze', input),
    setLabels: (input) => call('triage:setLabels', input),
    setNote: (input) => call('triage:setNote', input),
    markUnread: (input) => call('triage:markUnread', input),
    searchMessages: (input) => call('search:messages', input),
    onTriageChanged: (listener) => bridge.on('triage:changed', listener),
    listReplies: () => call('replies:list'),
    saveReply: (input) => call('replies:save', input),
    deleteReply: (input) => call('replies:delete', input),
    setPresence: (input) => call('notifications:setPresence', input),
    getNotificationSettings: () => call('notifications:getSettings'),
    setMuted: (input) => call('notifications:setMuted', input),
    onNotificationOpened: (listener) => bridge.on('notifications:opened', listener),
    // --- issue #6 ---
    sendReply: (input) => call('sending:sendReply', input),
    sendAttachment: (input) => call('sending:sendAttachment', input),
    react: (input) => call('sending:react', input),
    unreact: (input) => call('sending:unreact', input),
    setTyping: (input) => call('sending:setTyping', input),
    privateReply: (input) => call('sending:privateReply', input),
    getSendingSettings: () => call('sending:getSettings'),
    setSendingSettings: (input) => call('sending:setSettings', input),
    // --- comments ---
    listComments: (input) => call('comments:list', input),
    onCommentSaved: (listener) => bridge.on('comments:saved', listener),
    onMessageDeleted: (listener) => bridge.on('inbox:messageDeleted', listener),
    onMessageSaved: (listener) => bridge.on('inbox:messageSaved', listener),
    onConversationSaved: (listener) => bridge.on('inbox:conversationSaved', listener),
    onStatusChanged: (listener) => bridge.on('app:statusChanged', listener),
    getSettings: () => call('settings:get'),
    updateSettings: (input) => call('settings:update', input),
    connectAccount: () => call('accounts:connect'),
    reconnectAccount: (input) => call('accounts:reconnect', input),
    disconnectAccount: (input) => call('accounts:disconnect', input),
    onConnectFinished: (listener) => bridge.on('accounts:connectFinished', listener),
    connection,
  };
}

/** Turns the result convention of the IPC boundary back into ordinary promise rejection. */
export async function unwrap<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await pending;
  } catch (error) {
    if (error instanceof ConnectionLostError) {
      throw new BridgeError('DISCONNECTED', error.message, { cause: error });
    }
    // Handlers never throw across the boundary, so this is the transport itself failing. No detail
    // text: the UI shows the translated INTERNAL message, the cause stays on the error for logs.
    throw new BridgeError('INTERNAL', '', { cause: error });
  }
  if (result.ok) return result.value;
  // A key this build does not know (or a malformed one) leaves main's English text to speak.
  const detail = LocalizedTextSchema.safeParse(result.detail);
  throw new BridgeError(result.code, result.message, {
    detail: detail.success ? detail.data : null,
  });
}

/**
 * The only reader of `window.inbox`. The desktop preload provides it; in headless mode
 * (`inlet serve`) there is no preload, so the same bridge is built over a WebSocket to the page's
 * own host, authenticated with the per-run token the page was opened with.
 */
export function connectToMain(win: Window = window): InboxClient {
  if (win.inbox !== undefined) return createInboxClient(win.inbox);
  const ws = createWsBridge({
    url: headlessSocketUrl(win, HEADLESS_TOKEN_PARAM, HEADLESS_WS_PATH),
  });
  return createInboxClient(ws, ws.connection);
}
