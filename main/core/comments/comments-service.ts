import { detail, sendErrorText } from '../../../shared/domain/localized-text';
import {
  ARCHIVED_MEDIA_PATH,
  conversationIdOf,
  type Conversation,
  type Message,
} from '../../../shared/domain/schemas';
import { PRIVATE_REPLY_WINDOW_MS } from '../../../shared/domain/reply-windows';
import type { Comment, PrivateReplyState } from '../../../shared/ipc/comments-contract';
import type { InvokeOutput, InvokeParsedInput } from '../../../shared/ipc/contract';
import type { CommentRecord, CommentsStore } from '../archive/comments-store';
import type { PostRecord } from '../archive/posts-store';
import { AppError } from '../errors';
import type { EventBus } from '../event-bus';
import type { HandlersFor } from '../ipc/dispatch';
import { GraphError } from '../graph/graph-errors';
import type { Clock, Logger } from '../ports';

const DEFAULT_PAGE = 50;
/**
 * A stored refusal is always Graph's subcode 2534025 (`isPrivateReplyUnavailable` is the only way
 * into `markRefused`), whose sentence has no variables: its key follows from the state, so the
 * archive keeps only the English text, for the export.
 */
const REFUSAL = sendErrorText('privateReplyUnavailable');

export type CommentsDeps = {
  store: CommentsStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /**
   * The Send API call itself (SendingService): comment_id as recipient
   * (docs/platform.md#private-replies).
   */
  sendPrivateReply: (
    input: InvokeParsedInput<'comments:privateReply'>,
  ) => Promise<InvokeOutput<'comments:privateReply'>>;
  /**
   * The posts comments are on: what is known of them, and the request to describe one a new
   * comment is on (PostPreviews).
   */
  posts: {
    findMany: (mediaIds: readonly string[]) => Map<string, PostRecord>;
    want: (accountId: string, mediaId: string | null) => void;
  };
  /** The archive's conversations: the thread a reply opens gets the commenter's username. */
  conversations: {
    find: (id: string) => Conversation | null;
    findMessageByMid: (mid: string) => Message | null;
    setUsername: (id: string, username: string) => void;
  };
};

/**
 * The comments view (private replies to comments). Instagram allows one private reply
 * per comment within 7 days (docs/platform.md#private-replies); Inlet checks both before asking, so
 * the owner learns why at once, and records the reply (or Instagram's refusal) so it is never
 * offered twice.
 */
export class CommentsService {
  readonly #deps: CommentsDeps;
  /** Comments whose private reply is on the wire: a double click must not send two. */
  readonly #sending = new Set<string>();

  /**
   * Usernames from answered comments, by the conversation the reply opens. A commenter who never
   * wrote has no readable profile (code 230, docs/platform.md#user-profile), but the comment
   * webhook named them (docs/platform.md#user-profile): the thread shows that name instead of a
   * bare id once the reply's echo creates it.
   */
  readonly #namesToGive = new Map<string, string>();
  /** Mids of private replies whose echo has not been archived yet. */
  readonly #ownMids = new Set<string>();

  constructor(deps: CommentsDeps) {
    this.#deps = deps;
    deps.events.on('inbox:messageSaved', ({ message, conversation }) => {
      // After every listener has this event: what is emitted here must reach the renderer after
      // the snapshot it corrects, not before it.
      queueMicrotask(() => {
        if (message.mid !== null && this.#ownMids.has(message.mid)) this.#claimEcho(message.mid);
        this.#giveName(conversation.id);
      });
    });
  }

  /** Called by the inbox once a comment webhook is archived: the view shows it without a reload. */
  commentStored(id: string): void {
    const row = this.#deps.store.find(id);
    if (row) this.#deps.posts.want(row.accountId, row.mediaId);
    this.#publish(id);
  }

  /** Called once Instagram described a post: its comments are shown again with its picture. */
  postDescribed(accountId: string, mediaId: string): void {
    for (const comment of this.#deps.store.list({ accountId, mediaId })) this.#publish(comment.id);
  }

  readonly handlers = {
    'comments:list': async (input) => {
      const page = this.#deps.store.listForAccount(input.accountId, {
        cursor: input.cursor,
        limit: input.limit ?? DEFAULT_PAGE,
      });
      // One query for the page's posts, not one per comment.
      const posts = this.#deps.posts.findMany(
        page.items.flatMap((row) => (row.mediaId === null ? [] : [row.mediaId])),
      );
      return {
        comments: page.items.map((row) => this.#toComment(row, posts)),
        nextCursor: page.nextCursor,
      };
    },

    'comments:privateReply': async (input) => {
      const { store, clock, logger } = this.#deps;
      const comment = store.find(input.commentId);
      if (!comment || comment.accountId !== input.accountId) {
        throw new AppError('NOT_FOUND', 'This comment is not in the archive of this account.', {
          detail: detail('commentMissing'),
        });
      }
      this.#checkAllowed(comment);
      if (this.#sending.has(comment.id)) {
        throw new AppError(
          'INVALID_INPUT',
          'A private reply to this comment is already on its way.',
          { detail: detail('privateReplyInFlight') },
        );
      }
      this.#sending.add(comment.id);
      try {
        const sent = await this.#deps.sendPrivateReply(input);
        store.markAnswered(comment.id, {
          at: clock.now(),
          mid: sent.mid,
          recipientId: sent.recipientId,
        });
        this.#publish(comment.id);
        this.#ownMids.add(sent.mid);
        this.#claimEcho(sent.mid); // the echo may have come first
        if (comment.fromUsername !== null) {
          const conversationId = conversationIdOf(comment.accountId, sent.recipientId);
          this.#namesToGive.set(conversationId, comment.fromUsername);
          this.#giveName(conversationId); // the echo may have come first
        }
        return sent;
      } catch (error) {
        // Instagram says no private reply is possible any more: remember it, or the owner would
        // be invited to try again forever. Other failures (network, rate limit) may be retried.
        if (isPrivateReplyUnavailable(error)) {
          store.markRefused(comment.id, error.message);
          this.#publish(comment.id);
        }
        logger.info('private reply not sent', { commentId: comment.id, error: String(error) });
        throw error;
      } finally {
        this.#sending.delete(comment.id);
      }
    },
  } satisfies HandlersFor<'comments'>;

  #checkAllowed(comment: CommentRecord): void {
    if (comment.isSelf) {
      throw new AppError('INVALID_INPUT', 'This is your own comment: there is nobody to answer.', {
        detail: detail('ownComment'),
      });
    }
    switch (this.#stateOf(comment)) {
      case 'answered':
        throw new AppError(
          'INVALID_INPUT',
          'You already answered this comment privately. Instagram allows only one private reply per comment; continue in the conversation once the customer writes back.',
          { detail: detail('commentAnswered') },
        );
      case 'refused':
        throw new AppError(
          'INVALID_INPUT',
          comment.privateReplyRefusal ?? 'Instagram no longer allows a private reply here.',
          { detail: REFUSAL },
        );
      case 'expired':
        throw new AppError(
          'OUTSIDE_WINDOW',
          'Instagram allows a private reply only within 7 days of the comment, and this comment is older.',
          { detail: detail('commentExpired') },
        );
      case 'available':
        return;
    }
  }

  #stateOf(comment: CommentRecord): PrivateReplyState {
    if (comment.privateReplyAt !== null) return 'answered';
    if (comment.privateReplyRefusal !== null) return 'refused';
    // A comment stamped in the future (clock skew between Meta and this machine) is simply new.
    if (this.#deps.clock.now() - comment.at > PRIVATE_REPLY_WINDOW_MS) return 'expired';
    return 'available';
  }

  #toComment(row: CommentRecord, posts: Map<string, PostRecord>): Comment {
    const recipient = row.privateReplyRecipientId ?? row.fromId;
    const post = row.mediaId === null ? undefined : posts.get(row.mediaId);
    return {
      id: row.id,
      accountId: row.accountId,
      field: row.field,
      mediaId: row.mediaId,
      mediaProductType: row.mediaProductType,
      post:
        post?.state === 'known'
          ? {
              caption: post.caption,
              permalink: post.permalink,
              pictureUrl:
                post.pictureFile === null ? null : `${ARCHIVED_MEDIA_PATH}${post.pictureFile}`,
              isVideo: post.mediaType === 'VIDEO' || row.mediaProductType === 'REELS',
            }
          : null,
      fromId: row.fromId,
      fromUsername: row.fromUsername,
      text: row.text,
      at: row.at,
      parentId: row.parentId,
      privateReply: {
        state: this.#stateOf(row),
        allowedUntil: row.at + PRIVATE_REPLY_WINDOW_MS,
        sentAt: row.privateReplyAt,
        // Graph's recipient_id is the commenter's IGSID: the thread the reply opened
        // (docs/platform.md#private-replies).
        conversationId:
          row.privateReplyAt !== null && recipient !== null
            ? conversationIdOf(row.accountId, recipient)
            : null,
        refusal:
          row.privateReplyRefusal === null
            ? null
            : { text: row.privateReplyRefusal, detail: REFUSAL },
      },
    };
  }

  #claimEcho(mid: string): void {
    if (!this.#deps.store.markOwnMessage(mid)) return;
    this.#ownMids.delete(mid);
    const message = this.#deps.conversations.findMessageByMid(mid);
    const conversation = message && this.#deps.conversations.find(message.conversationId);
    if (message && conversation) {
      this.#deps.events.emit('inbox:messageSaved', { message, conversation });
    }
  }

  #giveName(conversationId: string): void {
    const username = this.#namesToGive.get(conversationId);
    if (username === undefined) return;
    const { conversations, events } = this.#deps;
    const conversation = conversations.find(conversationId);
    if (conversation === null) return; // not created yet: the echo's messageSaved comes later
    this.#namesToGive.delete(conversationId);
    if (conversation.customerUsername !== null) return;
    conversations.setUsername(conversationId, username);
    const named = conversations.find(conversationId);
    if (named) events.emit('inbox:conversationSaved', named);
  }

  #publish(id: string): void {
    const row = this.#deps.store.find(id);
    if (!row || row.isSelf) return;
    const posts = this.#deps.posts.findMany(row.mediaId === null ? [] : [row.mediaId]);
    this.#deps.events.emit('comments:saved', this.#toComment(row, posts));
  }
}

/**
 * Subcode 2534025 (docs/platform.md#error-codes), thrown as is or wrapped in the owner-readable
 * AppError of SendingService.
 */
function isPrivateReplyUnavailable(error: unknown): error is AppError {
  const graph =
    error instanceof GraphError ? error : error instanceof AppError ? error.cause : null;
  return graph instanceof GraphError && graph.failure.reason === 'private-reply-unavailable';
}
