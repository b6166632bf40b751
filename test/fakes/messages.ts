import type { Message } from '../../shared/domain/schemas';

/**
 * What a plain text message has in every detail field: no quote, story, reactions, edits or
 * context. Test fixtures on both sides spread it, so a new Message field is added here once.
 */
export const PLAIN_MESSAGE_DETAILS = {
  replyTo: null,
  story: null,
  reactions: [],
  editCount: 0,
  isDeleted: false,
  seenAt: null,
  isUnsupported: false,
  context: null,
} satisfies Partial<Message>;
