import { conversationIdOf, type Message } from '../../../shared/domain/schemas';
import type { Archive } from '../archive/archive';
import {
  afterWaitingWriters,
  otherWritersWaiting,
  transaction,
  wholeSavepoint,
} from '../archive/database';
import type { StoredDelivery } from '../archive/delivery-journal';
import { recordPendingMedia } from '../archive/media-store';
import type { Saved } from '../archive/inbox-queries';
import { withoutFsync } from '../archive/without-fsync';
import type { Clock, Logger } from '../ports';
import { MalformedWebhook, parseWebhook } from '../webhook/parse-webhook';
import type { MessageEvent, WebhookEvent } from '../webhook/webhook-events';
import { downloadsOf } from './media-archiver';
import type { Outbox } from './outbox';

/** A customer whose profile the UI thread looks up (once per run), for a conversation. */
export type CustomerRef = { conversationId: string; accountId: string; customerId: string };

/**
 * What processing leaves for the thread that serves the UI, in order, once the rows it derived are
 * committed (nothing is announced that was rolled back). Plain data: it crosses threads.
 */
export type ProcessingEffect =
  | { kind: 'saved'; saved: Saved }
  | { kind: 'comment'; commentId: string }
  /** The echo of a message the business sent itself: what the self-test waits for. */
  | { kind: 'self-echo'; mid: string }
  /**
   * Last, once per batch: new messages whose media to download (their rows already recorded with
   * them), customers to look up.
   */
  | { kind: 'archived'; messages: Message[]; customers: CustomerRef[] };

/** The sends in flight, which echoes and reads are ordered after (docs/platform.md#echoes). */
export type SendsInFlight = Pick<Outbox, 'hasPending' | 'claimEcho' | 'settled'>;

export type DeliveryProcessorDeps = {
  /** A connection of the processor's own thread. */
  archive: Archive;
  clock: Clock;
  logger: Logger;
  /** Accounts Inlet is connected to; events for any other account are logged and skipped. */
  isConnectedAccount: (igUserId: string) => boolean;
  /**
   * Present on the thread that sends. Without it (on the processing thread) a delivery that must
   * be ordered after sends, or names an account this thread does not know, goes to `handOff`.
   */
  sends?: SendsInFlight;
  /** Processes one delivery on the thread that sends; resolves when it is done. */
  handOff?: (delivery: StoredDelivery) => Promise<void>;
  /** Receives each commit's effects, in order. */
  onEffects: (effects: ProcessingEffect[]) => void;
  /** Default `QUEUE_LIMIT`; tests lower it to see the journal read back. */
  queueLimit?: number;
  /** Whether another writer waits for the archive's write lock; default: one of this process. */
  othersWaiting?: () => boolean;
};

/**
 * A batch of deliveries is processed in one transaction for at most this long, then the event loop
 * gets a turn: the batch's effects go out, and new deliveries are announced, between batches.
 */
const BATCH_BUDGET_MS = 10;
/**
 * Processing gives way to the archive's other writers: the webhook's commits, which every ack
 * waits for, and the UI thread's commands. Once a batch has run this long, it ends as soon as one
 * of them waits for the write lock, and the next batch starts once they had it (or after
 * GIVE_WAY_MAX_MS). Without it they waited for batches back to back, which left the lock free only
 * for microseconds between them.
 */
const GIVE_WAY_AFTER_MS = 2;
const GIVE_WAY_MAX_MS = 5;
/** A delivery whose processing failed is tried again after this long, this many times a run. */
export const PROCESS_RETRY_MS = 30_000;
const PROCESS_ATTEMPTS = 3;
/**
 * Stored deliveries held in memory for processing at most. Beyond it they wait in the journal,
 * which is durable anyway, and are read back in pages of this size: a burst larger than processing
 * can follow, or a long backlog found at start, costs disk, not memory, and is never refused (a
 * refused delivery is one Meta retries, and sustained failures make Meta drop the subscription,
 * docs/platform.md#delivery).
 */
export const QUEUE_LIMIT = 1000;

/**
 * Turns stored deliveries into conversations, messages, comments and their search index, in
 * arrival order and in batches (one transaction each), so a crash between storing and processing
 * is repaired by `processPending` on start. A delivery that fails is rolled back alone, marked with
 * its error and tried again later; the deliveries behind it go on. The same code runs on the
 * processing thread (processing-worker.ts) and, for deliveries that wait on sends, on the thread
 * that sends.
 */
export class DeliveryProcessor {
  readonly #deps: DeliveryProcessorDeps;
  #processing: Promise<void> = Promise.resolve();
  /** Stored deliveries waiting for processing, in arrival order. */
  readonly #queue: StoredDelivery[] = [];
  readonly #queueLimit: number;
  readonly #othersWaiting: () => boolean;
  /**
   * When set, unprocessed deliveries with greater ids are in the journal but not in the queue:
   * they are read back, in order, once the queue is empty.
   */
  #backlogAfter: number | null = null;
  /** The greatest id read back from the journal: its own announcement must not queue it again. */
  #readThrough = 0;
  #draining = false;
  /** Whether the last batch ended early for another writer waiting for the write lock. */
  #gaveWay = false;
  /** Failed attempts per delivery id, this run. */
  readonly #attempts = new Map<number, number>();
  readonly #retryTimers = new Set<ReturnType<typeof setTimeout>>();
  /** The effects of the batch or delivery being processed, handed on after its commit. */
  readonly #effects: ProcessingEffect[] = [];
  readonly #newMessages: Message[] = [];
  readonly #customers: CustomerRef[] = [];

  constructor(deps: DeliveryProcessorDeps) {
    if (!deps.sends && !deps.handOff) throw new Error('echoes need the sends or a hand-off');
    this.#deps = deps;
    this.#queueLimit = deps.queueLimit ?? QUEUE_LIMIT;
    this.#othersWaiting = deps.othersWaiting ?? otherWritersWaiting;
  }

  /** A newly stored delivery, with its body: queued, or left in the journal behind a backlog. */
  admit(delivery: StoredDelivery): void {
    if (delivery.id <= this.#readThrough) return; // read back from the journal already
    if (this.#backlogAfter === null && this.#queue.length >= this.#queueLimit) {
      this.#backlogAfter = delivery.id - 1;
    }
    if (this.#backlogAfter === null) this.#enqueue(delivery);
    else this.#startDraining();
  }

  /**
   * A delivery stored elsewhere (the receiver thread): processed in order after those before it,
   * its body read back from the journal a page at a time, with whatever else arrived meanwhile.
   */
  stored(id: number): void {
    if (id <= this.#readThrough) return; // read back with an earlier page already
    this.#backlogAfter ??= id - 1;
    this.#startDraining();
  }

  /**
   * Processes deliveries stored but never processed (Inlet stopped in between, or they failed),
   * reading them from the journal a page at a time.
   */
  processPending(): Promise<void> {
    this.#backlogAfter = 0;
    this.#startDraining();
    return this.idle();
  }

  /** Resolves once every delivery announced so far has been processed. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#processing;
  }

  /** Stops the retry timers of failed deliveries (they are retried on the next start). */
  close(): void {
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  /**
   * One delivery on its own, awaiting the sends it is ordered after: the path of a delivery
   * handed over by the processing thread, and of one waiting here.
   */
  async processAlone(delivery: StoredDelivery): Promise<void> {
    const events = this.#parse(delivery);
    if (events === null) return; // marked as not understood
    try {
      for (const event of events) await this.#apply(event, delivery.id);
      this.#derived(() =>
        this.#deps.archive.deliveries.markProcessed(delivery.id, this.#deps.clock.now(), null),
      );
    } catch (error) {
      this.#dropEffects();
      this.#failed(delivery, error);
    } finally {
      this.#handOnEffects();
    }
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
   * announced after it too, and queued by its own announcement.
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
        // Each batch waits for a turn of the event loop of its own, so that announcements of new
        // deliveries, and on the thread that sends its acks and commands, are served between
        // batches instead of after the whole backlog.
        await (this.#gaveWay ? afterWaitingWriters(GIVE_WAY_MAX_MS) : nextTurn());
        const waiting = this.#processBatch();
        // A delivery that must wait for a send (an echo, a read) is processed on its own.
        if (waiting) await (this.#deps.handOff ?? ((d) => this.processAlone(d)))(waiting);
      }
    } catch (error) {
      this.#deps.logger.error('delivery processing crashed', { error: String(error) });
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Processes queued deliveries in one transaction until the queue is empty, the time budget is
   * spent, or a delivery must be processed alone (returned, taken off the queue). Each delivery is
   * a savepoint: one that throws is rolled back alone and retried later.
   */
  #processBatch(): StoredDelivery | null {
    const { archive } = this.#deps;
    const started = performance.now();
    let waiting: StoredDelivery | null = null;
    this.#gaveWay = false;
    this.#derived(() =>
      transaction(archive.database, () => {
        while (this.#queue.length > 0) {
          const elapsed = performance.now() - started;
          if (elapsed >= BATCH_BUDGET_MS) return;
          if (elapsed >= GIVE_WAY_AFTER_MS && this.#othersWaiting()) {
            this.#gaveWay = true;
            return;
          }
          const delivery = this.#queue.shift() as StoredDelivery;
          const mark = this.#mark();
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
            this.#dropEffects(mark);
            this.#failed(delivery, error);
          }
        }
      }),
    );
    this.#handOnEffects();
    return waiting;
  }

  #mark(): EffectsMark {
    return [this.#effects.length, this.#newMessages.length, this.#customers.length];
  }

  /** Forgets the effects recorded since `mark` (all of them without one): they were rolled back. */
  #dropEffects([effects, messages, customers]: EffectsMark = [0, 0, 0]): void {
    this.#effects.length = effects;
    this.#newMessages.length = messages;
    this.#customers.length = customers;
  }

  #handOnEffects(): void {
    const effects = this.#effects.splice(0);
    if (this.#newMessages.length > 0) {
      const customers = new Map(this.#customers.map((ref) => [ref.conversationId, ref]));
      effects.push({
        kind: 'archived',
        messages: this.#newMessages.splice(0),
        customers: [...customers.values()],
      });
      this.#customers.length = 0;
    }
    if (effects.length > 0) this.#deps.onEffects(effects);
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

  /**
   * Whether a delivery must be processed alone: with the sends at hand, when an event waits for a
   * send in flight (docs/platform.md#echoes, #delivery); without them, whenever an event is
   * ordered after sends or names an account this thread does not know.
   */
  #mustWait(events: WebhookEvent[]): boolean {
    const { sends, isConnectedAccount } = this.#deps;
    return events.some((event) => {
      const conversationId = waitsOn(event);
      if (sends) return conversationId !== null && sends.hasPending(conversationId);
      if (event.kind === 'ignored' || event.kind === 'self-echo') return false;
      return conversationId !== null || !isConnectedAccount(event.accountId);
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

  /**
   * Processing only derives rows from a delivery whose commit was fsynced before the ack; if a
   * power cut loses these commits, the delivery is still unprocessed and `processPending` redoes
   * it. So they skip the fsync, which would otherwise hold processing for up to tens of
   * milliseconds on a busy disk.
   */
  #derived<T>(work: () => T): T {
    return withoutFsync(this.#deps.archive.database, work);
  }

  /** One event on the slow path: waits for the sends where the order of events requires it. */
  async #apply(event: WebhookEvent, deliveryId: number): Promise<void> {
    const { sends } = this.#deps;
    if (sends && event.kind === 'seen' && event.customerId !== null && this.#isShown(event)) {
      // A read may overtake the Graph response that tells Inlet the mid it names
      // (docs/platform.md#delivery).
      await sends.settled(conversationIdOf(event.accountId, event.customerId));
    }
    if (sends && event.kind === 'message' && event.direction === 'out' && this.#isShown(event)) {
      // Claimed before waiting: a send of unknown outcome may be waiting for exactly this echo.
      if (sends.claimEcho(echoOf(event))) return;
      await sends.settled(conversationIdOf(event.accountId, event.customerId));
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
      this.#effects.push({ kind: 'self-echo', mid: event.mid });
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
        this.#effects.push({ kind: 'comment', commentId: event.id });
        return;
    }
  }

  #applyMessage(event: MessageEvent, deliveryId: number): void {
    const { archive, sends, clock } = this.#deps;
    // The echo of Inlet's own send confirms it, never becomes a second bubble
    // (docs/platform.md#echoes): either it matches a send in flight or of unknown outcome, or the
    // send records its mid first (the sends have settled by now: see #apply and #mustWait). An
    // echo reaches this point only on the thread that sends.
    if (event.direction === 'out' && sends?.claimEcho(echoOf(event))) return;
    const saved = this.#derived(() => {
      const saved = archive.inbound.saveMessage({
        ...event,
        isFromOtherApp: event.direction === 'out',
        deliveryId,
      });
      // With the message, so the thread serving the UI need not wait for the write lock to do it.
      if (saved) recordPendingMedia(archive.database, downloadsOf(saved.message), clock.now());
      return saved;
    });
    if (!saved) return;
    this.#emit(saved);
    this.#newMessages.push(saved.message);
    // Every run asks again, once per customer: the picture's link expires within days
    // (docs/platform.md#user-profile) and the customer may have changed it.
    if (event.direction === 'in') {
      const conversationId = saved.conversation.id;
      this.#customers.push({
        conversationId,
        accountId: event.accountId,
        customerId: event.customerId,
      });
    }
  }

  #emit(saved: Saved | null): void {
    if (saved) this.#effects.push({ kind: 'saved', saved });
  }
}

/** How many effects, new messages and customers were recorded before a delivery. */
type EffectsMark = [effects: number, messages: number, customers: number];

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
