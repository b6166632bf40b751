import { newMid, newObjectId } from './ids';
import type { WebhookEvent } from './webhook-delivery';
import type { Comment, Customer, StoredAttachment, StoredMessage, World } from './world';

/** A click-to-Direct ad's referral, as a message from the ad carries it (catalogue entry 16). */
export const AD_REFERRAL = {
  ref: 'spring_linen_ca',
  ad_id: '120214567390870123',
  source: 'ADS',
  type: 'OPEN_THREAD',
  ads_context_data: {
    ad_title: 'Spring linen – free shipping',
    photo_url: 'https://scontent.cdninstagram.com/ad.jpg',
  },
};

/**
 * What simulated people do, turned into the webhook events Meta would send (shapes from
 * docs/platform.md#payload-catalogue; key order as Meta writes it) and recorded in the world so the
 * Graph API can read the same history back.
 */

export type EventContext = {
  world: World;
  now: number;
  cdnUrl: (assetId: string, type: string) => string;
};

export type AttachmentInput = { type: string; url?: string; title?: string; mediaId?: string };

export type CustomerMessageInput = {
  text?: string;
  attachments?: AttachmentInput[];
  replyToMid?: string;
  replyToStory?: { url?: string; id?: string };
  quickReplyPayload?: string;
  referral?: Record<string, unknown>;
  isUnsupported?: boolean;
  /**
   * Deliver under `standby[]` as if another app owned the thread
   * (docs/platform.md#other-messaging-fields).
   */
  standby?: boolean;
  mid?: string;
  timestamp?: number;
};

/** Reaction names and the emoji Meta sends with them (docs/platform.md#other-messaging-fields). */
const REACTION_EMOJI: Record<string, string> = {
  love: '❤️',
  like: '👍',
  laugh: '😂',
  wow: '😮',
  sad: '😢',
  angry: '😡',
};

export function customerOf(world: World, igsid: string): Customer {
  const customer = world.customers.get(igsid);
  if (!customer) throw new EventInputError(404, `unknown customer ${igsid}`);
  return customer;
}

export class EventInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function fromCustomer(customer: Customer, timestamp: number) {
  return { sender: { id: customer.igsid }, recipient: { id: customer.accountId }, timestamp };
}

export function customerMessage(ctx: EventContext, igsid: string, input: CustomerMessageInput) {
  const customer = customerOf(ctx.world, igsid);
  const timestamp = input.timestamp ?? ctx.now;
  const mid = input.mid ?? newMid(customer.accountId);
  const attachments = (input.attachments ?? []).map((a, index) =>
    resolveAttachment(ctx, mid, index, a),
  );
  if (!input.text && attachments.length === 0 && !input.isUnsupported) {
    throw new EventInputError(400, 'a message needs text, attachments or isUnsupported');
  }
  const story = input.replyToStory
    ? {
        url: input.replyToStory.url ?? ctx.cdnUrl(`${mid}-story`, 'image'),
        id: input.replyToStory.id ?? newObjectId('18'),
      }
    : undefined;
  const message: Record<string, unknown> = {
    quick_reply: input.quickReplyPayload ? { payload: input.quickReplyPayload } : undefined,
    mid,
    text: input.text,
    attachments: attachments.length ? attachments.map(webhookAttachment) : undefined,
    is_unsupported: input.isUnsupported || undefined,
    reply_to: input.replyToMid ? { mid: input.replyToMid } : story ? { story } : undefined,
    referral: input.referral,
  };
  ctx.world.addMessage({
    mid,
    accountId: customer.accountId,
    igsid,
    direction: 'in',
    createdAt: timestamp,
    text: input.text,
    attachments,
    replyToMid: input.replyToMid,
    story: story ? { kind: 'reply_to', link: story.url, id: story.id } : storyMention(attachments),
    isUnsupported: input.isUnsupported,
    reactions: [],
  });
  openWindow(customer, timestamp);
  const event: WebhookEvent = {
    accountId: customer.accountId,
    field: input.standby ? 'standby' : 'messages',
    container: input.standby ? 'standby' : 'messaging',
    item: { ...fromCustomer(customer, timestamp), message },
  };
  return { mid, event };
}

function storyMention(attachments: StoredAttachment[]): StoredMessage['story'] {
  const mention = attachments.find((a) => a.type === 'story_mention');
  return mention?.url ? { kind: 'mention', link: mention.url, id: newObjectId('18') } : undefined;
}

/**
 * A new inbound message (or icebreaker tap) restarts the 24-hour window
 * (docs/platform.md#reply-windows).
 */
function openWindow(customer: Customer, timestamp: number): void {
  customer.hasConsented = true;
  customer.lastInboundAt = Math.max(customer.lastInboundAt ?? 0, timestamp);
}

function resolveAttachment(
  ctx: EventContext,
  mid: string,
  index: number,
  input: AttachmentInput,
): StoredAttachment {
  // View-once media carry no URL at all (docs/platform.md#messages-field).
  if (input.type === 'ephemeral') return { type: 'ephemeral' };
  const url = input.url ?? ctx.cdnUrl(`${mid}-${index}`, input.type);
  const mediaId =
    input.mediaId ??
    (input.type === 'ig_post' || input.type === 'ig_reel' || input.type === 'reel'
      ? newObjectId('18')
      : undefined);
  return { type: input.type, url, title: input.title, mediaId };
}

function webhookAttachment(attachment: StoredAttachment): Record<string, unknown> {
  if (attachment.type === 'ephemeral') return { type: 'ephemeral' };
  if (attachment.type === 'ig_reel' || attachment.type === 'reel') {
    return {
      type: attachment.type,
      payload: { reel_video_id: attachment.mediaId, title: attachment.title, url: attachment.url },
    };
  }
  if (attachment.type === 'ig_post') {
    return {
      type: 'ig_post',
      payload: {
        url: attachment.url,
        title: attachment.title,
        ig_post_media_id: attachment.mediaId,
      },
    };
  }
  return { type: attachment.type, payload: { url: attachment.url, title: attachment.title } };
}

export function customerReaction(
  ctx: EventContext,
  igsid: string,
  input: {
    mid: string;
    action: 'react' | 'unreact';
    reaction?: string;
    emoji?: string;
    timestamp?: number;
  },
): WebhookEvent {
  const customer = customerOf(ctx.world, igsid);
  const target = ctx.world.message(input.mid);
  const timestamp = input.timestamp ?? ctx.now;
  let reaction: Record<string, unknown> = { mid: input.mid, action: 'unreact' };
  if (target) target.reactions = target.reactions.filter((r) => r.userId !== igsid);
  if (input.action === 'react') {
    const name = input.reaction ?? (input.emoji ? 'other' : 'love');
    const emoji = input.emoji ?? REACTION_EMOJI[name] ?? '❤️';
    reaction = { mid: input.mid, action: 'react', reaction: name, emoji };
    // One reaction per person per message; a new one replaces the old
    // (docs/platform.md#other-messaging-fields).
    target?.reactions.push({ userId: igsid, reaction: name, emoji });
  }
  return {
    accountId: customer.accountId,
    field: 'message_reactions',
    container: 'messaging',
    item: { ...fromCustomer(customer, timestamp), reaction },
  };
}

export function customerEdit(
  ctx: EventContext,
  igsid: string,
  input: { mid: string; text?: string; numEdit?: number; minimal?: boolean; timestamp?: number },
): WebhookEvent {
  const customer = customerOf(ctx.world, igsid);
  const target = ctx.world.message(input.mid);
  if (target && input.text !== undefined) target.text = input.text;
  const timestamp = input.timestamp ?? ctx.now;
  const edit = { mid: input.mid, text: input.text, num_edit: input.numEdit ?? 1 };
  // Edits have been captured without sender/recipient (docs/platform.md#envelope,
  // docs/platform.md#payload-catalogue [24]).
  const envelope = input.minimal ? { timestamp } : fromCustomer(customer, timestamp);
  return {
    accountId: customer.accountId,
    field: 'message_edit',
    container: 'messaging',
    item: { ...envelope, message_edit: edit },
  };
}

export function customerUnsend(
  ctx: EventContext,
  igsid: string,
  input: { mid: string; timestamp?: number },
): WebhookEvent {
  const customer = customerOf(ctx.world, igsid);
  const target = ctx.world.message(input.mid);
  if (target) target.isDeleted = true;
  return {
    accountId: customer.accountId,
    field: 'messages',
    container: 'messaging',
    item: {
      ...fromCustomer(customer, input.timestamp ?? ctx.now),
      message: { mid: input.mid, is_deleted: true },
    },
  };
}

export function customerSeen(
  ctx: EventContext,
  igsid: string,
  input: { mid?: string; minimal?: boolean; timestamp?: number },
): WebhookEvent {
  const customer = customerOf(ctx.world, igsid);
  const mid =
    input.mid ??
    ctx.world.thread(customer.accountId, igsid).find((m) => m.direction === 'out')?.mid;
  if (!mid)
    throw new EventInputError(400, 'nothing to mark seen: the business has not written yet');
  const timestamp = input.timestamp ?? ctx.now;
  // Reads have been captured without sender/recipient (docs/platform.md#envelope,
  // docs/platform.md#payload-catalogue [29]).
  const envelope = input.minimal ? { timestamp } : fromCustomer(customer, timestamp);
  return {
    accountId: customer.accountId,
    field: 'messaging_seen',
    container: 'messaging',
    item: { ...envelope, read: { mid } },
  };
}

export function customerPostback(
  ctx: EventContext,
  igsid: string,
  input: { title: string; payload: string; mid?: string; timestamp?: number },
): WebhookEvent {
  const customer = customerOf(ctx.world, igsid);
  const timestamp = input.timestamp ?? ctx.now;
  // An icebreaker or menu tap opens the window and grants profile consent
  // (docs/platform.md#reply-windows, docs/platform.md#user-profile).
  openWindow(customer, timestamp);
  return {
    accountId: customer.accountId,
    field: 'messaging_postbacks',
    container: 'messaging',
    item: {
      ...fromCustomer(customer, timestamp),
      postback: {
        mid: input.mid ?? newMid(customer.accountId),
        title: input.title,
        payload: input.payload,
      },
    },
  };
}

export function customerReferral(
  ctx: EventContext,
  igsid: string,
  input: { ref: string; source?: string; type?: string; timestamp?: number },
): WebhookEvent {
  const customer = customerOf(ctx.world, igsid);
  return {
    accountId: customer.accountId,
    field: 'messaging_referral',
    container: 'messaging',
    item: {
      ...fromCustomer(customer, input.timestamp ?? ctx.now),
      referral: {
        ref: input.ref,
        source:
          input.source ??
          `https://ig.me/m/${ctx.world.accounts.get(customer.accountId)?.username ?? ''}`,
        type: input.type ?? 'OPEN_THREAD',
      },
    },
  };
}

/**
 * An outgoing message as its echo webhook (docs/platform.md#payload-catalogue [20]): sender and
 * recipient swapped, same mid as the Send API returned. Also used for messages the owner types in
 * the Instagram app.
 */
export function echoEvent(message: StoredMessage): WebhookEvent {
  return {
    accountId: message.accountId,
    field: 'messages',
    container: 'messaging',
    item: {
      sender: { id: message.accountId },
      recipient: { id: message.igsid },
      timestamp: message.createdAt,
      message: {
        mid: message.mid,
        text: message.text,
        attachments: message.attachments.length
          ? message.attachments.map(webhookAttachment)
          : undefined,
        reply_to: message.replyToMid ? { mid: message.replyToMid } : undefined,
        is_echo: true,
        is_self: message.igsid === message.accountId ? true : undefined,
      },
    },
  };
}

export type CommentInput = {
  accountId: string;
  text: string;
  fromId?: string;
  fromUsername?: string;
  mediaId?: string;
  mediaProductType?: string;
  /** The caption of the post commented on, when the comment makes it known to the emulator. */
  postCaption?: string;
  parentId?: string;
  id?: string;
  timestamp?: number;
};

/**
 * A comment on the business's media (docs/platform.md#comments-field); the commenter becomes a
 * known but unconsented user.
 */
export function commentEvent(
  ctx: EventContext,
  input: CommentInput,
): { comment: Comment; event: WebhookEvent } {
  const account = ctx.world.accounts.get(input.accountId);
  if (!account) throw new EventInputError(404, `unknown account ${input.accountId}`);
  const isSelf = input.fromId === account.igUserId;
  const commenter = isSelf
    ? null
    : ctx.world.createCustomer({
        accountId: account.igUserId,
        igsid: input.fromId,
        username: input.fromUsername ?? 'commenter',
      });
  const comment: Comment = {
    id: input.id ?? newObjectId('17'),
    accountId: account.igUserId,
    fromId: commenter?.igsid ?? account.igUserId,
    fromUsername: commenter?.username ?? account.username,
    mediaId: input.mediaId ?? newObjectId('18'),
    mediaProductType: input.mediaProductType ?? 'FEED',
    text: input.text,
    parentId: input.parentId,
    createdAt: input.timestamp ?? ctx.now,
    hasPrivateReply: false,
  };
  ctx.world.comments.set(comment.id, comment);
  ctx.world.post({
    id: comment.mediaId,
    accountId: account.igUserId,
    productType: comment.mediaProductType,
    caption: input.postCaption,
    createdAt: comment.createdAt,
  });
  // The business's own comments arrive too, marked with self_ig_scoped_id
  // (docs/platform.md#comments-field).
  const from = isSelf
    ? { id: account.igUserId, username: account.username, self_ig_scoped_id: account.appScopedId }
    : { id: comment.fromId, username: comment.fromUsername };
  return {
    comment,
    event: {
      accountId: account.igUserId,
      field: 'comments',
      container: 'changes',
      item: {
        value: {
          from,
          media: { id: comment.mediaId, media_product_type: comment.mediaProductType },
          id: comment.id,
          parent_id: comment.parentId,
          text: comment.text,
        },
        field: 'comments',
      },
    },
  };
}
