import { MAX_TEXT_BYTES, utf8ByteLength } from '../../../shared/domain/message-text';
import type { SliceCreator } from './app-state';
import { withQueuedMessage } from './transitions';
import { toUiError, type UiError } from './ui-error';

export type ComposerSlice = {
  /** Unsent text per conversation, so switching threads never loses a reply. */
  drafts: Record<string, string>;
  sendErrors: Record<string, UiError>;
  setDraft: (conversationId: string, text: string) => void;
  /** Sends the conversation's draft; on failure the draft comes back and the error is kept. */
  sendDraft: (conversationId: string) => Promise<void>;
};

/** What would be sent: main trims too, and Instagram's limit applies to the trimmed text. */
export function sendableText(draft: string): string | null {
  const text = draft.trim();
  return text.length > 0 && utf8ByteLength(text) <= MAX_TEXT_BYTES ? text : null;
}

export const createComposerSlice = (): SliceCreator<ComposerSlice> => (set, get) => ({
  drafts: {},
  sendErrors: {},

  setDraft(conversationId, text) {
    set((state) => ({ drafts: { ...state.drafts, [conversationId]: text } }));
  },

  async sendDraft(conversationId) {
    const draft = get().drafts[conversationId] ?? '';
    const text = sendableText(draft);
    if (text === null) return;
    set((state) => ({
      drafts: { ...state.drafts, [conversationId]: '' },
      sendErrors: withoutKey(state.sendErrors, conversationId),
    }));
    try {
      const message = await get().sendComposed(conversationId, text);
      set((state) => withQueuedMessage(state, message));
    } catch (error) {
      const uiError = toUiError(error);
      set((state) => ({
        // Only restore if the owner has not started another message meanwhile.
        drafts:
          (state.drafts[conversationId] ?? '') === ''
            ? { ...state.drafts, [conversationId]: draft }
            : state.drafts,
        sendErrors: { ...state.sendErrors, [conversationId]: uiError },
      }));
    }
  },
});

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}
