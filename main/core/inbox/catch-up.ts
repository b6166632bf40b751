import {
  conversationIdOf,
  type Attachment,
  type Conversation,
} from '../../../shared/domain/schemas';
import type { Archive } from '../archive/archive';
import type { IncomingMessage } from '../archive/inbound-store';
import type { Saved } from '../archive/inbox-queries';
import { describeError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import type { GraphMessage } from '../graph/graph-schemas';
import { DETAIL_LIMIT, hasDetail, withDetails } from '../graph/message-details';
import type { Logger } from '../ports';

/**
 * The Conversations API allows 2 calls per second per account (docs/platform.md#conversations-api,
 * docs/platform.md#rate-limits).
 */
export const CONVERSATIONS_API_INTERVAL_MS = 500;

export type CatchUpDeps = {
  graph: Pick<GraphClient, 'listConversations' | 'getConversationMessages' | 'getMessage'>;
  archive: Archive;
  logger: Logger;
  /** The accounts to catch up, and each one's token (null while it needs a new login). */
  accounts: { list(): readonly { igUserId: string }[]; token(igUserId: string): string | null };
  /**
   * False in sandbox mode: the emulator starts and stops with Inlet, so it holds nothing Inlet
   * could have missed.
   */
  live: boolean;
  /** Told about every message or gap marker added, so open threads update. */
  onSaved: (saved: Saved) => void;
  /** Told when a caught-up conversation got its customer's username. */
  onConversation: (conversation: Conversation) => void;
  /**
   * Resolves when Inlet's own sends in a conversation have their mids (Outbox.settled), so one
   * of them is recognised by mid instead of being stored again as sent from another app.
   */
  settled?: (conversationId: string) => Promise<void>;
  /** Waits between Conversations API calls; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
};

export type CatchUpResult = { conversations: number; added: number; gaps: number };

/**
 * Fills what webhooks missed (Inlet stopped, tunnel down, deliveries Meta gave up on) from the
 * Conversations API, newest threads first, stopping at the first thread nothing happened in since
 * the archive last heard of it. Messages are stored by mid, so whatever also arrives by webhook
 * (a late retry, an echo) stays one message. Where Graph cannot give back everything that is
 * missing (only 20 messages a thread are readable), a gap marker says so in the thread.
 */
export class CatchUp {
  readonly #deps: CatchUpDeps;
  readonly #runs = new Map<string, { done: Promise<CatchUpResult>; again: boolean }>();
  #stopped = false;

  constructor(deps: CatchUpDeps) {
    this.#deps = deps;
  }

  /**
   * Catches up every account that can read (one waiting for a new login cannot), in the
   * background; a failure is logged and the next start or return of the tunnel tries again.
   */
  runAll(): void {
    const { accounts, live } = this.#deps;
    if (!live) return;
    for (const { igUserId } of accounts.list()) {
      const token = accounts.token(igUserId);
      if (token !== null) this.#runLogged(igUserId, token);
    }
  }

  #runLogged(igUserId: string, token: string): void {
    this.run(igUserId, token).catch((error: unknown) =>
      this.#deps.logger.warn('catch-up through the Conversations API failed', {
        igUserId,
        error: describeError(error),
      }),
    );
  }

  /**
   * Catches up one account in the background, in either mode: after its subscription was repaired,
   * what Meta did not send while it was gone is fetched back. Nothing to do while it needs a login.
   */
  runFor(igUserId: string): void {
    const token = this.#deps.accounts.token(igUserId);
    if (token !== null) this.#runLogged(igUserId, token);
  }

  /**
   * Runs a catch-up for an account; a request while one runs for it schedules one more run after
   * it (what happened meanwhile is covered), never two at once.
   */
  run(accountId: string, token: string): Promise<CatchUpResult> {
    const current = this.#runs.get(accountId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { done: Promise.resolve({ conversations: 0, added: 0, gaps: 0 }), again: true };
    const loop = async (): Promise<CatchUpResult> => {
      let result = { conversations: 0, added: 0, gaps: 0 };
      while (state.again) {
        state.again = false;
        result = await this.#catchUp(accountId, token);
      }
      return result;
    };
    state.done = loop().finally(() => this.#runs.delete(accountId));
    this.#runs.set(accountId, state);
    return state.done;
  }

  /** Makes no further Graph call and waits for the runs in progress to give up. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.allSettled([...this.#runs.values()].map((run) => run.done));
  }

  async #catchUp(accountId: string, token: string): Promise<CatchUpResult> {
    const { graph, archive } = this.#deps;
    const sleep = this.#deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const result: CatchUpResult = { conversations: 0, added: 0, gaps: 0 };
    let after: string | undefined;
    let calls = 0;
    const paced = async <T>(call: () => Promise<T>): Promise<T> => {
      if (calls > 0) await sleep(CONVERSATIONS_API_INTERVAL_MS);
      if (this.#stopped) throw new Error('Inlet is stopping');
      calls += 1;
      return call();
    };
    for (;;) {
      const page = await paced(() => graph.listConversations(token, accountId, { after }));
      for (const thread of page.conversations) {
        const customer = thread.participants.find((person) => person.id !== accountId);
        if (!customer) continue;
        const known = archive.queries.findConversation(conversationIdOf(accountId, customer.id));
        // Newest first: a thread nothing happened in since the archive heard of it ends the walk.
        // updated_time has whole seconds, so a thread updated in the second of the archive's last
        // message may or may not hold more: it is read, and ends the walk if it held nothing new.
        const second = (ms: number) => Math.floor(ms / 1000);
        const isSameSecond =
          known !== null &&
          thread.updatedTime !== null &&
          second(thread.updatedTime) === second(known.lastMessageAt);
        if (
          known &&
          thread.updatedTime !== null &&
          second(thread.updatedTime) < second(known.lastMessageAt)
        ) {
          return this.#done(accountId, result);
        }
        // Conversations carry the customer's username: name a thread caught up before any webhook.
        if (known && known.customerUsername === null && customer.username != null) {
          archive.conversations.setCustomerProfile(known.id, {
            username: customer.username,
            name: known.customerName,
          });
        }
        const listed = await paced(() =>
          // One more than can be read: the extra id proves older messages exist.
          graph.getConversationMessages(token, thread.id, { limit: DETAIL_LIMIT + 1 }),
        );
        const messages = {
          ...listed,
          messages: await withDetails(graph, token, listed.messages, {
            paced,
            wanted: (node) => archive.queries.findMessageByMid(node.id) === null,
          }),
        };
        result.conversations += 1;
        await this.#deps.settled?.(conversationIdOf(accountId, customer.id));
        const addedBefore = result.added;
        this.#fill(accountId, customer.id, messages, result);
        const conversationId = conversationIdOf(accountId, customer.id);
        const filled = archive.queries.findConversation(conversationId);
        if (!known && filled?.customerUsername === null && customer.username != null) {
          archive.conversations.setCustomerProfile(conversationId, {
            username: customer.username,
            name: null,
          });
          const named = archive.queries.findConversation(conversationId);
          if (named) this.#deps.onConversation(named);
        }
        if (isSameSecond && result.added === addedBefore) return this.#done(accountId, result);
      }
      if (page.nextCursor === null) return this.#done(accountId, result);
      after = page.nextCursor;
    }
  }

  #done(accountId: string, result: CatchUpResult): CatchUpResult {
    this.#deps.logger.info('catch-up done', { accountId, ...result });
    return result;
  }

  #fill(
    accountId: string,
    customerId: string,
    page: { messages: GraphMessage[]; nextCursor: string | null },
    result: CatchUpResult,
  ): void {
    const { archive, onSaved } = this.#deps;
    let anyKnown = false;
    let oldest: GraphMessage | null = null;
    // Oldest first, so the conversation's preview and order end on the newest.
    for (const node of [...page.messages].reverse()) {
      if (archive.queries.findMessageByMid(node.id)) {
        anyKnown = true;
        continue;
      }
      // Beyond the 20 newest, Graph gives only id and created_time
      // (docs/platform.md#conversation-messages): nothing to show.
      if (!hasDetail(node)) continue;
      oldest ??= node;
      const saved = archive.inbound.saveMessage(incomingOf(accountId, customerId, node));
      if (saved) {
        result.added += 1;
        onSaved(saved);
      }
    }
    const isIncomplete =
      page.nextCursor !== null ||
      page.messages.length > DETAIL_LIMIT ||
      page.messages.some((node) => !hasDetail(node));
    // Nothing fetched overlaps the archive and Graph holds older messages it will not show: some
    // of what happened in between is lost to Inlet. Say so where it happened.
    if (!anyKnown && isIncomplete && oldest?.createdTime != null) {
      const saved = archive.inbound.saveMessage({
        ...incomingOf(accountId, customerId, oldest),
        mid: `gap:${oldest.id}`,
        direction: 'in',
        text: null,
        attachments: [],
        at: oldest.createdTime - 1,
        replyToMid: null,
        story: null,
        isUnsupported: false,
        isFromOtherApp: false,
        context: { kind: 'gap' },
        isContextOnly: true,
      });
      if (saved) {
        result.gaps += 1;
        onSaved(saved);
      }
    }
  }
}

/** A readable message always names its sender; the unreadable older ones carry no `from`. */

/**
 * A Conversations API message node as the archive's IncomingMessage
 * (docs/platform.md#conversation-messages).
 */
function incomingOf(accountId: string, customerId: string, node: GraphMessage): IncomingMessage {
  const isFromBusiness = node.from?.id === accountId;
  const attachments: Attachment[] = [
    ...node.attachments.map((attachment) => ({
      type: attachment.type,
      url: attachment.url,
      title: attachment.name,
    })),
    ...node.shares.map((share) => ({ type: 'share', url: share.link, title: share.name })),
  ];
  return {
    accountId,
    customerId,
    mid: node.id,
    direction: isFromBusiness ? 'out' : 'in',
    text: node.text,
    attachments,
    at: node.createdTime ?? 0,
    isStandby: false,
    replyToMid: node.replyToMid,
    story: node.story ? { kind: node.story.kind, url: node.story.link } : null,
    isUnsupported: node.isUnsupported,
    context: null,
    isContextOnly: false,
    // A business message Inlet does not know by mid was sent from another app.
    isFromOtherApp: isFromBusiness,
    deliveryId: null,
  };
}
