import { detail } from '../../../shared/domain/localized-text';
import { conversationIdOf, type Conversation, type Message } from '../../../shared/domain/schemas';
import type { Archive } from '../archive/archive';
import type { Saved } from '../archive/inbox-queries';
import { DELIVERY_WRITER_PIPELINE } from '../archive/delivery-writer';
import { GroupCommit } from '../archive/group-commit';
import { withoutFsync } from '../archive/without-fsync';
import { AppError } from '../errors';
import type { EventBus } from '../event-bus';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock, Logger } from '../ports';
import { MalformedWebhook, parseWebhook } from '../webhook/parse-webhook';
import type { MessageEvent, WebhookEvent } from '../webhook/webhook-events';
import type { Outbox } from './outbox';

export type InboxDeps = {
  archive: Archive;
  events: EventBus;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** Accounts Inlet is connected to; events for any other account are logged and skipped. */
  isConnectedAccount: (igUserId: string) => boolean;
  /**
   * Who a customer is (User Profile API, docs/platform.md#user-profile); webhooks carry only the
   * IGSID. Resolves null when Instagram will not say (no consent yet, blocked), and is asked once
   * per run.
   */
  lookupProfile: (accountId: string, customerId: string) => Promise<CustomerProfile | null>;
  /**
   * Writes a group of raw deliveries in one transaction (all or none), resolving with their ids
   * once committed. Defaults to the archive's own connection; the app passes a DeliveryWriter so
   * the fsync waits on a worker thread instead of the event loop.
   */
  storeDeliveries?: (
    items: readonly { body: Uint8Array; receivedAt: number }[],
  ) => Promise<number[]> | number[];
  /** Called once per newly archived message, after the ack: downloads its media. */
  archiveMedia?: (message: Message) => void;
  /** Called once per newly archived comment: the comments view shows it. */
  onCommentStored?: (commentId: string) => void;
  /**
   * Tells Instagram the owner read a thread that had unread messages (mark_seen,
   * docs/platform.md#sender-actions).
   */
  markSeen?: (conversation: Conversation) => void;
  /** Reading changes the unread count, and no event announces it: the badge is told directly. */
  refreshBadge?: () => void;
  /** The echo of a message the business sent itself: what the self-test waits for. */
  onSelfEcho?: (mid: string) => void;
};

export type CustomerProfile = { username: string | null; name: string | null };

/**
 * Turns deliveries into conversations and messages, and answers the renderer's inbox commands.
 * Deliveries are stored first (the webhook ack waits for that) and processed afterwards, one at a
 * time in arrival order, so a crash between the two is repaired by `processPending` on start.
 */
export class InboxService {
  readonly #deps: InboxDeps;
  #processing: Promise<void> = Promise.resolve();
  #lastEventAt: number | null = null;
  readonly #profilesAsked = new Set<string>();
  readonly #pending = new Set<Promise<void>>();
  readonly #ingest: GroupCommit<{ body: Uint8Array; receivedAt: number }, number>;

  constructor(deps: InboxDeps) {
    this.#deps = deps;
    const store = deps.storeDeliveries ?? ((items) => deps.archive.deliveries.storeMany(items));
    // A separate writer queues and orders its writes itself, so groups may be handed over while
    // the previous one is still being fsynced; the archive's own connection commits one at a time.
    this.#ingest = new GroupCommit(store, {
      maxInFlight: deps.storeDeliveries ? DELIVERY_WRITER_PIPELINE : 1,
    });
  }

  get lastEventAt(): number | null {
    return this.#lastEventAt;
  }

  /**
   * Durably stores a verified delivery, then schedules its processing. Resolves after the commit
   * that holds it (deliveries arriving together share one transaction); rejects, storing nothing
   * of its batch, when that commit fails.
   */
  /** Resolves with the delivery's journal id once it is durably stored. */
  async acceptDelivery(body: Uint8Array): Promise<number> {
    const receivedAt = this.#deps.clock.now();
    const id = await this.#ingest.submit({ body, receivedAt });
    this.#lastEventAt = Math.max(this.#lastEventAt ?? 0, receivedAt);
    this.#schedule(() => this.#process(id, body, receivedAt));
    return id;
  }

  /** Processes deliveries stored but never processed (Inlet stopped in between). */
  processPending(): Promise<void> {
    for (const delivery of this.#deps.archive.deliveries.unprocessed()) {
      this.#schedule(() => this.#process(delivery.id, delivery.body, delivery.receivedAt));
    }
    return this.idle();
  }

  /** Resolves once every delivery accepted so far has been processed, lookups included. */
  async idle(): Promise<void> {
    await this.#ingest.idle();
    await this.#processing;
    await Promise.all([...this.#pending]);
  }

  readonly handlers = {
    'inbox:listConversations': async (input) => {
      const page = this.#deps.archive.queries.listConversations({
        cursor: input.cursor,
        limit: input.limit ?? 50,
      });
      return { conversations: page.items, nextCursor: page.nextCursor };
    },

    'inbox:listMessages': async (input) => {
      this.#conversation(input.conversationId);
      const page = this.#deps.archive.queries.listMessages({
        conversationId: input.conversationId,
        before: input.before,
        limit: input.limit ?? 100,
      });
      return { messages: page.items, nextCursor: page.nextCursor };
    },

    'inbox:retryMessage': async (input) => {
      if (!this.#deps.outbox.retry(input.messageId)) {
        throw new AppError(
          'INVALID_INPUT',
          'Only a message that failed to send can be sent again.',
          { detail: detail('retryOnlyFailed') },
        );
      }
      const message = this.#deps.archive.queries.findMessage(input.messageId);
      if (!message)
        throw new AppError('NOT_FOUND', 'This message no longer exists.', {
          detail: detail('messageGone'),
        });
      return { message };
    },

    'inbox:deleteMessage': async (input) => {
      const message = this.#deps.archive.queries.findMessage(input.messageId);
      const conversation = this.#deps.archive.outgoing.deleteUndelivered(input.messageId);
      if (!message || !conversation) {
        throw new AppError('INVALID_INPUT', 'Only a message that did not go out can be deleted.', {
          detail: detail('deleteOnlyUnsent'),
        });
      }
      this.#deps.events.emit('inbox:messageDeleted', {
        messageId: message.id,
        conversationId: conversation.id,
      });
      this.#deps.events.emit('inbox:conversationSaved', conversation);
      return { conversation };
    },

    'inbox:markRead': async (input) => {
      const before = this.#conversation(input.conversationId);
      const conversation = this.#deps.archive.conversations.markRead(input.conversationId);
      if (!conversation)
        throw new AppError('NOT_FOUND', 'This conversation no longer exists.', {
          detail: detail('conversationGone'),
        });
      this.#deps.refreshBadge?.(); // reading is the one change no event announces
      // Reading a thread with unread messages tells Instagram (mark_seen,
      // docs/platform.md#sender-actions).
      if (before.unreadCount > 0) this.#deps.markSeen?.(conversation);
      return { conversation };
    },
  } satisfies HandlersFor<'inbox'>;

  #conversation(id: string) {
    const conversation = this.#deps.archive.queries.findConversation(id);
    if (!conversation)
      throw new AppError('NOT_FOUND', 'This conversation does not exist.', {
        detail: detail('conversationMissing'),
      });
    return conversation;
  }

  #schedule(task: () => Promise<void>): void {
    // Each delivery waits for a turn of the event loop of its own. Run straight from the promise
    // chain, processing (parsing, archive writes and their fsyncs) would run in the same microtask
    // sweep as the commit that just resolved, before the webhook's 200s are written and before the
    // listener reads the next requests; a burst would then hold every ack of its group.
    this.#processing = this.#processing
      .then(nextTurn)
      .then(task)
      .catch((error: unknown) => {
        this.#deps.logger.error('delivery processing crashed', { error: String(error) });
      });
  }

  async #process(deliveryId: number, body: Uint8Array, receivedAt: number): Promise<void> {
    const { archive, logger, clock } = this.#deps;
    let events: WebhookEvent[];
    try {
      events = parseWebhook(body, receivedAt);
    } catch (error) {
      const reason = error instanceof MalformedWebhook ? error.message : String(error);
      logger.warn('webhook delivery kept but not understood', { deliveryId, reason });
      archive.deliveries.markProcessed(deliveryId, clock.now(), reason);
      return;
    }
    for (const event of events) await this.#apply(event, deliveryId);
    this.#derived(() => archive.deliveries.markProcessed(deliveryId, clock.now(), null));
  }

  /**
   * Processing only derives rows from a delivery whose commit was fsynced before the ack; if a
   * power cut loses these commits, the delivery is still unprocessed and `processPending` redoes
   * it. So they skip the fsync, which would otherwise block the event loop (and the bubble) for
   * up to tens of milliseconds on a busy disk.
   */
  #derived<T>(work: () => T): T {
    return withoutFsync(this.#deps.archive.database, work);
  }

  async #apply(event: WebhookEvent, deliveryId: number): Promise<void> {
    const { archive, logger } = this.#deps;
    if (event.kind === 'ignored') {
      logger.info('webhook event kept raw, not shown', {
        accountId: event.accountId,
        reason: event.reason,
      });
      return;
    }
    if (event.kind === 'self-echo') {
      logger.info('self-message echo arrived', { accountId: event.accountId, mid: event.mid });
      this.#deps.onSelfEcho?.(event.mid);
      return;
    }
    if (!this.#deps.isConnectedAccount(event.accountId)) {
      logger.warn('webhook event for an account that is not connected; skipped', {
        accountId: event.accountId,
        kind: event.kind,
      });
      return;
    }
    switch (event.kind) {
      case 'message':
        return this.#applyMessage(event, deliveryId);
      // Edits, unsends, reactions and reads change a message in place: they never move the
      // conversation's order, unread count or reply window. One for a mid not archived yet is
      // stored and applied when the message arrives (docs/platform.md#delivery).
      case 'edit':
        return this.#emit(this.#derived(() => archive.inbound.applyEdit({ ...event, deliveryId })));
      case 'unsend':
        return this.#emit(
          this.#derived(() => archive.inbound.applyUnsend({ ...event, deliveryId })),
        );
      case 'reaction':
        return this.#emit(
          this.#derived(() => archive.inbound.applyReaction({ ...event, deliveryId })),
        );
      case 'seen':
        // A read may overtake the Graph response that tells Inlet the mid it names
        // (docs/platform.md#delivery).
        if (event.customerId !== null) {
          await this.#deps.outbox.settled(conversationIdOf(event.accountId, event.customerId));
        }
        for (const saved of this.#derived(() =>
          archive.inbound.applySeen({ ...event, deliveryId }),
        )) {
          this.#emit(saved);
        }
        return;
      case 'comment':
        if (!this.#derived(() => archive.comments.save({ ...event, deliveryId }))) return;
        logger.info('comment archived', { accountId: event.accountId, isSelf: event.isSelf });
        this.#deps.onCommentStored?.(event.id);
        return;
    }
  }

  async #applyMessage(event: MessageEvent, deliveryId: number): Promise<void> {
    const { archive } = this.#deps;
    if (event.direction === 'out') {
      // The echo of Inlet's own send confirms it, never becomes a second bubble
      // (docs/platform.md#echoes): either it matches a send in flight or of unknown outcome (which
      // may be waiting for exactly this echo, so it must not wait for the send), or the send
      // records its mid first.
      const echo = {
        conversationId: conversationIdOf(event.accountId, event.customerId),
        mid: event.mid,
        text: event.text,
        attachmentType: event.attachments[0]?.type ?? null,
        at: event.at,
      };
      if (this.#deps.outbox.claimEcho(echo)) return;
      await this.#deps.outbox.settled(echo.conversationId);
      if (this.#deps.outbox.claimEcho(echo)) return;
    }
    const saved = this.#derived(() =>
      archive.inbound.saveMessage({
        ...event,
        isFromOtherApp: event.direction === 'out',
        deliveryId,
      }),
    );
    if (!saved) return;
    this.#emit(saved);
    this.#deps.archiveMedia?.(saved.message);
    if (saved.conversation.customerUsername === null && event.direction === 'in') {
      this.#resolveProfile(saved.conversation.id, event.accountId, event.customerId);
    }
  }

  #emit(saved: Saved | null): void {
    if (saved) this.#deps.events.emit('inbox:messageSaved', saved);
  }

  /** After the ack and off the delivery queue: a slow Graph must not hold up new messages. */
  #resolveProfile(conversationId: string, accountId: string, customerId: string): void {
    if (this.#profilesAsked.has(conversationId)) return;
    this.#profilesAsked.add(conversationId);
    const { archive, events, logger } = this.#deps;
    const work = this.#deps
      .lookupProfile(accountId, customerId)
      .then((profile) => {
        if (!profile || (profile.username === null && profile.name === null)) return;
        archive.conversations.setCustomerProfile(conversationId, profile);
        const conversation = archive.queries.findConversation(conversationId);
        if (conversation) events.emit('inbox:conversationSaved', conversation);
      })
      .catch((error: unknown) =>
        logger.warn('customer profile lookup failed', { error: String(error) }),
      );
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
