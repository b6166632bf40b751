import { z } from 'zod';
import { InstagramIdSchema } from '../../../shared/domain/schemas';

/**
 * Response shapes of the Graph endpoints Inlet calls (docs/platform.md#accounts-and-login,
 * docs/platform.md#subscriptions, docs/platform.md#send-api, docs/platform.md#conversations-api).
 * Bodies are parsed by `parseJsonPreservingIds` first, so ids are already strings here. Schemas are
 * lenient where Meta omits empty fields (docs/platform.md#conversation-messages) and strict where a
 * missing value would mislead the caller.
 */

/**
 * Meta's examples wrap single objects in `data[]`; live node reads are flat
 * (docs/platform.md#token-exchange, docs/platform.md#ids).
 */
function flatOrWrapped<T extends z.ZodType>(schema: T) {
  const wrapped = z
    .object({ data: z.array(z.unknown()).min(1) })
    .transform((body) => body.data[0])
    .pipe(schema);
  return z.union([wrapped, schema]);
}

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? null);
const count = z
  .number()
  .nullish()
  .transform((value) => value ?? null);

/**
 * Graph datetimes: ISO 8601 with a `+0000` offset, though some docs say UNIX time
 * (docs/platform.md#conversations-api); both are accepted. Returns epoch milliseconds, or null when
 * unreadable.
 */
export function parseGraphTime(value: string | number): number | null {
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const number = Number(value);
    // Seconds and milliseconds both occur (docs/platform.md#envelope): anything below 10^11 is
    // seconds.
    return number < 1e11 ? number * 1000 : number;
  }
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

const graphTime = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : parseGraphTime(value)));

/**
 * `permissions` has been seen as a comma string and as an array (docs/platform.md#token-exchange).
 */
function normalizePermissions(value: string | string[] | undefined): string[] | null {
  if (value === undefined) return null;
  const list = Array.isArray(value) ? value : value.split(/[\s,]+/);
  return list.map((permission) => permission.trim()).filter(Boolean);
}

export const CodeExchangeSchema = flatOrWrapped(
  z.object({
    access_token: z.string().min(1),
    user_id: InstagramIdSchema,
    permissions: z.union([z.string(), z.array(z.string())]).optional(),
  }),
).transform((token) => ({
  accessToken: token.access_token,
  userId: token.user_id,
  permissions: normalizePermissions(token.permissions),
}));

const secondsSchema = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+$/).transform(Number),
]);

export const LongLivedTokenSchema = z
  .object({ access_token: z.string().min(1), expires_in: secondsSchema })
  .transform((token) => ({ accessToken: token.access_token, expiresInSeconds: token.expires_in }));

export const MeSchema = flatOrWrapped(
  z.object({
    user_id: InstagramIdSchema,
    id: text,
    username: z.string().min(1),
    name: text,
    account_type: text,
    profile_picture_url: text,
  }),
).transform((me) => ({
  igUserId: me.user_id,
  appScopedId: me.id,
  username: me.username,
  name: me.name,
  accountType: me.account_type,
  profilePictureUrl: me.profile_picture_url,
}));

export const SuccessSchema = z.object({ success: z.literal(true) });

export const SubscribedAppsSchema = z
  .object({
    data: z.array(
      z.object({
        id: text,
        name: text,
        subscribed_fields: z.union([z.array(z.string()), z.string()]).optional(),
      }),
    ),
  })
  .transform((body) =>
    body.data.map((app) => ({
      appId: app.id,
      name: app.name,
      subscribedFields: normalizePermissions(app.subscribed_fields) ?? [],
    })),
  );

const ParticipantSchema = z.object({ id: z.string().min(1), username: text });
/** Edges come as `{ data: [...] }`; accept a bare array too. */
const participantList = z
  .union([z.object({ data: z.array(ParticipantSchema) }), z.array(ParticipantSchema)])
  .optional()
  .transform((list) => (list === undefined ? [] : Array.isArray(list) ? list : list.data));

const PagingSchema = z
  .object({
    cursors: z.object({ after: text }).nullish(),
    next: text,
  })
  .nullish();

/**
 * A next page exists only while `paging.next` is present (an empty page may still have one,
 * docs/platform.md#conversations-api). The cursor is returned instead of the `next` URL, which may
 * carry a token or point at another host.
 */
function nextCursorOf(paging: z.infer<typeof PagingSchema>): string | null {
  if (!paging?.next) return null;
  if (paging.cursors?.after) return paging.cursors.after;
  try {
    return new URL(paging.next).searchParams.get('after');
  } catch {
    return null;
  }
}

export const ConversationsPageSchema = z
  .object({
    data: z.array(
      z.object({ id: z.string().min(1), updated_time: graphTime, participants: participantList }),
    ),
    paging: PagingSchema,
  })
  .transform((page) => ({
    conversations: page.data.map((conversation) => ({
      id: conversation.id,
      updatedTime: conversation.updated_time,
      participants: conversation.participants,
    })),
    nextCursor: nextCursorOf(page.paging),
  }));

const mediaData = z.object({ url: text, preview_url: text }).nullish();

const AttachmentNodeSchema = z
  .object({
    id: text,
    mime_type: text,
    name: text,
    size: count,
    file_url: text,
    image_data: mediaData,
    video_data: mediaData,
  })
  .transform((node) => {
    const media = node.image_data ?? node.video_data;
    const type: 'image' | 'video' | 'audio' | 'file' = node.image_data
      ? 'image'
      : node.video_data
        ? 'video'
        : node.mime_type?.startsWith('audio/')
          ? 'audio'
          : 'file';
    return {
      id: node.id,
      type,
      mimeType: node.mime_type,
      name: node.name,
      size: node.size,
      url: media?.url ?? node.file_url,
      previewUrl: media?.preview_url ?? null,
    };
  });

const StoryRefSchema = z.object({ link: text, id: text }).nullish();

const edge = <T extends z.ZodType>(item: T) =>
  z
    .object({ data: z.array(item) })
    .nullish()
    .transform((list) => list?.data ?? []);

/**
 * One message node (docs/platform.md#conversation-messages). Only `id` is certain: older messages
 * come back without detail (docs/platform.md#conversation-messages).
 */
const MessageNodeSchema = z
  .object({
    id: z.string().min(1),
    created_time: graphTime,
    from: ParticipantSchema.nullish(),
    to: participantList,
    message: text,
    attachments: edge(AttachmentNodeSchema),
    shares: edge(z.object({ link: text, name: text, description: text, id: text })),
    story: z.object({ mention: StoryRefSchema, reply_to: StoryRefSchema }).nullish(),
    reply_to: z.object({ mid: text, is_self_reply: flag }).nullish(),
    reactions: edge(
      z.object({ reaction: z.string(), users: participantList }).transform((reaction) => ({
        reaction: reaction.reaction,
        userIds: reaction.users.map((user) => user.id),
      })),
    ),
    is_unsupported: flag,
  })
  .transform((node) => {
    const story = node.story?.mention
      ? { kind: 'mention' as const, ...node.story.mention }
      : node.story?.reply_to
        ? { kind: 'reply' as const, ...node.story.reply_to }
        : null;
    return {
      id: node.id,
      createdTime: node.created_time,
      from: node.from ?? null,
      to: node.to,
      text: node.message,
      attachments: node.attachments,
      shares: node.shares,
      story,
      replyToMid: node.reply_to?.mid ?? null,
      reactions: node.reactions,
      isUnsupported: node.is_unsupported === true,
    };
  });

export const MessageSchema = flatOrWrapped(MessageNodeSchema);

const MessagesPageSchema = z.object({ data: z.array(MessageNodeSchema), paging: PagingSchema });

/**
 * `/{conversation}?fields=messages{…}` nests the page under `messages` (absent when the thread has
 * none); the `/{conversation}/messages` edge that Graph's own `next` links use returns it flat.
 */
export const ConversationMessagesSchema = z
  .union([
    z.object({ messages: MessagesPageSchema }).transform((body) => body.messages),
    MessagesPageSchema,
    z.object({ id: z.string() }).transform(() => ({ data: [], paging: null })),
  ])
  .transform((page) => ({ messages: page.data, nextCursor: nextCursorOf(page.paging) }));

export const UserProfileSchema = z
  .object({
    id: text,
    name: text,
    username: text,
    profile_pic: text,
    follower_count: count,
    is_user_follow_business: flag,
    is_business_follow_user: flag,
    is_verified_user: flag,
  })
  .transform((profile) => ({
    id: profile.id,
    name: profile.name,
    username: profile.username,
    profilePic: profile.profile_pic,
    followerCount: profile.follower_count,
    isUserFollowBusiness: profile.is_user_follow_business,
    isBusinessFollowUser: profile.is_business_follow_user,
    isVerifiedUser: profile.is_verified_user,
  }));

/**
 * One of the business's posts or reels (IG Media node, docs/platform.md#media-node). `media_url`
 * of a video is the video itself, so its picture is `thumbnail_url`; either may be missing
 * (copyrighted media has no `media_url`).
 */
export const MediaSchema = z
  .object({
    id: z.string(),
    media_type: text,
    media_product_type: text,
    caption: text,
    permalink: text,
    media_url: text,
    thumbnail_url: text,
  })
  .transform((media) => ({
    id: media.id,
    mediaType: media.media_type,
    productType: media.media_product_type,
    caption: media.caption,
    permalink: media.permalink,
    pictureUrl: media.thumbnail_url ?? (media.media_type === 'VIDEO' ? null : media.media_url),
  }));

export const SendResponseSchema = z.object({ recipient_id: text, message_id: text });

export type GraphParticipant = z.output<typeof ParticipantSchema>;
export type GraphMessage = z.output<typeof MessageNodeSchema>;
export type GraphAttachment = z.output<typeof AttachmentNodeSchema>;
export type GraphMe = z.output<typeof MeSchema>;
export type GraphUserProfile = z.output<typeof UserProfileSchema>;
export type GraphMedia = z.output<typeof MediaSchema>;
export type GraphConversationsPage = z.output<typeof ConversationsPageSchema>;
export type GraphMessagesPage = z.output<typeof ConversationMessagesSchema>;
export type CodeExchangeResult = z.output<typeof CodeExchangeSchema>;
export type LongLivedToken = z.output<typeof LongLivedTokenSchema>;
export type SubscribedApp = z.output<typeof SubscribedAppsSchema>[number];
