import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Attachment, MessageContext } from '../../../shared/domain/schemas';
import type { MessageEvent, WebhookEvent } from './webhook-events';

const Id = z.union([z.string(), z.number()]).transform(String);
const IdRef = z.object({ id: Id }).loose();
const OptionalString = z.string().nullish();

const AttachmentPayload = z
  .object({
    type: z.string(),
    payload: z.object({ url: OptionalString, title: OptionalString }).loose().nullish().catch(null),
  })
  .loose();

const Referral = z
  .object({
    ref: OptionalString,
    source: OptionalString,
    type: OptionalString,
    ad_id: Id.nullish(),
    ads_context_data: z.object({ ad_title: OptionalString }).loose().nullish().catch(null),
  })
  .loose();

const MessageObject = z
  .object({
    mid: z.string().min(1),
    text: z.string().nullish(),
    attachments: z.array(z.unknown()).nullish(),
    is_echo: z.boolean().nullish(),
    is_self: z.boolean().nullish(),
    is_deleted: z.boolean().nullish(),
    is_unsupported: z.boolean().nullish(),
    quick_reply: z.object({ payload: z.string() }).loose().nullish().catch(null),
    reply_to: z
      .object({
        mid: OptionalString,
        story: z.object({ url: OptionalString, id: Id.nullish() }).loose().nullish(),
      })
      .loose()
      .nullish()
      .catch(null),
    referral: Referral.nullish().catch(null),
  })
  .loose();

const EditObject = z
  .object({
    mid: z.string().min(1),
    text: z.string().nullish(),
    // An integer in real traffic, quoted in Meta's template
    // (docs/platform.md#other-messaging-fields).
    num_edit: z.coerce.number().int().nonnegative().nullish().catch(null),
  })
  .loose();

const ReactionObject = z
  .object({
    mid: z.string().min(1),
    action: z.string().nullish(),
    reaction: z.string().nullish(),
    emoji: z.string().nullish(),
  })
  .loose();

const PostbackObject = z
  .object({ mid: z.string().min(1).nullish(), title: OptionalString, payload: OptionalString })
  .loose();

const MessagingItem = z
  .object({
    sender: IdRef.nullish().catch(null),
    recipient: IdRef.nullish().catch(null),
    // Meta's dashboard test events send the timestamp as a string (docs/platform.md#envelope).
    timestamp: z.coerce.number().finite().nullish().catch(null),
  })
  .loose();

const Entry = z
  .object({
    id: Id,
    time: z.coerce.number().finite().nullish().catch(null),
    messaging: z.array(z.unknown()).nullish(),
    standby: z.array(z.unknown()).nullish(),
    changes: z.array(z.unknown()).nullish(),
    field: z.string().nullish(),
    value: z.unknown().optional(),
  })
  .loose();

const Change = z.object({ field: z.string(), value: z.unknown().optional() }).loose();

const CommentValue = z
  .object({
    // The reference says `id`, a documented example says `comment_id` [conflict,
    // docs/platform.md#comments-field]: read both.
    id: Id.nullish(),
    comment_id: Id.nullish(),
    text: z.string().nullish(),
    parent_id: Id.nullish(),
    from: z
      .object({ id: Id.nullish(), username: OptionalString, self_ig_scoped_id: Id.nullish() })
      .loose()
      .nullish()
      .catch(null),
    media: z
      .object({ id: Id.nullish(), media_product_type: OptionalString })
      .loose()
      .nullish()
      .catch(null),
  })
  .loose();

const Envelope = z.object({ object: z.string(), entry: z.array(z.unknown()) }).loose();

/**
 * Attachment kinds with a documented payload Inlet can show (docs/platform.md#messages-field);
 * ephemeral shows a placeholder.
 */
const KNOWN_ATTACHMENTS = new Set([
  'image',
  'video',
  'audio',
  'file',
  'share',
  'ig_post',
  'ig_reel',
  'reel',
  'ephemeral',
]);

/**
 * Reaction names (v12+) for the rare event that carries a name but no emoji
 * (docs/platform.md#other-messaging-fields).
 */
const REACTION_EMOJI: Record<string, string> = {
  love: '\u2764\ufe0f',
  like: '\ud83d\udc4d',
  laugh: '\ud83d\ude06',
  wow: '\ud83d\ude2e',
  sad: '\ud83d\ude22',
  angry: '\ud83d\ude21',
};

/** Keys of a messaging item that are envelope, not event (docs/platform.md#envelope). */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

/**
 * Handover and opt-in events: stored raw, logged, not shown yet
 * (docs/platform.md#other-messaging-fields: shapes are inferred).
 */
const RAW_ONLY_KINDS = new Set([
  'optin',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
  'policy_enforcement',
]);

export class MalformedWebhook extends Error {}

type ItemContext = {
  accountId: string;
  isStandby: boolean;
  at: number;
  senderId: string | null;
  recipientId: string | null;
};

/** Parses a verified delivery body. Throws `MalformedWebhook` when it is not Meta's envelope. */
export function parseWebhook(body: Uint8Array, receivedAt: number): WebhookEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new MalformedWebhook('The delivery is not valid UTF-8 JSON');
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw new MalformedWebhook('The delivery has no object/entry envelope');
  if (envelope.data.object !== 'instagram') {
    return [{ kind: 'ignored', accountId: null, reason: `object "${envelope.data.object}"` }];
  }
  return envelope.data.entry.flatMap((raw): WebhookEvent[] => {
    const entry = Entry.safeParse(raw);
    if (!entry.success) return [{ kind: 'ignored', accountId: null, reason: 'malformed entry' }];
    const { id: accountId, time } = entry.data;
    // The dashboard "Test" button posts a Page-style wrapper with entry id "0"
    // (docs/platform.md#envelope): never a real DM.
    if (accountId === '0') return [{ kind: 'ignored', accountId, reason: 'dashboard test event' }];
    // entry.time is ms for messaging and seconds for comments (docs/platform.md#envelope); it
    // stands in for a missing timestamp.
    const entryAt = time == null ? receivedAt : toMilliseconds(time);
    // Meta's doc template puts field/value on the entry itself, without `changes[]`
    // (docs/platform.md#envelope).
    const inlineChange =
      entry.data.field == null ? [] : [{ field: entry.data.field, value: entry.data.value }];
    return [
      ...(entry.data.messaging ?? []).map((item) =>
        parseMessaging(accountId, item, false, entryAt),
      ),
      ...(entry.data.standby ?? []).map((item) => parseMessaging(accountId, item, true, entryAt)),
      ...[...(entry.data.changes ?? []), ...inlineChange].map((change) =>
        parseChange(accountId, change, entryAt),
      ),
    ];
  });
}

function parseMessaging(
  accountId: string,
  raw: unknown,
  isStandby: boolean,
  entryAt: number,
): WebhookEvent {
  const item = MessagingItem.safeParse(raw);
  if (!item.success) return { kind: 'ignored', accountId, reason: 'malformed messaging item' };
  const { sender, recipient, timestamp } = item.data;
  const context: ItemContext = {
    accountId,
    isStandby,
    at: timestamp == null ? entryAt : toMilliseconds(timestamp),
    senderId: sender?.id ?? null,
    recipientId: recipient?.id ?? null,
  };
  const data = item.data as Record<string, unknown>;
  if ('message' in data) return parseMessage(context, data.message);
  if ('message_edit' in data) return parseEdit(context, data.message_edit);
  if ('reaction' in data) return parseReaction(context, data.reaction);
  if ('read' in data) return parseSeen(context, data.read);
  if ('postback' in data) return parsePostback(context, data.postback);
  if ('referral' in data) return parseReferral(context, data.referral);
  const kinds = Object.keys(data).filter((key) => !ENVELOPE_KEYS.has(key));
  const known = kinds.find((key) => RAW_ONLY_KINDS.has(key));
  if (known) return { kind: 'ignored', accountId, reason: `${known} (kept raw, not shown)` };
  const customerId = context.senderId;
  if (kinds.length > 0 && customerId !== null && customerId !== accountId) {
    // A kind this version does not know, from a customer: the owner sees that something arrived
    // (as "unsupported", like Instagram's own is_unsupported) instead of it vanishing; the raw
    // delivery stays archived for a later version. Context-only: it must not count as unread.
    return {
      ...contextMessage(context, customerId),
      mid: syntheticMid('unsupported', context, raw),
      isUnsupported: true,
      isContextOnly: true,
    };
  }
  return {
    kind: 'ignored',
    accountId,
    reason: `messaging event ${kinds.join(',') || 'without content'}`,
  };
}

/**
 * The customer in an event: echoes and business reactions swap sender and recipient
 * (docs/platform.md#envelope).
 */
function customerOf(context: ItemContext, isFromBusiness: boolean): string | null {
  return isFromBusiness ? context.recipientId : context.senderId;
}

function parseMessage(context: ItemContext, raw: unknown): WebhookEvent {
  const { accountId } = context;
  const parsed = MessageObject.safeParse(raw);
  if (!parsed.success) return { kind: 'ignored', accountId, reason: 'message without a mid' };
  const message = parsed.data;
  const isEcho = message.is_echo === true || context.senderId === accountId;
  const customerId = customerOf(context, isEcho);
  if (message.is_deleted === true) {
    return { kind: 'unsend', accountId, customerId, mid: message.mid, at: context.at };
  }
  // is_self: the business messaged itself to test the setup (docs/platform.md#self-messaging); no
  // customer thread.
  if (message.is_self === true) return { kind: 'self-echo', accountId, mid: message.mid };
  if (customerId === null) {
    return { kind: 'ignored', accountId, reason: 'message without a customer id' };
  }
  let story: MessageEvent['story'] = null;
  let hasUnshowable = false;
  const attachments: Attachment[] = [];
  for (const rawAttachment of message.attachments ?? []) {
    const attachment = AttachmentPayload.safeParse(rawAttachment);
    if (!attachment.success) {
      hasUnshowable = true;
      continue;
    }
    const { type, payload } = attachment.data;
    const url = payload?.url ?? null;
    const title = payload?.title ?? null;
    // A story mention is shown as the story, not as media: Meta asks not to store it
    // (docs/platform.md#messages-field).
    if (type === 'story_mention') {
      story = { kind: 'mention', url };
      continue;
    }
    if (!KNOWN_ATTACHMENTS.has(type) && url === null && title === null) hasUnshowable = true;
    attachments.push({ type, url, title });
  }
  const replyTo = message.reply_to;
  if (replyTo?.story != null) story = { kind: 'reply', url: replyTo.story.url ?? null };
  return {
    kind: 'message',
    accountId,
    customerId,
    mid: message.mid,
    direction: isEcho ? 'out' : 'in',
    text: message.text ?? null,
    attachments,
    at: context.at,
    isStandby: context.isStandby,
    replyToMid: replyTo?.mid ?? null,
    story,
    isUnsupported: message.is_unsupported === true || hasUnshowable,
    context: message.quick_reply
      ? { kind: 'quick_reply', payload: message.quick_reply.payload }
      : message.referral
        ? referralContext(message.referral)
        : null,
    isContextOnly: false,
  };
}

function referralContext(referral: z.infer<typeof Referral>): MessageContext {
  return {
    kind: 'referral',
    source: referral.source ?? null,
    ref: referral.ref ?? null,
    adId: referral.ad_id ?? null,
    adTitle: referral.ads_context_data?.ad_title ?? null,
  };
}

function parseEdit(context: ItemContext, raw: unknown): WebhookEvent {
  const edit = EditObject.safeParse(raw);
  if (!edit.success)
    return { kind: 'ignored', accountId: context.accountId, reason: 'edit without a mid' };
  return {
    kind: 'edit',
    accountId: context.accountId,
    customerId: customerOf(context, context.senderId === context.accountId),
    mid: edit.data.mid,
    text: edit.data.text ?? null,
    numEdit: edit.data.num_edit ?? 0,
    at: context.at,
  };
}

function parseReaction(context: ItemContext, raw: unknown): WebhookEvent {
  const { accountId } = context;
  const reaction = ReactionObject.safeParse(raw);
  if (!reaction.success) return { kind: 'ignored', accountId, reason: 'reaction without a mid' };
  const { action, emoji, reaction: name } = reaction.data;
  // The business's own reactions produce no webhook (docs/platform.md#other-messaging-fields); one
  // seen with sender = IG_ID is its own.
  const isFromBusiness = context.senderId === accountId;
  const base = {
    kind: 'reaction' as const,
    accountId,
    customerId: customerOf(context, isFromBusiness),
    mid: reaction.data.mid,
    by: isFromBusiness ? ('business' as const) : ('customer' as const),
    at: context.at,
  };
  if (action === 'unreact') return { ...base, emoji: null };
  const shown = emoji ?? (name == null ? undefined : REACTION_EMOJI[name]);
  if (action !== 'react' || shown === undefined) {
    return {
      kind: 'ignored',
      accountId,
      reason: `reaction action "${action ?? ''}" without an emoji`,
    };
  }
  return { ...base, emoji: shown };
}

function parseSeen(context: ItemContext, raw: unknown): WebhookEvent {
  const read = z
    .object({ mid: z.string().min(1) })
    .loose()
    .safeParse(raw);
  if (!read.success) {
    return { kind: 'ignored', accountId: context.accountId, reason: 'read without a mid' };
  }
  return {
    kind: 'seen',
    accountId: context.accountId,
    customerId: context.senderId === context.accountId ? null : context.senderId,
    mid: read.data.mid,
    at: context.at,
  };
}

function parsePostback(context: ItemContext, raw: unknown): WebhookEvent {
  const { accountId } = context;
  const postback = PostbackObject.safeParse(raw);
  const customerId = context.senderId;
  if (!postback.success || customerId === null || customerId === accountId) {
    return { kind: 'ignored', accountId, reason: 'postback without a customer' };
  }
  const { title, payload } = postback.data;
  return {
    ...contextMessage(context, customerId),
    // Postbacks carry a mid since v11 (docs/platform.md#other-messaging-fields); older ones get a
    // stable id from their content.
    mid: postback.data.mid ?? syntheticMid('postback', context, raw),
    text: title ?? null,
    context: { kind: 'postback', title: title ?? null, payload: payload ?? null },
    isContextOnly: false,
  };
}

function parseReferral(context: ItemContext, raw: unknown): WebhookEvent {
  const { accountId } = context;
  const referral = Referral.safeParse(raw);
  const customerId = context.senderId;
  if (!referral.success || customerId === null || customerId === accountId) {
    return { kind: 'ignored', accountId, reason: 'referral without a customer' };
  }
  return {
    ...contextMessage(context, customerId),
    mid: syntheticMid('referral', context, raw),
    context: referralContext(referral.data),
    isContextOnly: true,
  };
}

function contextMessage(context: ItemContext, customerId: string): MessageEvent {
  return {
    kind: 'message',
    accountId: context.accountId,
    customerId,
    mid: '',
    direction: 'in',
    text: null,
    attachments: [],
    at: context.at,
    isStandby: context.isStandby,
    replyToMid: null,
    story: null,
    isUnsupported: false,
    context: null,
    isContextOnly: false,
  };
}

/**
 * An id for an event without a mid, derived from its content (not from the delivery), so the same
 * event in a retried or duplicated delivery collapses onto one row (docs/platform.md#delivery,
 * docs/platform.md#webhook-fields).
 */
function syntheticMid(prefix: string, context: ItemContext, raw: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([context.accountId, context.senderId, context.at, raw]))
    .digest('base64url')
    .slice(0, 32);
  return `${prefix}:${digest}`;
}

function parseChange(accountId: string, raw: unknown, at: number): WebhookEvent {
  const change = Change.safeParse(raw);
  if (!change.success) return { kind: 'ignored', accountId, reason: 'malformed change' };
  const { field } = change.data;
  if (field !== 'comments' && field !== 'live_comments') {
    return { kind: 'ignored', accountId, reason: `changes field "${field}"` };
  }
  const comment = CommentValue.safeParse(change.data.value);
  const id = comment.success ? (comment.data.id ?? comment.data.comment_id) : null;
  if (!comment.success || id == null) {
    return { kind: 'ignored', accountId, reason: `${field} without an id` };
  }
  const { text, parent_id: parentId, from, media } = comment.data;
  return {
    kind: 'comment',
    accountId,
    field,
    id,
    mediaId: media?.id ?? null,
    mediaProductType: media?.media_product_type ?? null,
    fromId: from?.id ?? null,
    fromUsername: from?.username ?? null,
    text: text ?? null,
    at,
    parentId: parentId ?? null,
    // The business's own comments come back too (docs/platform.md#comments-field): mark them to
    // avoid reply loops.
    isSelf: from?.id === accountId || from?.self_ig_scoped_id != null,
  };
}

/**
 * Messaging timestamps are milliseconds, but test events have carried seconds
 * (docs/platform.md#envelope).
 */
function toMilliseconds(timestamp: number): number {
  return timestamp < 1e11 ? timestamp * 1000 : timestamp;
}
