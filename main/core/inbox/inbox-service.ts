import { detail } from '../../../shared/domain/localized-text';
import type { Conversation, Message } from '../../../shared/domain/schemas';
import type { Archive } from '../archive/archive';
import { GroupCommit } from '../archive/group-commit';
import { AppError } from '../errors';
import type { EventBus } from '../event-bus';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock, Logger } from '../ports';
import { DeliveryProcessor, type CustomerRef, type ProcessingEffect } from './delivery-processor';
import type { Outbox } from './outbox';
import { ProcessingThread } from './processing-thread';

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
   * downloads their media, which processing recorded with them.
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
  /**
   * Processing runs on a thread of its own, with its own connection to the archive at
   * `databasePath`, told of the connected accounts (and again on `accountsChanged`).
   */
  processOn?: { databasePath: string; accounts: () => readonly string[] };
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
 * Profile lookups in flight at once: a burst from hundreds of new customers queues its lookups
 * instead of firing them all at Graph (whose rate limit they share with sends) at once.
 */
const PROFILE_LOOKUPS_AT_ONCE = 2;

/**
 * The inbox on the thread that serves the UI: answers the renderer's inbox commands, announces
 * what processing derived, and looks customers up. Deliveries are stored first (the webhook ack
 * waits for that) and processed afterwards (delivery-processor.ts): on a thread of their own when
 * `processOn` says where the archive is, as the app runs, or on this thread, as unit tests run
 * them. Either way the few deliveries ordered after sends (echoes, reads) are processed here,
 * where the outbox is.
 */
export class InboxService {
  readonly #deps: InboxDeps;
  /** Processes here: everything in unit tests, what the processing thread hands over in the app. */
  readonly #here: DeliveryProcessor;
  readonly #thread: ProcessingThread | null;
  #lastEventAt: number | null = null;
  readonly #profilesAsked = new Set<string>();
  readonly #profileQueue: (() => Promise<void>)[] = [];
  #profileLookups = 0;
  readonly #pending = new Set<Promise<void>>();
  readonly #ingest: GroupCommit<{ body: Uint8Array; receivedAt: number }, number>;

  constructor(deps: InboxDeps) {
    this.#deps = deps;
    this.#ingest = new GroupCommit((items) => deps.archive.deliveries.storeMany(items));
    const onEffects = (effects: ProcessingEffect[]) => this.#announce(effects);
    this.#here = new DeliveryProcessor({
      archive: deps.archive,
      clock: deps.clock,
      logger: deps.logger,
      isConnectedAccount: deps.isConnectedAccount,
      sends: deps.outbox,
      onEffects,
      queueLimit: deps.queueLimit,
    });
    this.#thread = !deps.processOn
      ? null
      : new ProcessingThread({
          ...deps.processOn,
          onEffects,
          processHere: (delivery) => this.#here.processAlone(delivery),
          logger: deps.logger,
          queueLimit: deps.queueLimit,
        });
  }

  get lastEventAt(): number | null {
    return this.#lastEventAt;
  }

  /**
   * Durably stores a verified delivery on this thread's connection, then schedules its processing
   * (the app's deliveries are stored by the receiver thread instead, and announced by `stored`).
   * Resolves after the commit that holds it (deliveries arriving together share one transaction);
   * rejects, storing nothing of its batch, when that commit fails. The answer is the delivery's
   * journal id.
   */
  async acceptDelivery(body: Uint8Array): Promise<number> {
    const receivedAt = this.#deps.clock.now();
    const id = await this.#ingest.submit({ body, receivedAt });
    this.#lastEventAt = Math.max(this.#lastEventAt ?? 0, receivedAt);
    if (this.#thread) this.#thread.stored(id);
    else this.#here.admit({ id, body, receivedAt });
    return id;
  }

  /** A delivery the receiver thread stored: processed in order after those before it. */
  stored(id: number, receivedAt: number): void {
    this.#lastEventAt = Math.max(this.#lastEventAt ?? 0, receivedAt);
    (this.#thread ?? this.#here).stored(id);
  }

  /** The connected accounts changed: the processing thread is told. */
  accountsChanged(): void {
    this.#thread?.accountsChanged();
  }

  /**
   * Processes deliveries stored but never processed (Inlet stopped in between, or they failed).
   * Called at start, before the listener, and when a restarted receiver thread may have stored
   * deliveries it could not announce.
   */
  async processPending(): Promise<void> {
    await (this.#thread ?? this.#here).processPending();
    await this.#here.idle();
  }

  /** Stops the retry timers of failed deliveries (they are retried on the next start). */
  close(): void {
    this.#here.close();
  }

  /** Finishes what is in hand, lookups included, and ends the processing thread. */
  async stop(): Promise<void> {
    this.close();
    await this.idle();
    await this.#thread?.stop();
  }

  /** Resolves once every delivery accepted so far has been processed, lookups included. */
  async idle(): Promise<void> {
    await this.#ingest.idle();
    await this.#thread?.idle();
    await this.#here.idle();
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
      // Already read (the renderer asks whenever the open thread grows): no write to wait for.
      const conversation =
        before.unreadCount > 0
          ? await this.#deps.archive.conversations.markRead(input.conversationId)
          : before;
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

  /** What a commit of processing changed, told to the UI and the services that follow it. */
  #announce(effects: readonly ProcessingEffect[]): void {
    const { events } = this.#deps;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'saved':
          events.emit('inbox:messageSaved', effect.saved);
          break;
        case 'comment':
          this.#deps.onCommentStored?.(effect.commentId);
          break;
        case 'self-echo':
          this.#deps.onSelfEcho?.(effect.mid);
          break;
        case 'archived':
          if (effect.messages.length > 0) this.#deps.archiveMedia?.(effect.messages);
          for (const customer of effect.customers) this.#resolveProfile(customer);
          break;
      }
    }
  }

  /** After the ack and off the delivery queue: a slow Graph must not hold up new messages. */
  #resolveProfile({ conversationId, accountId, customerId }: CustomerRef): void {
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
