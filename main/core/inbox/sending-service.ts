import { detail, sendErrorText } from '../../../shared/domain/localized-text';
import { HUMAN_AGENT_WINDOW_MS, REPLY_WINDOW_MS } from '../../../shared/domain/reply-windows';
import type { Conversation, Message } from '../../../shared/domain/schemas';
import type { InvokeOutput, InvokeParsedInput } from '../../../shared/ipc/contract';
import {
  ATTACHMENT_MAX_BYTES,
  attachmentTypeOf,
  SendingSettingsSchema,
  type SendingSettings,
} from '../../../shared/ipc/sending-contract';
import type { Archive } from '../archive/archive';
import { AppError } from '../errors';
import type { EventBus } from '../event-bus';
import type { GraphClient, SendBody } from '../graph/graph-client';
import { GraphError } from '../graph/graph-errors';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock, KeyValueStore, Logger } from '../ports';
import type { Outbox } from './outbox';
import type { OutgoingMedia } from './outgoing-media';

/** Instagram shows a typing indicator for a few seconds; refreshing it more often is noise. */
export const TYPING_REFRESH_MS = 5_000;
const SETTINGS_KEY = 'sending.settings';
/**
 * The reaction every API version accepts (docs/platform.md#reactions-sent), and how Instagram draws
 * it.
 */
const REACTION = { name: 'love', emoji: '❤️' } as const;

export type SendingDeps = {
  archive: Archive;
  events: EventBus;
  outbox: Outbox;
  graph: GraphClient;
  /** Where attached files are kept and served from. */
  media: OutgoingMedia;
  /**
   * Keeps the archive's copy of a sent file (MediaArchiver.keepSent), which the thread shows;
   * without it the owner's attachment shows by name.
   */
  keepSentCopy?: (
    attachment: { messageId: string; url: string },
    bytes: Uint8Array,
    mimeType: string,
  ) => Promise<void>;
  tokenFor: (igUserId: string) => string | null;
  isConnectedAccount: (igUserId: string) => boolean;
  kv: KeyValueStore;
  clock: Clock;
  logger: Logger;
};

/**
 * Message kinds beyond plain text: inline replies and HUMAN_AGENT replies go through
 * the outbox like any text; reactions, typing and mark-seen create no message on Instagram (no
 * echo, nothing to reconcile), so they are sent directly and a refusal is reported at once.
 */
export class SendingService {
  readonly #deps: SendingDeps;
  /** When typing_on was last sent, per conversation; absent once typing_off went out. */
  readonly #typingSince = new Map<string, number>();

  constructor(deps: SendingDeps) {
    this.#deps = deps;
  }

  /** The saved message with its local copy attached, or as it was if the copy failed. */
  async #withSentCopy<T extends { message: Message }>(
    saved: T,
    url: string,
    bytes: Uint8Array,
    mimeType: string,
  ): Promise<T> {
    const { keepSentCopy, archive, logger } = this.#deps;
    if (keepSentCopy === undefined) return saved;
    try {
      await keepSentCopy({ messageId: saved.message.id, url }, bytes, mimeType);
    } catch (error) {
      // The send goes on: the thread then shows the file by name.
      logger.warn('no local copy of the sent file', { error: String(error) });
      return saved;
    }
    const reread = archive.queries.findSaved(saved.message.id);
    return reread === null ? saved : { ...saved, message: reread.message };
  }

  settings(): SendingSettings {
    const parsed = SendingSettingsSchema.safeParse(this.#deps.kv.get(SETTINGS_KEY));
    return parsed.success ? parsed.data : { humanAgentEnabled: false };
  }

  /** Sends `mark_seen` for a thread the owner just read; failures are logged, never shown. */
  markSeen(conversation: Conversation): void {
    void this.#action(conversation, 'mark_seen').catch((error: unknown) =>
      this.#deps.logger.info('mark_seen not sent', { error: String(error) }),
    );
  }

  /**
   * The Send API call of a comment's private reply (docs/platform.md#private-replies);
   * CommentsService decides whether it may go.
   */
  async privateReply(
    input: InvokeParsedInput<'comments:privateReply'>,
  ): Promise<InvokeOutput<'comments:privateReply'>> {
    const token = this.#token(input.accountId);
    // The echo that follows files the reply into the commenter's conversation
    // (docs/platform.md#private-replies).
    const sent = await this.#graph(() =>
      this.#deps.graph.sendMessage(token, input.accountId, {
        kind: 'private-reply',
        commentId: input.commentId,
        text: input.text,
      }),
    );
    return { recipientId: sent.recipientId, mid: sent.messageId };
  }

  readonly handlers = {
    'sending:sendText': async (input) => {
      const { archive, events, outbox, clock } = this.#deps;
      const conversation = this.#connectedConversation(input.conversationId);
      let replyToMid: string | null = null;
      if (input.replyToMessageId !== undefined) {
        const quoted = archive.queries.findMessage(input.replyToMessageId);
        if (!quoted || quoted.conversationId !== conversation.id || quoted.mid === null) {
          throw new AppError(
            'INVALID_INPUT',
            'You can only reply to a message of this conversation that is on Instagram.',
            { detail: detail('replyToUnknown') },
          );
        }
        replyToMid = quoted.mid;
      }
      const tag = this.#tagFor(conversation, input.humanAgent === true);
      const saved = archive.outgoing.queue(conversation.id, input.text, clock.now(), {
        replyToMid,
        tag,
      });
      events.emit('inbox:messageSaved', saved);
      outbox.enqueue(saved.message.id, conversation.id);
      return { message: saved.message };
    },

    'sending:sendAttachment': async (input) => {
      const { archive, events, outbox, clock, media } = this.#deps;
      const conversation = this.#connectedConversation(input.conversationId);
      const type = attachmentTypeOf(input.mimeType);
      if (type === null) {
        throw new AppError(
          'INVALID_INPUT',
          'Instagram can only send images, videos, audio and PDF files.',
          { detail: detail('attachmentTypeUnsupported') },
        );
      }
      const bytes = Buffer.from(input.dataBase64, 'base64');
      if (bytes.byteLength === 0)
        throw new AppError('INVALID_INPUT', 'The file is empty.', { detail: detail('fileEmpty') });
      if (bytes.byteLength > ATTACHMENT_MAX_BYTES[type]) {
        const megabytes = ATTACHMENT_MAX_BYTES[type] / (1024 * 1024);
        throw new AppError(
          'INVALID_INPUT',
          `Instagram accepts ${type === 'image' ? 'images' : 'files of this kind'} of at most ${megabytes} MB.`,
          { detail: detail(type === 'image' ? 'imageTooLarge' : 'fileTooLarge', { megabytes }) },
        );
      }
      const tag = this.#tagFor(conversation, input.humanAgent === true);
      const path = await media.store(bytes, input.mimeType, input.fileName);
      const saved = archive.outgoing.queue(conversation.id, null, clock.now(), {
        tag,
        attachments: [{ type, url: path, title: input.fileName }],
      });
      const shown = await this.#withSentCopy(saved, path, bytes, input.mimeType);
      events.emit('inbox:messageSaved', shown);
      outbox.enqueue(saved.message.id, conversation.id);
      return { message: shown.message };
    },

    'sending:sendNow': async (input) => {
      if (!this.#deps.outbox.sendNow(input.messageId)) {
        throw new AppError(
          'INVALID_INPUT',
          'Only a message that is waiting to be sent can be sent now.',
          {
            detail: detail('sendNowOnlyHeld'),
          },
        );
      }
      return {};
    },

    'sending:react': async (input) => this.#react(input.messageId, true),

    'sending:unreact': async (input) => this.#react(input.messageId, false),

    'sending:setTyping': async (input) => {
      const conversation = this.#connectedConversation(input.conversationId);
      const now = this.#deps.clock.now();
      const since = this.#typingSince.get(conversation.id);
      if (input.isTyping) {
        if (since !== undefined && now - since < TYPING_REFRESH_MS) return { sent: false };
        if (!this.#isInWindow(conversation, REPLY_WINDOW_MS)) return { sent: false };
        this.#typingSince.set(conversation.id, now);
        await this.#action(conversation, 'typing_on');
        return { sent: true };
      }
      if (since === undefined) return { sent: false };
      this.#typingSince.delete(conversation.id);
      await this.#action(conversation, 'typing_off');
      return { sent: true };
    },

    'sending:getSettings': async () => this.settings(),

    'sending:setSettings': async (input) => {
      this.#deps.kv.set(SETTINGS_KEY, input);
      return this.settings();
    },
  } satisfies HandlersFor<'sending'>;

  /** HUMAN_AGENT only when asked for, enabled, and needed; refused with the reason otherwise. */
  #tagFor(conversation: Conversation, wantsHumanAgent: boolean): 'HUMAN_AGENT' | null {
    if (this.#isInWindow(conversation, REPLY_WINDOW_MS)) return null;
    if (!wantsHumanAgent || !this.settings().humanAgentEnabled) {
      throw new AppError(
        'OUTSIDE_WINDOW',
        'Instagram only allows replies within 24 hours of the customer’s last message. You can answer as soon as they write again.',
        { detail: detail('replyWindowClosed') },
      );
    }
    if (!this.#isInWindow(conversation, HUMAN_AGENT_WINDOW_MS)) {
      throw new AppError(
        'OUTSIDE_WINDOW',
        'More than 7 days have passed since this customer last wrote, so even a human-agent reply is no longer allowed. You can reply again once they write.',
        { detail: sendErrorText('outsideHumanAgentWindow') },
      );
    }
    return 'HUMAN_AGENT';
  }

  #isInWindow(conversation: Conversation, windowMs: number): boolean {
    return (
      conversation.lastInboundAt !== null &&
      this.#deps.clock.now() - conversation.lastInboundAt <= windowMs
    );
  }

  async #react(messageId: string, isOn: boolean): Promise<{ message: Message }> {
    const { archive, events, clock } = this.#deps;
    const message = archive.queries.findMessage(messageId);
    if (!message || message.mid === null) {
      throw new AppError(
        'INVALID_INPUT',
        'Only a message that is on Instagram can be reacted to.',
        {
          detail: detail('reactionNeedsSentMessage'),
        },
      );
    }
    const conversation = this.#connectedConversation(message.conversationId);
    const body: SendBody = isOn
      ? {
          kind: 'reaction',
          recipientId: conversation.customerId,
          messageId: message.mid,
          reaction: REACTION.name,
        }
      : { kind: 'unreaction', recipientId: conversation.customerId, messageId: message.mid };
    const token = this.#token(conversation.accountId);
    await this.#graph(() => this.#deps.graph.sendMessage(token, conversation.accountId, body));
    // Business reactions produce no webhook (docs/platform.md#reactions-sent): the archive records
    // it from the answer.
    const saved = archive.inbound.applyReaction({
      accountId: conversation.accountId,
      customerId: conversation.customerId,
      mid: message.mid,
      by: 'business',
      emoji: isOn ? REACTION.emoji : null,
      at: clock.now(),
      deliveryId: null,
    });
    if (saved) events.emit('inbox:messageSaved', saved);
    return { message: archive.queries.findMessage(messageId) ?? message };
  }

  async #action(
    conversation: Conversation,
    action: 'typing_on' | 'typing_off' | 'mark_seen',
  ): Promise<void> {
    const token = this.#token(conversation.accountId);
    await this.#graph(() =>
      this.#deps.graph.sendMessage(token, conversation.accountId, {
        kind: 'sender-action',
        recipientId: conversation.customerId,
        action,
      }),
    );
  }

  #connectedConversation(id: string): Conversation {
    const conversation = this.#deps.archive.queries.findConversation(id);
    if (!conversation)
      throw new AppError('NOT_FOUND', 'This conversation does not exist.', {
        detail: detail('conversationMissing'),
      });
    if (!this.#deps.isConnectedAccount(conversation.accountId)) {
      throw new AppError(
        'NOT_CONNECTED',
        'This conversation belongs to an account that is not connected.',
        { detail: detail('conversationAccountNotConnected') },
      );
    }
    return conversation;
  }

  #token(accountId: string): string {
    const token = this.#deps.tokenFor(accountId);
    if (token === null)
      throw new AppError('NOT_CONNECTED', 'This account is not connected.', {
        detail: detail('accountNotConnected'),
      });
    return token;
  }

  /** Graph refusals become the owner-readable AppError of their classification. */
  async #graph<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      throw new AppError(error.failure.appCode, error.failure.explanation.text, {
        cause: error,
        detail: error.detail,
      });
    }
  }
}
