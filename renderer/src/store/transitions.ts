import type { EventPayload } from '../../../shared/ipc/contract';
import type { Conversation, Message, MessageStatus } from '../../../shared/domain/schemas';
import type { UiError } from './ui-error';

/** Progress of a load that the UI shows (spinner, error with retry). */
export type Loadable =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'ready' }
  | { phase: 'error'; error: UiError };

export type ConversationIndex = {
  conversationsById: Record<string, Conversation>;
  /** Conversation ids, most recent `lastMessageAt` first. */
  conversationOrder: string[];
};

export type Thread = {
  messagesById: Record<string, Message>;
  /** Message ids, oldest first. */
  messageIds: string[];
  load: Loadable;
  /** Cursor for the next page of older messages; null once the start of the thread is shown. */
  olderCursor: string | null;
  isLoadingOlder: boolean;
};

export type ThreadIndex = { threads: Record<string, Thread> };

export const EMPTY_THREAD: Thread = {
  messagesById: {},
  messageIds: [],
  load: { phase: 'idle' },
  olderCursor: null,
  isLoadingOlder: false,
};

/** Newest first; ties broken by id so the order never flickers between renders. */
export function compareConversations(a: Conversation, b: Conversation): number {
  return b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Oldest first, ties broken by id. */
export function compareMessages(a: Message, b: Message): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function indexConversations(conversations: readonly Conversation[]): ConversationIndex {
  const conversationsById: Record<string, Conversation> = {};
  for (const conversation of conversations) conversationsById[conversation.id] = conversation;
  const conversationOrder = Object.values(conversationsById)
    .sort(compareConversations)
    .map((conversation) => conversation.id);
  return { conversationsById, conversationOrder };
}

/**
 * Folds a page from `listConversations` into what is already known. An event can overtake the
 * page it belongs to, so a row already seen with newer activity is kept rather than rolled back.
 */
export function withConversationPage(
  index: ConversationIndex,
  page: readonly Conversation[],
): ConversationIndex {
  if (isPageAfter(index, page)) {
    // Scrolling down: the next page is all new and all older than the last row. Appending skips
    // re-sorting everything loaded so far (it grew with every page, to 10,000 rows).
    const conversationsById = { ...index.conversationsById };
    for (const conversation of page) conversationsById[conversation.id] = conversation;
    return {
      conversationsById,
      conversationOrder: [...index.conversationOrder, ...page.map((item) => item.id)],
    };
  }
  const merged = { ...index.conversationsById };
  for (const conversation of page) {
    const known = merged[conversation.id];
    if (known === undefined || known.lastMessageAt <= conversation.lastMessageAt) {
      merged[conversation.id] = conversation;
    }
  }
  return indexConversations(Object.values(merged));
}

/** True when `page` is sorted, unknown so far, and belongs after every row of `index`. */
function isPageAfter(index: ConversationIndex, page: readonly Conversation[]): boolean {
  const lastId = index.conversationOrder.at(-1);
  let previous = lastId === undefined ? undefined : index.conversationsById[lastId];
  if (lastId !== undefined && previous === undefined) return false;
  for (const conversation of page) {
    if (index.conversationsById[conversation.id] !== undefined) return false;
    if (previous !== undefined && compareConversations(previous, conversation) >= 0) return false;
    previous = conversation;
  }
  return true;
}

/** Replaces or inserts one conversation and moves only it within the order. */
export function withConversation(
  index: ConversationIndex,
  conversation: Conversation,
): ConversationIndex {
  const without = index.conversationOrder.filter((id) => id !== conversation.id);
  const conversationsById = { ...index.conversationsById, [conversation.id]: conversation };
  const at = insertionPoint(without, (id) => {
    const other = conversationsById[id];
    return other !== undefined && compareConversations(other, conversation) <= 0;
  });
  without.splice(at, 0, conversation.id);
  return { conversationsById, conversationOrder: without };
}

/** A single-conversation snapshot (e.g. the answer to `markRead`) that an event may have overtaken. */
export function withConversationSnapshot(
  index: ConversationIndex,
  conversation: Conversation,
): ConversationIndex {
  const known = index.conversationsById[conversation.id];
  if (known !== undefined && known.lastMessageAt > conversation.lastMessageAt) return index;
  return withConversation(index, conversation);
}

/**
 * How far a message has got. Events always win (they arrive in order), but a snapshot (a page of
 * messages, the answer to `sendText`) can be older than an event that overtook it: a snapshot may
 * not move a message backwards, e.g. from `sent` to `queued`.
 */
const STATUS_PROGRESS: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  unknown: 2,
  sent: 3,
  failed: 3,
  received: 3,
};

function isNotOlder(candidate: Message, known: Message | undefined): boolean {
  return known === undefined || STATUS_PROGRESS[candidate.status] >= STATUS_PROGRESS[known.status];
}

/** Upserts one message into a thread: a new id is inserted in time order, a known id replaced. */
export function withMessage(thread: Thread, message: Message): Thread {
  const known = thread.messagesById[message.id];
  const messagesById = { ...thread.messagesById, [message.id]: message };
  if (known !== undefined && known.at === message.at) {
    // Status changes in place (queued → sending → sent) keep the order array untouched.
    return { ...thread, messagesById };
  }
  const without =
    known === undefined
      ? [...thread.messageIds]
      : thread.messageIds.filter((id) => id !== message.id);
  const at = insertionPoint(without, (id) => {
    const other = messagesById[id];
    return other !== undefined && compareMessages(other, message) <= 0;
  });
  without.splice(at, 0, message.id);
  return { ...thread, messagesById, messageIds: without };
}

/** Drops a deleted message from its thread; unknown ids change nothing. */
export function withoutMessage(thread: Thread, messageId: string): Thread {
  if (thread.messagesById[messageId] === undefined) return thread;
  const { [messageId]: _removed, ...messagesById } = thread.messagesById;
  return {
    ...thread,
    messagesById,
    messageIds: thread.messageIds.filter((id) => id !== messageId),
  };
}

/** Merges a snapshot of messages (a page, a send answer) without rolling back newer states. */
export function withMessageSnapshot(thread: Thread, messages: readonly Message[]): Thread {
  let next = thread;
  for (const message of messages) {
    if (isNotOlder(message, next.messagesById[message.id])) next = withMessage(next, message);
  }
  return next;
}

/**
 * A command's answer about a message main just queued (a send): shown unless an event already
 * did. The answer is the message as first queued; events may have said more since (e.g. "held:
 * connect the account again"), and events win over the answer.
 */
export function withQueuedMessage(state: ThreadIndex, message: Message): Partial<ThreadIndex> {
  const thread = state.threads[message.conversationId] ?? EMPTY_THREAD;
  if (thread.messagesById[message.id] !== undefined) return {};
  return {
    threads: {
      ...state.threads,
      [message.conversationId]: withMessageSnapshot(thread, [message]),
    },
  };
}

/**
 * `inbox:messageSaved`: touches exactly one conversation and, if its thread has been opened, one
 * message. Threads never opened stay unloaded; they fetch the message with the rest when opened.
 */
export function withSavedMessage<S extends ConversationIndex & ThreadIndex>(
  state: S,
  { message, conversation }: EventPayload<'inbox:messageSaved'>,
): ConversationIndex & ThreadIndex {
  const index = withConversation(state, conversation);
  const thread = state.threads[conversation.id];
  if (thread === undefined) return { ...index, threads: state.threads };
  return {
    ...index,
    threads: { ...state.threads, [conversation.id]: withMessage(thread, message) },
  };
}

/** First position whose element should come after the new one (binary search). */
function insertionPoint(ids: readonly string[], comesBefore: (id: string) => boolean): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comesBefore(ids[middle] as string)) low = middle + 1;
    else high = middle;
  }
  return low;
}
