import { z } from 'zod';
import { typedTextSchema } from '../domain/message-text';
import { MessageSchema } from '../domain/schemas';

/** The message kinds beyond plain text, and the owner's sending settings. */

const TextSchema = typedTextSchema();

/**
 * Instagram's size limits per attachment type (docs/platform.md#text-limits); larger files are
 * refused before storing.
 */
export const ATTACHMENT_MAX_BYTES = {
  image: 8 * 1024 * 1024,
  video: 25 * 1024 * 1024,
  audio: 25 * 1024 * 1024,
  file: 25 * 1024 * 1024,
} as const;
export type OutgoingAttachmentType = keyof typeof ATTACHMENT_MAX_BYTES;

/**
 * The Send API's attachment type for a file (formats of docs/platform.md#text-limits); null when
 * Instagram takes none.
 */
export function attachmentTypeOf(mimeType: string): OutgoingAttachmentType | null {
  const base = mimeType.split(';')[0]!.trim().toLowerCase();
  if (['image/png', 'image/jpeg', 'image/gif'].includes(base)) return 'image';
  if (['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/quicktime', 'video/webm'].includes(base))
    return 'video';
  if (['audio/aac', 'audio/mp4', 'audio/mpeg', 'audio/wav', 'audio/x-m4a'].includes(base))
    return 'audio';
  if (base === 'application/pdf') return 'file';
  return null;
}

/** Base64 of the largest attachment (4 characters per 3 bytes). */
const MAX_BASE64_CHARS = Math.ceil(ATTACHMENT_MAX_BYTES.video / 3) * 4;

export const SendingSettingsSchema = z.object({
  /**
   * The owner says their Meta app is approved for Human Agent (App Review,
   * docs/platform.md#reply-windows): replies written by a person may then go out up to 7 days after
   * the customer's last message.
   */
  humanAgentEnabled: z.boolean(),
});
export type SendingSettings = z.infer<typeof SendingSettingsSchema>;

export const sendingInvokeContract = {
  /**
   * A text into the conversation's outbox: on its own, as an inline reply to one message of the
   * thread, and/or tagged HUMAN_AGENT (docs/platform.md#reply-windows).
   */
  'sending:sendText': {
    input: z.object({
      conversationId: z.string().min(1),
      text: TextSchema,
      /** Local id of the quoted message; it must have a mid (be on Instagram). */
      replyToMessageId: z.string().min(1).optional(),
      /** Only honoured when the setting is on; main checks the 7-day window itself. */
      humanAgent: z.boolean().optional(),
    }),
    output: z.object({ message: MessageSchema }),
  },
  /**
   * A file picked from disk, sent as its own message through the outbox: main keeps it and serves
   * it at an unguessable, expiring URL under the public (tunnel) origin for Meta to fetch
   * (docs/platform.md#text-limits).
   */
  'sending:sendAttachment': {
    input: z.object({
      conversationId: z.string().min(1),
      fileName: z.string().trim().min(1).max(255),
      mimeType: z.string().min(1).max(100),
      /** The file's bytes in base64 (the same contract runs over IPC and the headless socket). */
      dataBase64: z
        .string()
        .min(1, 'The file is empty')
        .max(MAX_BASE64_CHARS, 'Instagram accepts files of at most 25 MB')
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file data is not base64'),
      humanAgent: z.boolean().optional(),
    }),
    output: z.object({ message: MessageSchema }),
  },
  /**
   * The business reacts with ❤️ (`love`: the value every API version accepts,
   * docs/platform.md#reactions-sent).
   */
  'sending:react': {
    input: z.object({ messageId: z.string().min(1) }),
    output: z.object({ message: MessageSchema }),
  },
  'sending:unreact': {
    input: z.object({ messageId: z.string().min(1) }),
    output: z.object({ message: MessageSchema }),
  },
  /**
   * Typing indicator while composing (docs/platform.md#sender-actions); main throttles, so call it
   * on every keystroke.
   */
  'sending:setTyping': {
    input: z.object({ conversationId: z.string().min(1), isTyping: z.boolean() }),
    output: z.object({ sent: z.boolean() }),
  },
  /**
   * A held message (throttled, waiting for its next try) is tried now instead of at the time shown;
   * Instagram may hold it again.
   */
  'sending:sendNow': {
    input: z.object({ messageId: z.string().min(1) }),
    output: z.object({}),
  },
  'sending:getSettings': { input: z.void(), output: SendingSettingsSchema },
  'sending:setSettings': { input: SendingSettingsSchema, output: SendingSettingsSchema },
} as const;

export const sendingEventContract = {} as const;
