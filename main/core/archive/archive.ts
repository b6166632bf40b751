import { AccountsStore } from './accounts-store';
import { CommentsStore } from './comments-store';
import { ConversationsStore } from './conversations-store';
import { openDatabase, type Database } from './database';
import { DeliveryJournal } from './delivery-journal';
import { InboundStore } from './inbound-store';
import { InboxQueries } from './inbox-queries';
import { OutgoingQueue } from './outgoing-queue';

/**
 * The local archive: one open database and the stores that share it, each with one job. Only
 * composition lives here; every rule is in the store it belongs to.
 */
export class Archive {
  /** The open connection, for stores built elsewhere (triage, search, saved replies). */
  readonly database: Database;
  /** Every webhook delivery byte for byte. */
  readonly deliveries: DeliveryJournal;
  readonly accounts: AccountsStore;
  /** Conversations and messages as the inbox reads them. */
  readonly queries: InboxQueries;
  /** Read state and the customer's profile. */
  readonly conversations: ConversationsStore;
  /** Messages and events Instagram reports, applied whatever order they arrive in. */
  readonly inbound: InboundStore;
  /** Inlet's own outgoing messages and their delivery states. */
  readonly outgoing: OutgoingQueue;
  readonly comments: CommentsStore;

  constructor(path: string) {
    this.database = openDatabase(path);
    this.deliveries = new DeliveryJournal(this.database);
    this.accounts = new AccountsStore(this.database);
    this.queries = new InboxQueries(this.database);
    this.conversations = new ConversationsStore(this.database, this.queries);
    this.inbound = new InboundStore(this.database, this.queries);
    this.outgoing = new OutgoingQueue(this.database, this.queries, this.inbound);
    this.comments = new CommentsStore(this.database);
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}
