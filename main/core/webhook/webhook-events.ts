import type { Attachment, MessageContext } from '../../../shared/domain/schemas';

/**
 * Normalized inbox events derived from one webhook delivery (docs/platform.md#webhooks,
 * docs/platform.md#payload-catalogue). Anything Inlet does not act on is kept as `ignored` with a
 * reason; the raw delivery is archived regardless, so nothing is lost and a later version can
 * re-read it.
 */
export type MessageEvent = {
  kind: 'message';
  accountId: string;
  customerId: string;
  mid: string;
  direction: 'in' | 'out';
  text: string | null;
  attachments: Attachment[];
  at: number;
  /**
   * From `standby[]`: another app owns the thread; show it, never auto-reply
   * (docs/platform.md#other-messaging-fields).
   */
  isStandby: boolean;
  /** `reply_to.mid`: an inline (quoted) reply (docs/platform.md#messages-field). */
  replyToMid: string | null;
  story: { kind: 'reply' | 'mention'; url: string | null } | null;
  /** `is_unsupported`, or an attachment kind Inlet does not know that carries nothing to show. */
  isUnsupported: boolean;
  context: MessageContext | null;
  /**
   * A standalone `referral` (ig.me link opened in an existing thread,
   * docs/platform.md#other-messaging-fields): a context line, not something the customer wrote, so
   * it neither counts as unread nor reopens the reply window.
   */
  isContextOnly: boolean;
};

/**
 * `message_edit` (docs/platform.md#other-messaging-fields); `customerId` is null for the minimal
 * form without sender/recipient.
 */
export type EditEvent = {
  kind: 'edit';
  accountId: string;
  customerId: string | null;
  mid: string;
  /** Missing in the observed `num_edit: 0` form: keep the old text then. */
  text: string | null;
  numEdit: number;
  at: number;
};

/** `is_deleted` on a message: the customer unsent `mid` (docs/platform.md#messages-field). */
export type UnsendEvent = {
  kind: 'unsend';
  accountId: string;
  customerId: string | null;
  mid: string;
  at: number;
};

/**
 * `message_reactions` (docs/platform.md#other-messaging-fields). `emoji` null is an unreact: clear
 * that person's reaction.
 */
export type ReactionEvent = {
  kind: 'reaction';
  accountId: string;
  customerId: string | null;
  mid: string;
  by: 'customer' | 'business';
  emoji: string | null;
  at: number;
};

/**
 * `messaging_seen` (docs/platform.md#other-messaging-fields): the customer has seen everything up
 * to `mid`.
 */
export type SeenEvent = {
  kind: 'seen';
  accountId: string;
  customerId: string | null;
  mid: string;
  at: number;
};

/** `comments` / `live_comments` (docs/platform.md#comments-field). */
export type CommentEvent = {
  kind: 'comment';
  accountId: string;
  field: 'comments' | 'live_comments';
  id: string;
  mediaId: string | null;
  mediaProductType: string | null;
  fromId: string | null;
  fromUsername: string | null;
  text: string | null;
  at: number;
  parentId: string | null;
  /** The business's own comment (`from.id` = IG_ID, or `self_ig_scoped_id`): never reply to it. */
  isSelf: boolean;
};

export type IgnoredEvent = { kind: 'ignored'; accountId: string | null; reason: string };

/**
 * The echo of a message the business sent itself (`is_self`, docs/platform.md#self-messaging):
 * never a conversation, only the proof the self-test waits for.
 */
export type SelfEchoEvent = { kind: 'self-echo'; accountId: string; mid: string };

export type WebhookEvent =
  | MessageEvent
  | EditEvent
  | UnsendEvent
  | ReactionEvent
  | SeenEvent
  | CommentEvent
  | IgnoredEvent
  | SelfEchoEvent;
