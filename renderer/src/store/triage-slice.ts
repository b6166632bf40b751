import type { Triage } from '../../../shared/ipc/triage-contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import { withConversationSnapshot } from './transitions';
import { conversationAfter, visibleConversationIds, type InboxFilter } from './triage';
import { toUiError, type UiError } from './ui-error';

export type TriageSlice = {
  /** Only conversations with some triage state; a missing entry is open, unlabelled, note-less. */
  triageById: Record<string, Triage>;
  inboxFilter: InboxFilter;
  /** The last triage command main refused, shown until the next one. */
  triageError: UiError | null;
  loadTriage: () => Promise<void>;
  /** `triage:changed` from main, or a command's own answer. */
  applyTriage: (triage: Triage) => void;
  setInboxFilter: (filter: Partial<InboxFilter>) => void;
  /** Done on the open conversation also opens the next one the list shows (inbox-zero flow). */
  setDone: (conversationId: string, isDone: boolean) => Promise<void>;
  snooze: (conversationId: string, until: number | null) => Promise<void>;
  setLabels: (conversationId: string, labels: string[]) => Promise<void>;
  /** Resolves true once saved, false when refused (the text stays in the editor). */
  setNote: (conversationId: string, note: string) => Promise<boolean>;
  /** Puts the badge back and closes the thread, so it is not read again on the spot. */
  markUnread: (conversationId: string) => Promise<void>;
};

export const createTriageSlice =
  (client: InboxClient): SliceCreator<TriageSlice> =>
  (set, get) => {
    const run = async (command: () => Promise<Triage>): Promise<boolean> => {
      set({ triageError: null });
      try {
        get().applyTriage(await command());
        return true;
      } catch (error) {
        set({ triageError: toUiError(error) });
        return false;
      }
    };
    return {
      triageById: {},
      inboxFilter: { view: 'open', label: null, account: null },
      triageError: null,

      async loadTriage() {
        try {
          const { items } = await client.triage.list();
          set({ triageById: Object.fromEntries(items.map((item) => [item.conversationId, item])) });
        } catch (error) {
          // Conversations still show (as open); the error says why labels and notes are missing.
          set({ triageError: toUiError(error) });
        }
      },

      applyTriage(triage) {
        set((state) => ({ triageById: { ...state.triageById, [triage.conversationId]: triage } }));
      },

      setInboxFilter(filter) {
        set((state) => ({ inboxFilter: { ...state.inboxFilter, ...filter } }));
      },

      async setDone(conversationId, isDone) {
        // The list as the owner sees it now, before done takes this one off it.
        const state = get();
        const visible = visibleConversationIds(
          state.conversationOrder,
          state.conversationsById,
          state.triageById,
          state.inboxFilter,
          Date.now(),
        );
        const next = isDone ? conversationAfter(visible, conversationId) : null;
        const isSaved = await run(() => client.triage.setDone({ conversationId, isDone }));
        // Only if the owner is still on it: they may have moved on by themselves meanwhile.
        if (isSaved && next !== null && get().selectedConversationId === conversationId) {
          get().selectConversation(next);
        }
      },

      async snooze(conversationId, until) {
        await run(() => client.triage.snooze({ conversationId, until }));
      },

      async setLabels(conversationId, labels) {
        await run(() => client.triage.setLabels({ conversationId, labels }));
      },

      setNote(conversationId, note) {
        return run(() => client.triage.setNote({ conversationId, note }));
      },

      async markUnread(conversationId) {
        set({ triageError: null });
        try {
          const { conversation } = await client.triage.markUnread({ conversationId });
          set((state) => ({
            ...withConversationSnapshot(state, conversation),
            selectedConversationId:
              state.selectedConversationId === conversationId ? null : state.selectedConversationId,
          }));
        } catch (error) {
          set({ triageError: toUiError(error) });
        }
      },
    };
  };
