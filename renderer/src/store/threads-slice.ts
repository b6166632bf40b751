import type { EventPayload, InvokeOutput } from '../../../shared/ipc/contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import {
  EMPTY_THREAD,
  withMessageSnapshot,
  withSavedMessage,
  withoutMessage,
  type ConversationIndex,
  type Thread,
  type ThreadIndex,
} from './transitions';
import { toUiError, type UiError } from './ui-error';

export const MESSAGE_PAGE_SIZE = 50;
/** Messages with pictures or videos per page the viewer asks for as the owner steps back. */
export const MEDIA_PAGE_SIZE = 20;

export type ThreadsSlice = ThreadIndex & {
  loadThread: (conversationId: string) => Promise<void>;
  loadOlderMessages: (conversationId: string) => Promise<void>;
  /**
   * The media viewer's pictures and videos older than `before` (a thread's older cursor); the
   * viewer keeps them for as long as it is open, the thread does not.
   */
  listOlderMedia: (
    conversationId: string,
    before: string,
  ) => Promise<InvokeOutput<'inbox:listMedia'>>;
  /**
   * `inbox:messageSaved` events, in order: each changes one conversation and at most one message,
   * nothing reloads. A burst arrives as one batch and is applied as one change of the store.
   */
  applyMessagesSaved: (payloads: readonly EventPayload<'inbox:messageSaved'>[]) => void;
  applyMessageDeleted: (payload: EventPayload<'inbox:messageDeleted'>) => void;
  /** Failed sends: try again, or give up on the message. Errors land in `messageActionErrors`. */
  retryMessage: (messageId: string) => Promise<void>;
  deleteMessage: (messageId: string) => Promise<void>;
  /** A held message is tried now rather than at the time shown. */
  sendHeldNow: (messageId: string) => Promise<void>;
  messageActionErrors: Record<string, UiError>;
};

export const createThreadsSlice =
  (client: InboxClient): SliceCreator<ThreadsSlice> =>
  (set, get) => {
    const updateThread = (conversationId: string, update: (thread: Thread) => Thread) =>
      set((state) => ({
        threads: {
          ...state.threads,
          [conversationId]: update(state.threads[conversationId] ?? EMPTY_THREAD),
        },
      }));

    /** The result arrives as events (messageSaved / messageDeleted); only a refusal is kept here. */
    const runMessageAction = async (messageId: string, action: () => Promise<unknown>) => {
      set((state) => {
        const { [messageId]: _cleared, ...rest } = state.messageActionErrors;
        return { messageActionErrors: rest };
      });
      try {
        await action();
      } catch (error) {
        const uiError = toUiError(error);
        set((state) => ({
          messageActionErrors: { ...state.messageActionErrors, [messageId]: uiError },
        }));
      }
    };

    /**
     * Loads in flight, so a second caller waits for the first instead of returning early: a
     * search result opened in a conversation that is just starting to load needs its messages.
     */
    const loading = new Map<string, Promise<void>>();

    const loadFirstPage = async (conversationId: string) => {
      updateThread(conversationId, (thread) => ({ ...thread, load: { phase: 'loading' } }));
      try {
        const page = await client.inbox.listMessages({
          conversationId,
          limit: MESSAGE_PAGE_SIZE,
        });
        updateThread(conversationId, (thread) => ({
          ...withMessageSnapshot(thread, page.messages),
          load: { phase: 'ready' },
          olderCursor: page.nextCursor,
        }));
      } catch (error) {
        const uiError = toUiError(error);
        updateThread(conversationId, (thread) => ({
          ...thread,
          load: { phase: 'error', error: uiError },
        }));
      }
    };

    return {
      threads: {},

      loadThread(conversationId) {
        const inFlight = loading.get(conversationId);
        if (inFlight !== undefined) return inFlight;
        const load = loadFirstPage(conversationId).finally(() => loading.delete(conversationId));
        loading.set(conversationId, load);
        return load;
      },

      async loadOlderMessages(conversationId) {
        const thread = get().threads[conversationId];
        if (thread === undefined || thread.olderCursor === null || thread.isLoadingOlder) return;
        const before = thread.olderCursor;
        updateThread(conversationId, (current) => ({ ...current, isLoadingOlder: true }));
        try {
          const page = await client.inbox.listMessages({
            conversationId,
            before,
            limit: MESSAGE_PAGE_SIZE,
          });
          updateThread(conversationId, (current) => ({
            ...withMessageSnapshot(current, page.messages),
            olderCursor: page.nextCursor,
            isLoadingOlder: false,
          }));
        } catch (error) {
          // The messages on screen stay valid; the button comes back for another try.
          toUiError(error);
          updateThread(conversationId, (current) => ({ ...current, isLoadingOlder: false }));
        }
      },

      listOlderMedia(conversationId, before) {
        return client.inbox.listMedia({ conversationId, before, limit: MEDIA_PAGE_SIZE });
      },

      messageActionErrors: {},

      async retryMessage(messageId) {
        await runMessageAction(messageId, () => client.inbox.retryMessage({ messageId }));
      },

      async deleteMessage(messageId) {
        await runMessageAction(messageId, () => client.inbox.deleteMessage({ messageId }));
      },

      async sendHeldNow(messageId) {
        await runMessageAction(messageId, () => client.sending.sendNow({ messageId }));
      },

      applyMessageDeleted({ messageId, conversationId }) {
        updateThread(conversationId, (thread) => withoutMessage(thread, messageId));
      },

      applyMessagesSaved(payloads) {
        set((state) => {
          let next: ConversationIndex & ThreadIndex = state;
          for (const payload of payloads) next = withSavedMessage(next, payload);
          return next;
        });
        const selected = get().selectedConversationId;
        if (payloads.some((payload) => payload.conversation.id === selected)) {
          get().markSelectedRead();
        }
      },
    };
  };
