import { detail } from '../../../shared/domain/localized-text';
import { conversationIdOf, type Conversation, type Message } from '../../../shared/domain/schemas';
import type { Archive } from '../archive/archive';
import { transaction, wholeSavepoint } from '../archive/database';
import type { StoredDelivery } from '../archive/delivery-journal';
import type { Saved } from '../archive/inbox-queries';
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
   * Keeps Inlet's copy of the customer's profile picture (media-archiver.ts keepPicture): true
   * when a new copy was stored, so the conversation is shown again with it.
   */
  keepPicture?: (conversationId: string, url: string | null) => Promise<boolean>;
  /**
   * Called with newly archived messages once their batch committed (or one, off a batch):
   * downloads their media.
   */
  archiveMedia?: (messages: readonly Message[]) => void;
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
  /** Default `QUEUE_LIMIT`; tests lower it to see the journal read back. */
  queueLimit?: number;
};

export type CustomerProfile = {
  username: string | null;
  name: string | null;
  /** Instagram's link to the profile picture; it expires within days. */
  pictureUrl: string | null;
};

/**
 * A batch of deliveries is processed in one transaction for at most this long, then the event loop
 * gets a turn: acks, UI commands and the events of the batch go out between batches.
 */
const BATCH_BUDGET_MS = 10;
/** A delivery whose processing failed is tried again after this long, this many times a run. */
export const PROCESS_RETRY_MS = 30_000;
const PROCESS_ATTEMPTS = 3;
/**
 * Profile lookups in flight at once: a burst from hundreds of new customers queues its lookups
 * instead of firing them all at Graph (whose rate limit they share with sends) at once.
 */
const PROFILE_LOOKUPS_AT_ONCE = 2;
/**
 * Stored deliveries held in memory for processing at most. Beyond it they wait in the journal,
 * which is durable anyway, and are read back in pages of this size: a burst larger than processing
 * can follow, or a long backlog found at start, costs disk, not memory, and is never refused (a
 * refused delivery is one Meta retries, and sustained failures make Meta drop the subscription,
 * docs/platform.md#delivery).
 */
export const QUEUE_LIMIT = 1000;

/**
 * Turns deliveries into conversations and messages, and answers the renderer's inbox commands.
 * Deliveries are stored first (the webhook ack waits for that) and processed afterwards in arrival
 * order, in batches (one transaction each), so a crash between the two is repaired by
 * `processPending` on start. A delivery that fails is rolled back alone, marked with its error and
 * tried again later; the deliveries behind it go on.
 */
export class InboxService {
  readonly #deps: InboxDeps;
  #processing: Promise<void> = Promise.resolve();
  /** Stored deliveries waiting for processing, in arrival order. */
  readonly #queue: StoredDelivery[] = [];
  readonly #queueLimit: number;
  /**
   * When set, unprocessed deliveries with greater ids are in the journal but not in the queue:
   * they are read back, in order, once the queue is empty.
   */
  #backlogAfter: number | null = null;
  /** The greatest id read back from the journal: its own acceptance must not queue it again. */
  #readThrough = 0;
  #draining = false;
  /** Failed attempts per delivery id, this run. */
  readonly #attempts = new Map<number, number>();
  readonly #retryTimers = new Set<ReturnType<typeof setTimeout>>();
  /** While a batch is open: what must wait for its commit (events, downloads, lookups). */
  #afterCommit: (() => void)[] | null = null;
  /** Newly archived messages whose media is recorded together, after their effects ran. */
  readonly #newMedia: Message[] = [];
  #lastEventAt: number | null = null;
  readonly #profilesAsked = new Set<string>();
  readonly #profileQueue: (() => Promise<void>)[] = [];
  #profileLookups = 0;
  readonly #pending = new Set<Promise<void>>();
  readonly #ingest: GroupCommit<{ body: Uint8Array; receivedAt: number }, number>;

  constructor(deps: InboxDeps) {
    this.#deps = deps;
    this.#queueLimit = deps.queueLimit ?? QUEUE_LIMIT;
    this.#ingest = new GroupCommit((items) => deps.archive.deliveries.storeMany(items));
  }

  get lastEventAt(): number | null {
    return this.#lastEventAt;
  }

  /**
   * Durably stores a verified delivery on this thread's connection, then schedules its processing
   * (the app's deliveries are stored by the receiver thread instead, and announced by `stored`). Resolves after the commit
   * that holds it (deliveries arriving together share one transaction); rejects, storing nothing
   * of its batch, when that commit fails. The answer is the delivery's journal id.
   */
  async acceptDelivery(body: Uint8Array): Promise<number> {
    const receivedAt = this.#deps.clock.now();
    const id = await this.#ingest.submit({ body, receivedAt });
    this.#lastEventAt = Math.max(this.#lastEventAt ?? 0, receivedAt);
    this.#admit({ id, body, receivedAt });
    return id;
  }

  /**
   * A delivery the receiver thread stored: processed in order after those before it, its body
   * read back from the journal (a page at a time, with whatever else arrived meanwhile).
   */
  stored(id: number, receivedAt: number): void {
    this.#lastEventAt = Math.max(this.#lastEventAt ?? 0, receivedAt);
    if (id <= this.#readThrough) return; // read back with an earlier page already
    this.#backlogAfter ??= id - 1;
    this.#startDraining();
  }

  /**
   * Processes deliveries stored but never processed (Inlet stopped in between, or they failed),
   * reading them from the journal a page at a time. Called at start, before the listener, and when
   * a restarted receiver thread may have stored deliveries it could not announce.
   */
  processPending(): Promise<void> {
    this.#backlogAfter = 0;
    this.#startDraining();
    return this.idle();
  }

  /** Stops the retry timers of failed deliveries (they are retried on the next start). */
  close(): void {
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
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

    'inbox:listMedia': async (input) => {
      this.#conversation(input.conversationId);
      const page = this.#deps.archive.queries.listMedia({
        conversationId: input.conversationId,
        before: input.before,
        limit: input.limit ?? 20,
      });
      return { messages: page.items, nextCursor: page.nextCursor, total: page.total };
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

  /** A newly stored delivery: queued, or left in the journal while there is a backlog there. */
  #admit(delivery: StoredDelivery): void {
    if (delivery.id <= this.#readThrough) return; // read back from the journal already
    if (this.#backlogAfter === null && this.#queue.length >= this.#queueLimit) {
      this.#backlogAfter = delivery.id - 1;
    }
    if (this.#backlogAfter === null) this.#enqueue(delivery);
    else this.#startDraining();
  }

  #enqueue(delivery: StoredDelivery): void {
    this.#queue.push(delivery);
    this.#startDraining();
  }

  #startDraining(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#processing = this.#drain();
  }

  /**
   * Refills the empty queue with the next page of the journal's backlog; false when there is none.
   * The backlog ends only when a read finds nothing: a delivery committed after that read is
   * accepted after it too, and queued by its own acceptance.
   */
  #readBacklog(): boolean {
    if (this.#backlogAfter === null) return false;
    const page = this.#deps.archive.deliveries.unprocessedAfter(
      this.#backlogAfter,
      this.#queueLimit,
    );
    const last = page.at(-1);
    if (!last) {
      this.#backlogAfter = null;
      return false;
    }
    this.#backlogAfter = last.id;
    this.#readThrough = Math.max(this.#readThrough, last.id);
    this.#queue.push(...page);
    return true;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 || this.#readBacklog()) {
        // Each batch waits for a turn of the event loop of its own. Run straight from the promise
        // chain, processing would run in the same microtask sweep as the commit that just
        // resolved, before the webhook's 200s are written and before the listener reads the next
        // requests; a burst would then hold every ack of its group.
        await nextTurn();
        const waiting = this.#processBatch();
        // A delivery that must wait for a send (an echo, a read) is processed on its own.
        if (waiting) await this.#processAlone(waiting);
      }
    } catch (error) {
      this.#deps.logger.error('delivery processing crashed', { error: String(error) });
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Processes queued deliveries in one transaction until the queue is empty, the time budget is
   * spent, or a delivery needs to wait for the outbox (returned, taken off the queue). Each
   * delivery is a savepoint: one that throws is rolled back alone and retried later. Events and
   * other effects run after the commit, so nothing is announced that was rolled back.
   */
  #processBatch(): StoredDelivery | null {
    const { archive } = this.#deps;
    const started = performance.now();
    const afterCommit: (() => void)[] = [];
    let waiting: StoredDelivery | null = null;
    this.#afterCommit = afterCommit;
    try {
      this.#derived(() =>
        transaction(archive.database, () => {
          while (this.#queue.length > 0 && performance.now() - started < BATCH_BUDGET_MS) {
            const delivery = this.#queue.shift() as StoredDelivery;
            const mark = afterCommit.length;
            try {
              const events = this.#parse(delivery);
              if (events === null) continue; // marked as not understood
              if (this.#mustWait(events)) {
                waiting = delivery;
                return;
              }
              // Nothing in it catches an error of the archive: the delivery is undone whole.
              wholeSavepoint(archive.database, () => this.#applyAll(delivery, events));
            } catch (error) {
              afterCommit.length = mark;
              this.#failed(delivery, error);
            }
          }
        }),
      );
    } finally {
      this.#afterCommit = null;
    }
    for (const effect of afterCommit) effect();
    this.#archiveNewMedia();
    return waiting;
  }

  /** The slow path, as before batching: one delivery, awaiting the outbox where it must. */
  async #processAlone(delivery: StoredDelivery): Promise<void> {
    const events = this.#parse(delivery);
    try {
      if (events === null) return; // marked as not understood
      for (const event of events) await this.#apply(event, delivery.id);
      this.#derived(() =>
        this.#deps.archive.deliveries.markProcessed(delivery.id, this.#deps.clock.now(), null),
      );
    } catch (error) {
      this.#failed(delivery, error);
    } finally {
      this.#archiveNewMedia();
    }
  }

  #archiveNewMedia(): void {
    if (this.#newMedia.length > 0) this.#deps.archiveMedia?.(this.#newMedia.splice(0));
  }

  /**
   * The delivery's events, or null when it cannot be understood: then it is marked processed with
   * the reason (kept raw, shown as not understood), never retried.
   */
  #parse(delivery: StoredDelivery): WebhookEvent[] | null {
    const { archive, logger, clock } = this.#deps;
    try {
      return parseWebhook(delivery.body, delivery.receivedAt);
    } catch (error) {
      const reason = error instanceof MalformedWebhook ? error.message : String(error);
      logger.warn('webhook delivery kept but not understood', { deliveryId: delivery.id, reason });
      this.#derived(() => archive.deliveries.markProcessed(delivery.id, clock.now(), reason));
      return null;
    }
  }

  #applyAll(delivery: StoredDelivery, events: WebhookEvent[]): void {
    for (const event of events) this.#applyNow(event, delivery.id);
    this.#deps.archive.deliveries.markProcessed(delivery.id, this.#deps.clock.now(), null);
  }

  /** Whether an event must wait for a send in flight (docs/platform.md#echoes, #delivery). */
  #mustWait(events: WebhookEvent[]): boolean {
    return events.some((event) => {
      const conversationId = waitsOn(event);
      return conversationId !== null && this.#deps.outbox.hasPending(conversationId);
    });
  }

  /** Marks a delivery whose processing threw; it is tried again later without holding others. */
  #failed(delivery: StoredDelivery, error: unknown): void {
    const attempts = (this.#attempts.get(delivery.id) ?? 0) + 1;
    this.#attempts.set(delivery.id, attempts);
    this.#deps.logger.error('delivery processing failed; kept for a retry', {
      deliveryId: delivery.id,
      attempts,
      error: String(error),
    });
    try {
      this.#derived(() => this.#deps.archive.deliveries.markFailed(delivery.id, String(error)));
    } catch (markError) {
      this.#deps.logger.error('could not mark a failed delivery', { error: String(markError) });
    }
    if (attempts >= PROCESS_ATTEMPTS) return; // left unprocessed: the next start tries again
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.#enqueue(delivery);
    }, PROCESS_RETRY_MS);
    timer.unref();
    this.#retryTimers.add(timer);
  }

  /** Runs `effect` after the open batch commits (dropped if its delivery rolls back), or now. */
  #later(effect: () => void): void {
    if (this.#afterCommit) this.#afterCommit.push(effect);
    else effect();
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

  /** One event on the slow path: waits for the outbox where the order of events requires it. */
  async #apply(event: WebhookEvent, deliveryId: number): Promise<void> {
    if (event.kind === 'seen' && event.customerId !== null && this.#isShown(event)) {
      // A read may overtake the Graph response that tells Inlet the mid it names
      // (docs/platform.md#delivery).
      await this.#deps.outbox.settled(conversationIdOf(event.accountId, event.customerId));
    }
    if (event.kind === 'message' && event.direction === 'out' && this.#isShown(event)) {
      // Claimed before waiting: a send of unknown outcome may be waiting for exactly this echo.
      if (this.#deps.outbox.claimEcho(echoOf(event))) return;
      await this.#deps.outbox.settled(conversationIdOf(event.accountId, event.customerId));
    }
    this.#applyNow(event, deliveryId);
  }

  /** Whether an event is for a connected account (others are logged and skipped). */
  #isShown(event: WebhookEvent): boolean {
    return event.kind !== 'ignored' && this.#deps.isConnectedAccount(event.accountId);
  }

  /** Applies one event; synchronous, so it can run inside a batch's transaction. */
  #applyNow(event: WebhookEvent, deliveryId: number): void {
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
        for (const saved of this.#derived(() =>
          archive.inbound.applySeen({ ...event, deliveryId }),
        )) {
          this.#emit(saved);
        }
        return;
      case 'comment':
        if (!this.#derived(() => archive.comments.save({ ...event, deliveryId }))) return;
        logger.info('comment archived', { accountId: event.accountId, isSelf: event.isSelf });
        this.#later(() => this.#deps.onCommentStored?.(event.id));
        return;
    }
  }

  #applyMessage(event: MessageEvent, deliveryId: number): void {
    const { archive } = this.#deps;
    // The echo of Inlet's own send confirms it, never becomes a second bubble
    // (docs/platform.md#echoes): either it matches a send in flight or of unknown outcome, or the
    // send records its mid first (the outbox has settled by now: see #apply and #mustWait).
    if (event.direction === 'out' && this.#deps.outbox.claimEcho(echoOf(event))) return;
    const saved = this.#derived(() =>
      archive.inbound.saveMessage({
        ...event,
        isFromOtherApp: event.direction === 'out',
        deliveryId,
      }),
    );
    if (!saved) return;
    this.#emit(saved);
    this.#later(() => {
      this.#newMedia.push(saved.message);
      // Every run asks again, once per customer: the picture's link expires within days
      // (docs/platform.md#user-profile) and the customer may have changed it.
      if (event.direction === 'in') {
        this.#resolveProfile(saved.conversation.id, event.accountId, event.customerId);
      }
    });
  }

  #emit(saved: Saved | null): void {
    if (saved) this.#later(() => this.#deps.events.emit('inbox:messageSaved', saved));
  }

  /** After the ack and off the delivery queue: a slow Graph must not hold up new messages. */
  #resolveProfile(conversationId: string, accountId: string, customerId: string): void {
    if (this.#profilesAsked.has(conversationId)) return;
    this.#profilesAsked.add(conversationId);
    const { archive, events, logger } = this.#deps;
    const lookup = () =>
      this.#deps
        .lookupProfile(accountId, customerId)
        .then(async (profile) => {
          if (!profile) return;
          const showAgain = () => {
            const conversation = archive.queries.findConversation(conversationId);
            if (conversation) events.emit('inbox:conversationSaved', conversation);
          };
          if (profile.username !== null || profile.name !== null) {
            archive.conversations.setCustomerProfile(conversationId, profile);
            showAgain();
          }
          if (await this.#deps.keepPicture?.(conversationId, profile.pictureUrl)) showAgain();
        })
        .catch((error: unknown) =>
          logger.warn('customer profile lookup failed', { error: String(error) }),
        );
    const work = new Promise<void>((resolve) =>
      this.#profileQueue.push(() => lookup().finally(resolve)),
    );
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
    this.#nextLookups();
  }

  #nextLookups(): void {
    while (this.#profileLookups < PROFILE_LOOKUPS_AT_ONCE && this.#profileQueue.length > 0) {
      const lookup = this.#profileQueue.shift() as () => Promise<void>;
      this.#profileLookups += 1;
      void lookup().finally(() => {
        this.#profileLookups -= 1;
        this.#nextLookups();
      });
    }
  }
}

/** The conversation whose sends an event is ordered after: reads and echoes of sends. */
function waitsOn(event: WebhookEvent): string | null {
  if (event.kind === 'seen' && event.customerId !== null) {
    return conversationIdOf(event.accountId, event.customerId);
  }
  if (event.kind === 'message' && event.direction === 'out') {
    return conversationIdOf(event.accountId, event.customerId);
  }
  return null;
}

function echoOf(event: MessageEvent) {
  return {
    conversationId: conversationIdOf(event.accountId, event.customerId),
    mid: event.mid,
    text: event.text,
    attachmentType: event.attachments[0]?.type ?? null,
    at: event.at,
  };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
