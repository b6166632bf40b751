import { z } from 'zod';
import { FailureReasonSchema } from './failure-reason';

/**
 * Instagram ids are numeric strings that can exceed 2^53 (docs/platform.md#token-exchange): never
 * numbers.
 */
export const InstagramIdSchema = z
  .string()
  .regex(/^\d{1,32}$/, 'an Instagram id is a string of digits');

/** Where both shells serve archived attachments, same-origin with the renderer. */
export const ARCHIVED_MEDIA_PATH = '/archive/media/';

export const AttachmentSchema = z.object({
  /**
   * Instagram's attachment type (image, video, audio, file, ig_post, story_mention, …), kept
   * verbatim.
   */
  type: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  /**
   * Inlet's own copy (same-origin path under /archive/media/), once downloaded: Instagram's CDN
   * links expire. Absent until then, or for good when it could not be fetched (url stays).
   */
  archivedUrl: z.string().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * The attachment types the media viewer steps through (pictures, GIFs, videos): the renderer
 * draws them as images and videos, and the archive finds a conversation's older ones by them.
 */
export const GALLERY_ATTACHMENT_TYPES: readonly string[] = ['image', 'animated_image', 'video'];

export const MessageStatusSchema = z.enum([
  'received', // inbound from the customer
  'queued', // written to the outbox, not yet on the wire
  'sending', // request in flight
  'sent', // Graph answered with a message_id
  'unknown', // the request left but no answer came back: reconcile before any resend
  'failed', // Graph refused it; `error` says why
]);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

export const ReactionSchema = z.object({
  /**
   * Instagram allows one reaction per person per message; a new one replaces the old
   * (docs/platform.md#other-messaging-fields).
   */
  by: z.enum(['customer', 'business']),
  emoji: z.string(),
});
export type Reaction = z.infer<typeof ReactionSchema>;

/**
 * Why a message arrived, shown as a context line above it (docs/platform.md#messages-field,
 * docs/platform.md#other-messaging-fields).
 */
export const MessageContextSchema = z.discriminatedUnion('kind', [
  /** The customer tapped a quick reply; `text` is the button title. */
  z.object({ kind: z.literal('quick_reply'), payload: z.string() }),
  /** An icebreaker, persistent-menu or template button tap. */
  z.object({
    kind: z.literal('postback'),
    title: z.string().nullable(),
    payload: z.string().nullable(),
  }),
  /** A click-to-Instagram-Direct ad or an ig.me link with a ref. */
  z.object({
    kind: z.literal('referral'),
    source: z.string().nullable(),
    ref: z.string().nullable(),
    adId: z.string().nullable(),
    adTitle: z.string().nullable(),
  }),
  /** Catch-up could not read everything missed here: older messages are lost to Inlet. */
  z.object({ kind: z.literal('gap') }),
]);
export type MessageContext = z.infer<typeof MessageContextSchema>;

export const MessageSchema = z.object({
  /**
   * Local id: stable before Instagram assigns a mid (outgoing messages are stored before sending).
   */
  id: z.string(),
  /** Instagram's message id, null until Graph returns one for an outgoing message. */
  mid: z.string().nullable(),
  conversationId: z.string(),
  direction: z.enum(['in', 'out']),
  text: z.string().nullable(),
  attachments: z.array(AttachmentSchema),
  /** Event time in epoch milliseconds (Instagram's `timestamp`, or when the owner pressed send). */
  at: z.number(),
  status: MessageStatusSchema,
  /**
   * Why a send failed, is held or is unknown; null when nothing went wrong. Rows written before
   * reasons had keys carry only the English text.
   */
  error: FailureReasonSchema.nullable(),
  /** Outgoing messages sent from the Instagram app (echoes Inlet did not send). */
  isFromOtherApp: z.boolean(),
  /** Inline (quoted) reply: the quoted message's mid, and what the archive knows of it. */
  replyTo: z
    .object({
      mid: z.string(),
      text: z.string().nullable(),
      /** The quoted message's local id when the archive has it: the quote leads to it. */
      messageId: z.string().nullable(),
      /**
       * Its first attachment, for a thumbnail or its kind ("Photo"); the story it answered or
       * mentioned comes as a `story_mention`. Null when it has none, is unsent or is unknown.
       */
      attachment: AttachmentSchema.nullable(),
    })
    .nullable(),
  /** A reply to, or a mention in, a story; the URL stops working when the story expires. */
  story: z
    .object({
      kind: z.enum(['reply', 'mention']),
      url: z.string().nullable(),
      /** Inlet's own copy of the story's picture, like an attachment's: stories expire in a day. */
      archivedUrl: z.string().optional(),
    })
    .nullable(),
  reactions: z.array(ReactionSchema),
  /** How many times the customer edited it (Instagram allows 5); 0 when never edited. */
  editCount: z.number().int().nonnegative(),
  /** The customer unsent it: keep the row, show that it was unsent, hide the content. */
  isDeleted: z.boolean(),
  /**
   * Outgoing only: when the customer had seen up to this message (a read watermark,
   * docs/platform.md#other-messaging-fields).
   */
  seenAt: z.number().nullable(),
  /** Content Instagram's API cannot represent (`is_unsupported`, unknown attachment kinds). */
  isUnsupported: z.boolean(),
  context: MessageContextSchema.nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSchema = z.object({
  /** `${accountId}:${customerId}`: a customer's IGSID is scoped to one business account. */
  id: z.string(),
  accountId: InstagramIdSchema,
  customerId: InstagramIdSchema,
  customerUsername: z.string().nullable(),
  customerName: z.string().nullable(),
  /**
   * Inlet's own copy of the customer's profile picture (same-origin path under /archive/media/),
   * null until one was downloaded: Instagram's link expires, so the UI never shows it directly.
   */
  customerPictureUrl: z.string().nullable(),
  lastMessageAt: z.number(),
  lastMessagePreview: z.string(),
  /** Epoch ms of the customer's latest message: the 24-hour reply window starts here. */
  lastInboundAt: z.number().nullable(),
  unreadCount: z.number().int().nonnegative(),
  /** Its worst undelivered send: `failed`, or `held` (queued with a reason); the list marks it. */
  sendProblem: z.enum(['failed', 'held']).nullable(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const AccountSchema = z.object({
  igUserId: InstagramIdSchema,
  username: z.string(),
  /**
   * `reconnect-needed`: the token expired, Meta answered 190, or the saved login cannot be
   * decrypted; only a new login helps, and the UI offers it in one click.
   */
  state: z.enum(['connected', 'reconnect-needed']),
  /** Why a reconnect is needed; null when connected. */
  reason: FailureReasonSchema.nullable(),
  /** `oauth`: connected in Inlet, can be disconnected; `configured`: sandbox or environment. */
  source: z.enum(['oauth', 'configured']),
  /** Inlet's copy of the account's profile picture (under /archive/media/), null until kept. */
  pictureUrl: z.string().nullable(),
});
export type Account = z.infer<typeof AccountSchema>;

export const AppModeSchema = z.enum(['sandbox', 'live']);
export type AppMode = z.infer<typeof AppModeSchema>;

export const AppStatusSchema = z.object({
  /** Sandbox: every Instagram endpoint is the embedded emulator; nothing calls Meta. */
  mode: AppModeSchema,
  /**
   * Why Inlet shows the sandbox although the owner configured a Meta app (a saved secret it could
   * not unlock); null when the sandbox is simply the default.
   */
  sandboxReason: FailureReasonSchema.nullable(),
  accounts: z.array(AccountSchema),
  /** Local webhook listener, e.g. http://127.0.0.1:4100/webhook. */
  webhookUrl: z.string().nullable(),
  /** The public https callback URL to paste into Meta's dashboard, when a tunnel is up. */
  publicWebhookUrl: z.string().nullable(),
  tunnel: z.object({
    state: z.enum(['off', 'connecting', 'online', 'error']),
    /** Why it is not online (also while it reconnects after a drop); null when nothing is wrong. */
    error: FailureReasonSchema.nullable(),
    /** Epoch ms of the next connection attempt after a failure; null when none is planned. */
    retryAt: z.number().nullable(),
  }),
  /**
   * The token to paste beside the callback URL in Meta's dashboard (docs/platform.md#verification).
   * Not a secret from the owner: it only proves to Inlet that the handshake comes from their own
   * dashboard.
   */
  verifyToken: z.string().nullable(),
  /** Epoch ms of the last webhook delivery accepted. */
  lastEventAt: z.number().nullable(),
  /** The disk is full: deliveries are refused (503, Instagram retries) until it has room again. */
  diskFull: z.boolean(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

export function conversationIdOf(accountId: string, customerId: string): string {
  return `${accountId}:${customerId}`;
}
