import { HUMAN_AGENT_WINDOW_MS, REPLY_WINDOW_MS } from '../../../shared/domain/reply-windows';
import type { Conversation, Message } from '../../../shared/domain/schemas';
import type { SendingSettings } from '../../../shared/ipc/sending-contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import { sendableText } from './composer-slice';
import { withMessageSnapshot, withQueuedMessage } from './transitions';
import { toUiError, type UiError } from './ui-error';

/** Whether a reply may go out now, and how: plainly, only as a human agent, or not at all. */
export type ReplyWindow = 'open' | 'human-agent' | 'closed';

export function replyWindowOf(conversation: Conversation, now: number): ReplyWindow {
  if (conversation.lastInboundAt === null) return 'closed';
  const since = now - conversation.lastInboundAt;
  if (since <= REPLY_WINDOW_MS) return 'open';
  return since <= HUMAN_AGENT_WINDOW_MS ? 'human-agent' : 'closed';
}

/** Reply-to, reactions, attachments, typing and the Human Agent setting. */
export type SendingSlice = {
  /** The message the next reply quotes, per conversation. */
  replyTargets: Record<string, string>;
  /** The owner ticked "send as a human agent" for this conversation's next replies. */
  humanAgentChoices: Record<string, boolean>;
  sendingSettings: SendingSettings | null;
  reactionErrors: Record<string, UiError>;
  setReplyTarget: (conversationId: string, messageId: string | null) => void;
  setHumanAgentChoice: (conversationId: string, isOn: boolean) => void;
  loadSendingSettings: () => Promise<void>;
  setHumanAgentEnabled: (isEnabled: boolean) => Promise<void>;
  /** Toggles the business's ❤️ on a message. */
  toggleReaction: (messageId: string) => Promise<void>;
  /** Sends a text the way the composer is set up (quoted, tagged); throws like `sendText`. */
  sendComposed: (conversationId: string, text: string) => Promise<Message>;
  /**
   * Sends a file, then its caption (if any) as the next message: Instagram has no captions on
   * attachments (docs/platform.md#text-limits). Failures land in `sendErrors`.
   */
  sendFile: (conversationId: string, file: File, caption?: string) => Promise<void>;
  /** Tells the customer the owner is typing; best effort, main throttles. */
  noteTyping: (conversationId: string, isTyping: boolean) => void;
};

export const createSendingSlice =
  (client: InboxClient): SliceCreator<SendingSlice> =>
  (set, get) => {
    return {
      replyTargets: {},
      humanAgentChoices: {},
      sendingSettings: null,
      reactionErrors: {},

      setReplyTarget(conversationId, messageId) {
        set((state) => {
          const { [conversationId]: _dropped, ...rest } = state.replyTargets;
          return {
            replyTargets: messageId === null ? rest : { ...rest, [conversationId]: messageId },
          };
        });
      },

      setHumanAgentChoice(conversationId, isOn) {
        set((state) => ({
          humanAgentChoices: { ...state.humanAgentChoices, [conversationId]: isOn },
        }));
      },

      async loadSendingSettings() {
        try {
          set({ sendingSettings: await client.sending.getSettings() });
        } catch (error) {
          // The composer then offers no Human Agent option; the cause goes to the console.
          toUiError(error);
        }
      },

      async setHumanAgentEnabled(isEnabled) {
        // Shown at once (the checkbox follows the click); main's answer, or the old value, wins.
        const before = get().sendingSettings;
        set({ sendingSettings: { humanAgentEnabled: isEnabled } });
        try {
          set({
            sendingSettings: await client.sending.setSettings({ humanAgentEnabled: isEnabled }),
          });
        } catch (error) {
          toUiError(error);
          set({ sendingSettings: before });
        }
      },

      async toggleReaction(messageId) {
        const message = Object.values(get().threads)
          .map((thread) => thread.messagesById[messageId])
          .find((candidate) => candidate !== undefined);
        const hasMine = message?.reactions.some((reaction) => reaction.by === 'business') ?? false;
        set((state) => {
          const { [messageId]: _cleared, ...rest } = state.reactionErrors;
          return { reactionErrors: rest };
        });
        try {
          const { message: updated } = hasMine
            ? await client.sending.unreact({ messageId })
            : await client.sending.react({ messageId });
          set((state) => {
            const thread = state.threads[updated.conversationId];
            if (thread === undefined) return {};
            return {
              threads: {
                ...state.threads,
                [updated.conversationId]: withMessageSnapshot(thread, [updated]),
              },
            };
          });
        } catch (error) {
          const uiError = toUiError(error);
          set((state) => ({ reactionErrors: { ...state.reactionErrors, [messageId]: uiError } }));
        }
      },

      async sendComposed(conversationId, text) {
        const state = get();
        const replyToMessageId = state.replyTargets[conversationId];
        const humanAgent = state.humanAgentChoices[conversationId] === true;
        get().noteTyping(conversationId, false);
        const { message } = await client.sending.sendText({
          conversationId,
          text,
          ...(replyToMessageId !== undefined && { replyToMessageId }),
          ...(humanAgent && { humanAgent }),
        });
        get().setReplyTarget(conversationId, null);
        return message;
      },

      async sendFile(conversationId, file, caption = '') {
        const { [conversationId]: _cleared, ...others } = get().sendErrors;
        set({ sendErrors: others });
        try {
          const { message } = await client.sending.sendAttachment({
            conversationId,
            fileName: file.name,
            mimeType: file.type,
            dataBase64: await base64Of(file),
            ...(get().humanAgentChoices[conversationId] === true && { humanAgent: true }),
          });
          set((state) => withQueuedMessage(state, message));
          const text = sendableText(caption);
          if (text !== null) {
            const captioned = await get().sendComposed(conversationId, text);
            set((state) => withQueuedMessage(state, captioned));
          }
        } catch (error) {
          const uiError = toUiError(error);
          set((state) => ({ sendErrors: { ...state.sendErrors, [conversationId]: uiError } }));
        }
      },

      noteTyping(conversationId, isTyping) {
        // Typing is a courtesy: a refusal (window closed, offline) must never disturb the owner.
        void client.sending.setTyping({ conversationId, isTyping }).catch(() => undefined);
      },
    };
  };

async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In chunks: String.fromCharCode(...all) overflows the stack for files of a few MB.
  for (let offset = 0; offset < bytes.length; offset += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
