import type { Archive } from '../archive/archive';
import type { EventBus } from '../event-bus';
import type { Logger } from '../ports';

/**
 * How a send ended, as the sender port reports it. `unknown` means the request may have reached
 * Instagram (timeout after sending, or code 1/1357046): it is never retried blindly because the
 * Send API has no idempotency key (platform §3.10). `retryable` failures were refused before
 * anything was sent (rate limits, temporary errors), so sending again cannot duplicate.
 */
export type SendOutcome =
  | { ok: true; messageId: string }
  | { ok: false; outcome: 'failed' | 'unknown'; reason: string }
  | {
      ok: false;
      outcome: 'retryable';
      reason: string;
      retryAfterMs: number | null;
      /** How often this kind of refusal may be retried (code 1: once), null for the policy's limit. */
      maxRetries: number | null;
    };

export interface MessageSender {
  sendText(accountId: string, recipientId: string, text: string): Promise<SendOutcome>;
}

export type RetryPolicy = {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

type OutboxDeps = {
  archive: Archive;
  events: EventBus;
  sender: MessageSender;
  logger: Logger;
  retry?: RetryPolicy;
  /** Waits `ms` or until `signal` aborts; injectable so tests need no real time. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
};

/** "Full jitter" (AWS architecture blog): spreads retries from many senders across the window. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  hintMs: number | null,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(hintMs ?? 0, Math.floor(random() * ceiling));
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Sends queued messages in order per conversation. A message is already stored as `queued` before
 * it gets here, so a crash loses nothing: on start, `recover` re-queues what never left and marks
 * what may have left as `unknown`. Refusals that are safe to retry are retried with back-off while
 * the message stays `queued`; the conversation's later messages wait behind it to keep the order.
 */
export class Outbox {
  readonly #chains = new Map<string, Promise<void>>();
  readonly #deps: OutboxDeps;
  readonly #retry: RetryPolicy;
  readonly #wait: NonNullable<OutboxDeps['wait']>;
  readonly #random: () => number;
  #closing = new AbortController();

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
    this.#retry = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.#wait = deps.wait ?? waitFor;
    this.#random = deps.random ?? Math.random;
  }

  enqueue(messageId: string, conversationId: string): void {
    const previous = this.#chains.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.#send(messageId))
      .catch((error: unknown) => {
        this.#deps.logger.error('outbox send crashed', { error: String(error) });
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

  /**
   * Stops waiting out back-offs (the messages stay `queued` and go out after the next start) and
   * lets sends already on the wire finish.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.drain();
    this.#closing = new AbortController();
  }

  recover(): void {
    for (const message of this.#deps.archive.pendingOutgoing()) {
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

  /** The owner asked to send a failed message again: it goes back in line as `queued`. */
  retry(messageId: string): boolean {
    const message = this.#deps.archive.findMessage(messageId);
    if (!message || message.direction !== 'out' || message.status !== 'failed') return false;
    this.#save(messageId, { status: 'queued', error: null });
    this.enqueue(messageId, message.conversationId);
    return true;
  }

  async #send(messageId: string): Promise<void> {
    const { archive, logger } = this.#deps;
    for (let attempt = 1; ; attempt += 1) {
      const message = archive.findMessage(messageId);
      if (!message || message.status !== 'queued' || message.text === null) return;
      const conversation = archive.findConversation(message.conversationId);
      if (!conversation) return;
      if (this.#closing.signal.aborted) return; // stays queued: sent after the next start
      this.#save(messageId, { status: 'sending' });
      const outcome = await this.#deps.sender
        .sendText(conversation.accountId, conversation.customerId, message.text)
        .catch((error: unknown): SendOutcome => ({
          ok: false,
          outcome: 'unknown',
          reason: `Sending failed unexpectedly: ${String(error)}`,
        }));
      if (outcome.ok) {
        this.#save(messageId, { status: 'sent', mid: outcome.messageId });
        return;
      }
      const limit = Math.min(
        this.#retry.maxAttempts,
        outcome.outcome === 'retryable' && outcome.maxRetries !== null
          ? outcome.maxRetries + 1
          : Infinity,
      );
      if (outcome.outcome !== 'retryable' || attempt >= limit) {
        logger.warn('send did not succeed', {
          outcome: outcome.outcome,
          attempt,
          reason: outcome.reason,
        });
        this.#save(messageId, {
          status: outcome.outcome === 'retryable' ? 'failed' : outcome.outcome,
          error: outcome.reason,
        });
        return;
      }
      const delay = backoffDelay(attempt, this.#retry, this.#random, outcome.retryAfterMs);
      logger.info('send refused for now; retrying', {
        attempt,
        delayMs: delay,
        reason: outcome.reason,
      });
      this.#save(messageId, { status: 'queued', error: null });
      await this.#wait(delay, this.#closing.signal);
    }
  }

  #save(messageId: string, change: Parameters<Archive['setMessageStatus']>[1]): void {
    this.#deps.events.emit(
      'inbox:messageSaved',
      this.#deps.archive.setMessageStatus(messageId, change),
    );
  }
}
