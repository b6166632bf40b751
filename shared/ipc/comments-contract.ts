import { z } from 'zod';
import { FailureReasonSchema } from '../domain/failure-reason';
import { InstagramIdSchema } from '../domain/schemas';
import { typedTextSchema } from '../domain/message-text';

/**
 * Comments on the business's posts and reels (docs/platform.md#comments-field) and the one private
 * reply each allows (docs/platform.md#private-replies): Instagram accepts a single private reply
 * per comment, within 7 days of the comment.
 */

export const PrivateReplyStateSchema = z.enum([
  /** A private reply can be sent now. */
  'available',
  /** Inlet sent this comment's one private reply. */
  'answered',
  /** More than 7 days have passed since the comment. */
  'expired',
  /**
   * Instagram refused a private reply (subcode 2534025): already used elsewhere (another app,
   * Instagram itself) or expired by Instagram's clock. Asking again cannot succeed.
   */
  'refused',
]);
export type PrivateReplyState = z.infer<typeof PrivateReplyStateSchema>;

export const CommentSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  /**
   * `live_comments` are only answerable during the broadcast (docs/platform.md#private-replies);
   * Instagram enforces that.
   */
  field: z.enum(['comments', 'live_comments']),
  mediaId: z.string().nullable(),
  /** FEED, REELS, STORY, AD… verbatim. */
  mediaProductType: z.string().nullable(),
  /**
   * The post or reel commented on, as Instagram described it (docs/platform.md#media-node); null
   * until it has, or when it would not (a deleted post).
   */
  post: z
    .object({
      caption: z.string().nullable(),
      /** Its page on Instagram. */
      permalink: z.string().nullable(),
      /**
       * Inlet's copy of its picture (a reel's cover), same-origin under /archive/media/: the link
       * Instagram gave expires. Null until downloaded, or when there is none.
       */
      pictureUrl: z.string().nullable(),
      isVideo: z.boolean(),
    })
    .nullable(),
  fromId: z.string().nullable(),
  fromUsername: z.string().nullable(),
  text: z.string().nullable(),
  at: z.number(),
  /** Set when the comment answers another comment. */
  parentId: z.string().nullable(),
  privateReply: z.object({
    state: PrivateReplyStateSchema,
    /** Until when a reply is allowed (comment time + 7 days); the UI counts down to it. */
    allowedUntil: z.number(),
    /** When Inlet sent it (`answered`). */
    sentAt: z.number().nullable(),
    /** The conversation the reply opened with the commenter (`answered`). */
    conversationId: z.string().nullable(),
    /** Why Instagram refused it (`refused`); null otherwise. */
    refusal: FailureReasonSchema.nullable(),
  }),
});
export type Comment = z.infer<typeof CommentSchema>;

export const commentsInvokeContract = {
  /**
   * One account's comments from customers, newest first, a page at a time. The business's own
   * comments (docs/platform.md#comments-field) are archived but not listed: there is nobody to
   * answer.
   */
  'comments:list': {
    input: z.object({
      accountId: z.string().min(1),
      /** Opaque cursor from a previous page: older comments than those already shown. */
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.object({ comments: z.array(CommentSchema), nextCursor: z.string().nullable() }),
  },
  /**
   * One private reply to a comment, within 7 days (docs/platform.md#private-replies); it opens a
   * conversation.
   */
  'comments:privateReply': {
    input: z.object({
      accountId: InstagramIdSchema,
      commentId: InstagramIdSchema,
      text: typedTextSchema(),
    }),
    output: z.object({ recipientId: z.string(), mid: z.string() }),
  },
} as const;

export const commentsEventContract = {
  /** A comment arrived, or its private reply was sent or refused: upsert that one item. */
  'comments:saved': CommentSchema,
} as const;
