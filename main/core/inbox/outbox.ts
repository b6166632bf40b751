import type { Archive } from '../archive/archive';
import type { EventBus } from '../event-bus';
import type { Logger } from '../ports';

/**
 * How a send ended, as the sender port reports it. `unknown` means the request may have reached
 * Instagram (timeout after sending, or code 1/1357046): it is never retried blindly because the
 * Send API has no idempotency key (platform §3.10).
 */
export type SendOutcome =
  { ok: true; messageId: string } | { ok: false; outcome: 'failed' | 'unknown'; reason: string };

export interface MessageSender {
  sendText(accountId: string, recipientId: string, text: string): Promise<SendOutcome>;
}

/**
 * Sends queued messages in order per conversation. A message is already stored as `queued` before
 * it gets here, so a crash loses nothing: on start, `recover` re-queues what never left and marks
 * what may have left as `unknown`.
 */
export class Outbox {
  readonly #chains = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      archive: Archive;
      events: EventBus;
      sender: MessageSender;
      logger: Logger;
    },
  ) {}

  enqueue(messageId: string, conversationId: string): void {
    const previous = this.#chains.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.#send(messageId))
      .catch((error: unknown) => {
        this.deps.logger.error('outbox send crashed', { error: String(error) });
      });
    this.#chains.set(conversationId, next);
    void next.then(() => {
      if (this.#chains.get(conversationId) === next) this.#chains.delete(conversationId);
    });
  }

  /** Resolves once every send queued so far for the conversation has finished. */
  settled(conversationId: string): Promise<void> {
    return this.#chains.get(conversationId) ?? Promise.resolve();
  }

  async drain(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }

  recover(): void {
    for (const message of this.deps.archive.pendingOutgoing()) {
      if (message.status === 'sending') {
        this.#save(message.id, {
          status: 'unknown',
          error: 'Inlet stopped while this message was being sent; it may or may not have arrived.',
        });
      } else {
        this.enqueue(message.id, message.conversationId);
      }
    }
  }

  async #send(messageId: string): Promise<void> {
    const { archive } = this.deps;
    const message = archive.findMessage(messageId);
    if (!message || message.status !== 'queued' || message.text === null) return;
    const conversation = archive.findConversation(message.conversationId);
    if (!conversation) return;
    this.#save(messageId, { status: 'sending' });
    const outcome = await this.deps.sender
      .sendText(conversation.accountId, conversation.customerId, message.text)
      .catch((error: unknown): SendOutcome => ({
        ok: false,
        outcome: 'unknown',
        reason: `Sending failed unexpectedly: ${String(error)}`,
      }));
    if (outcome.ok) {
      this.#save(messageId, { status: 'sent', mid: outcome.messageId });
    } else {
      this.deps.logger.warn('send did not succeed', {
        outcome: outcome.outcome,
        reason: outcome.reason,
      });
      this.#save(messageId, { status: outcome.outcome, error: outcome.reason });
    }
  }

  #save(messageId: string, change: Parameters<Archive['setMessageStatus']>[1]): void {
    this.deps.events.emit(
      'inbox:messageSaved',
      this.deps.archive.setMessageStatus(messageId, change),
    );
  }
}
