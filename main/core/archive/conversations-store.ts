import type { Conversation } from '../../../shared/domain/schemas';
import { transactionWhenFree, type Database } from './database';
import type { InboxQueries } from './inbox-queries';

/**
 * What changes a conversation apart from its messages: the owner reading it or marking it unread,
 * and the customer's name once Instagram tells it.
 */
export class ConversationsStore {
  readonly #db: Database;
  readonly #queries: InboxQueries;

  constructor(db: Database, queries: InboxQueries) {
    this.#db = db;
    this.#queries = queries;
  }

  /**
   * Without an fsync: a read mark a power cut loses shows the conversation unread again. Waits for
   * the write lock without blocking the UI thread: the owner reads a thread while messages arrive.
   */
  async markRead(conversationId: string): Promise<Conversation | null> {
    await transactionWhenFree(
      this.#db,
      () =>
        this.#db
          .prepare('UPDATE conversations SET unread_count = 0 WHERE id = ?')
          .run(conversationId),
      { fsync: false },
    );
    return this.#queries.findConversation(conversationId);
  }

  /** At least one unread message, so the conversation shows as unread again. */
  markUnread(conversationId: string): Conversation | null {
    this.#db
      .prepare('UPDATE conversations SET unread_count = max(unread_count, 1) WHERE id = ?')
      .run(conversationId);
    return this.#queries.findConversation(conversationId);
  }

  setCustomerProfile(
    conversationId: string,
    profile: { username: string | null; name: string | null },
  ): void {
    this.#db
      .prepare(
        'UPDATE conversations SET customer_username = coalesce(?, customer_username), customer_name = coalesce(?, customer_name) WHERE id = ?',
      )
      .run(profile.username, profile.name, conversationId);
  }
}
