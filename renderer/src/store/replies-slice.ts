import type { SavedReply } from '../../../shared/ipc/replies-contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import { toUiError, type UiError } from './ui-error';

export type RepliesSlice = {
  savedReplies: SavedReply[];
  /** The last save or delete main refused, for the editor to show. */
  repliesError: UiError | null;
  loadReplies: () => Promise<void>;
  /** Resolves true once saved; false when refused (the editor keeps the text). */
  saveReply: (reply: { id?: number; shortcut: string; body: string }) => Promise<boolean>;
  deleteReply: (id: number) => Promise<boolean>;
};

export const createRepliesSlice =
  (client: InboxClient): SliceCreator<RepliesSlice> =>
  (set) => {
    const run = async (command: () => Promise<{ replies: SavedReply[] }>): Promise<boolean> => {
      set({ repliesError: null });
      try {
        set({ savedReplies: (await command()).replies });
        return true;
      } catch (error) {
        set({ repliesError: toUiError(error) });
        return false;
      }
    };
    return {
      savedReplies: [],
      repliesError: null,
      async loadReplies() {
        await run(() => client.replies.list());
      },
      saveReply: (reply) => run(() => client.replies.save(reply)),
      deleteReply: (id) => run(() => client.replies.delete({ id })),
    };
  };
