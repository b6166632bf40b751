import {
  heldUntil,
  sendErrorOf,
  sendFailure,
  untranslated,
  type FailureReason,
} from '../../../shared/domain/failure-reason';
import type { Message } from '../../../shared/domain/schemas';
import type { Archive } from '../archive/archive';
import type { StatusChange } from '../archive/outgoing-queue';
import type { EventBus } from '../event-bus';
import { RATE_LIMITED_REASON } from '../graph/graph-errors';
import { SLOW_DOWN_PERCENT } from '../graph/usage';
import type { Clock, Logger } from '../ports';

/**
 * How a send ended, as the sender port reports it. `unknown` means the request may have reached
 * Instagram (timeout after sending, or code 1/1357046): it is never retried blindly because the
 * Send API has no idempotency key (docs/platform.md#idempotency); the outbox reconciles it first.
 * `retryable` failures were refused before anything was sent (rate limits, temporary errors), so
 * sending again cannot duplicate. `paused` means the account's token no longer works (190): nothing
 * of that account is sent until the owner reconnects it.
 */
export type SendOutcome =
  | { ok: true; messageId: string }
  | { ok: false; outcome: 'failed' | 'unknown' | 'paused'; reason: FailureReason }
  | {
      ok: false;
      outcome: 'retryable';
      reason: FailureReason;
      retryAfterMs: number | null;
      /**
       * How often this kind of refusal may be retried (code 1: once), null for the policy's limit.
       */
      maxRetries: number | null;
      /**
       * Whom the throttling applies to (docs/platform.md#error-codes): `app` (code 4) holds every
       * account's sends, `account` (17, 32, 613, 80002) only this account's; null when only this
       * message should back off.
       */
      scope?: 'app' | 'account' | null;
    };

/**
 * How a text goes out: as an inline reply to a message (`reply_to`), and/or tagged
 * (docs/platform.md#reply-windows).
 */
export type TextSendOptions = { replyToMid?: string | null; tag?: 'HUMAN_AGENT' | null };

export interface MessageSender {
  sendText(
    accountId: string,
    recipientId: string,
    text: string,
    options?: TextSendOptions,
  ): Promise<SendOutcome>;
  /** One attachment Inlet serves itself: `path` is under the public (tunnel) origin. */
  sendAttachment(
    accountId: string,
    recipientId: string,
    attachment: { type: OutgoingAttachmentType; path: string },
    options?: Pick<TextSendOptions, 'tag'>,
  ): Promise<SendOutcome>;
}

export type OutgoingAttachmentType = 'image' | 'video' | 'audio' | 'file';
const OUTGOING_TYPES: readonly string[] = ['image', 'video', 'audio', 'file'];

/** What an outgoing message is on the wire: its text, or the one attachment Inlet serves. */
function outgoingContent(
  message: Message,
): { text: string } | { attachment: { type: OutgoingAttachmentType; path: string } } | null {
  if (message.text !== null) return { text: message.text };
  const [first] = message.attachments;
  if (message.attachments.length !== 1 || !first?.url || !OUTGOING_TYPES.includes(first.type))
    return null;
  return { attachment: { type: first.type as OutgoingAttachmentType, path: first.url } };
}

/**
 * What the Conversations API says about a send whose outcome is unknown
 * (docs/platform.md#idempotency, docs/platform.md#conversation-messages).
 */
export type LookUpResult =
  | { state: 'found'; mid: string }
  | { state: 'absent' }
  | { state: 'unavailable'; reason: FailureReason };

export interface SendReconciler {
  /**
   * Looks for a business message with this text, created at or after `sentAfter`, among the
   * conversation's newest messages on Instagram, skipping mids the archive already holds.
   */
  lookUp(input: {
    accountId: string;
    customerId: string;
    /** Null for an attachment-only send: then a message of the business without text matches. */
    text: string | null;
    sentAfter: number;
    isKnownMid: (mid: string) => boolean;
  }): Promise<LookUpResult>;
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
  reconciler: SendReconciler;
  logger: Logger;
  clock?: Clock;
  retry?: RetryPolicy;
  /** How long an unknown send waits for its echo before asking the Conversations API. */
  echoGraceMs?: number;
  /** Waits `ms` or until `signal` aborts; injectable so tests need no real time. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /**
   * The accounts and their logins: one waiting for a new login holds its messages instead of
   * failing them, and its login releases them.
   */
  accounts?: AccountLogins;
};

export type AccountLogins = {
  /** Why each account that needs a new login needs it. */
  reconnectReasons(): ReadonlyMap<string, FailureReason>;
  /** Calls `listener` when an account is usable again after a login. */
  onAccountReady(listener: (igUserId: string) => void): () => void;
};

/** Echo timestamps come from Meta's clock, `at` from this machine's: allow for the difference. */
export const ECHO_CLOCK_SKEW_MS = 5 * 60_000;
const DEFAULT_ECHO_GRACE_MS = 4_000;
/**
 * Conversations API checks before an unknown send is left for the next start (2 calls/s,
 * docs/platform.md#conversations-api).
 */
const LOOKUP_ATTEMPTS = 3;

export const RECONCILE_MESSAGES = {
  checking:
    'Instagram did not confirm this message. Inlet is checking the conversation before anything is sent again.',
  absent:
    'Instagram has no record of this message in the conversation, so it was not delivered. Retry sends it again.',
  uncheckable: (reason: string) =>
    `Inlet could not check with Instagram whether this message arrived (${reason}). It checks again at the next start; it is never sent twice.`,
  interrupted:
    'Inlet stopped while this message was being sent; it checks the conversation before anything is sent again.',
} as const;

/** The reconcile sentences with their keys, as the outbox stores them. */
const RECONCILE_REASONS = {
  checking: sendFailure(RECONCILE_MESSAGES.checking, 'reconcileChecking'),
  absent: sendFailure(RECONCILE_MESSAGES.absent, 'reconcileAbsent'),
  interrupted: sendFailure(RECONCILE_MESSAGES.interrupted, 'reconcileInterrupted'),
  /** Without the cause's key the sentence could only be half translated: keep it English. */
  uncheckable: (cause: FailureReason): FailureReason => {
    const text = RECONCILE_MESSAGES.uncheckable(cause.text);
    const key = sendErrorOf(cause)?.key;
    return key ? sendFailure(text, 'reconcileUncheckable', { cause: key }) : untranslated(text);
  },
} satisfies Record<string, FailureReason | ((cause: FailureReason) => FailureReason)>;

/**
 * Why an account's messages are held, from why the account needs a login: Graph's own sentence
 * when it is one of the send reasons, else the general one (a saved login that cannot be opened).
 */
export function heldReason(reason: FailureReason): FailureReason {
  const send = sendErrorOf(reason);
  if (send) return sendFailure(reason.text, send.key, send.vars);
  return sendFailure(ACCOUNT_NEEDS_LOGIN, 'accountNeedsLogin');
}

const ACCOUNT_NEEDS_LOGIN =
  'This account needs a new login. The message is sent once the account is connected again.';

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
 * it gets here, so a crash loses nothing: on start, `recover` re-queues what never left and
 * reconciles what may have left. Refusals that are safe to retry are retried with back-off while
 * the message stays `queued`; the conversation's later messages wait behind it to keep the order.
 * A send of unknown outcome is never resent blindly: its echo webhook or the Conversations API
 * decides whether it is `sent` (with its mid) or `failed` with Retry
 * (docs/platform.md#idempotency).
 */
export class Outbox {
  readonly #chains = new Map<string, Promise<void>>();
  readonly #deps: OutboxDeps;
  readonly #retry: RetryPolicy;
  readonly #wait: NonNullable<OutboxDeps['wait']>;
  readonly #random: () => number;
  readonly #clock: Clock;
  #closing = new AbortController();
  /** Accounts whose token stopped working (190), with the reason shown on their queued messages. */
  readonly #paused = new Map<string, FailureReason>();
  /** Throttling holds: key `app` for every account, otherwise an account id; until when, and why. */
  readonly #holds = new Map<string, { until: number; reason: FailureReason }>();
  /** Aborted (and replaced) when the owner asks to send now: every back-off stops waiting. */
  #wake = new AbortController();
  /** Unknown sends waiting for their echo: resolved by `claimEcho`. */
  readonly #echoWaiters = new Map<string, () => void>();

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
    this.#retry = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.#wait = deps.wait ?? waitFor;
    this.#random = deps.random ?? Math.random;
    this.#clock = deps.clock ?? Date;
    deps.accounts?.onAccountReady((igUserId) => this.resumeAccount(igUserId));
  }

  enqueue(messageId: string, conversationId: string): void {
    this.#chain(conversationId, () => this.#send(messageId));
  }

  /** Resolves once every send queued so far for the conversation has finished. */
  settled(conversationId: string): Promise<void> {
    return this.#chains.get(conversationId) ?? Promise.resolve();
  }

  /** Whether a send for the conversation is queued or on the wire (`settled` would wait). */
  hasPending(conversationId: string): boolean {
    return this.#chains.has(conversationId);
  }

  async drain(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }

  /**
   * Stops waiting out back-offs and echo grace periods (messages stay `queued` or `unknown` and are
   * handled after the next start) and lets sends already on the wire finish.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.drain();
    this.#closing = new AbortController();
  }

  recover(): void {
    // First: the queued messages of an account an earlier run saw rejected stay queued.
    this.holdAccountsNeedingLogin();
    const { archive } = this.#deps;
    const pending = [...archive.outgoing.unconfirmed(), ...archive.outgoing.pending()].sort(
      (a, b) => a.at - b.at,
    );
    for (const message of pending) {
      if (message.status === 'queued') {
        this.enqueue(message.id, message.conversationId);
        continue;
      }
      // `sending` at start: Inlet died with the request on the wire. Like `unknown`, reconcile.
      if (message.status === 'sending') {
        this.#save(message.id, { status: 'unknown', error: RECONCILE_REASONS.interrupted });
      }
      this.#chain(message.conversationId, () => this.#reconcile(message.id, 0));
    }
  }

  /**
   * The owner asked to send a held message now rather than at the time shown: the throttling holds
   * on its account end and every waiting send tries again. Instagram may refuse again; the message
   * is then held anew, with the new time. False for a message that is not queued.
   */
  sendNow(messageId: string): boolean {
    const message = this.#deps.archive.queries.findMessage(messageId);
    if (!message || message.direction !== 'out' || message.status !== 'queued') return false;
    const conversation = this.#deps.archive.queries.findConversation(message.conversationId);
    if (conversation) this.#holds.delete(conversation.accountId);
    this.#holds.delete('app');
    this.#wake.abort();
    this.#wake = new AbortController();
    return true;
  }

  /** The owner asked to send a failed message again: it goes back in line as `queued`. */
  retry(messageId: string): boolean {
    const message = this.#deps.archive.queries.findMessage(messageId);
    if (!message || message.direction !== 'out' || message.status !== 'failed') return false;
    this.#save(messageId, { status: 'queued', error: null });
    this.enqueue(messageId, message.conversationId);
    return true;
  }

  /**
   * An `is_echo` message arrived: when it is one of Inlet's own sends still in flight or of unknown
   * outcome (same conversation and text, written before the echo), it confirms that send with its
   * mid instead of becoming a second bubble (docs/platform.md#messages-field,
   * docs/platform.md#echoes). Returns true when it did.
   */
  claimEcho(echo: {
    conversationId: string;
    mid: string;
    text: string | null;
    /** The first attachment's type: an attachment-only send is matched by it. */
    attachmentType?: string | null;
    at: number;
  }): boolean {
    const { archive } = this.#deps;
    if (archive.queries.hasMid(echo.mid)) return false;
    const match =
      echo.text !== null
        ? archive.outgoing.findEchoCandidate(
            echo.conversationId,
            echo.text,
            echo.at,
            ECHO_CLOCK_SKEW_MS,
          )
        : echo.attachmentType
          ? archive.outgoing.findAttachmentEchoCandidate(
              echo.conversationId,
              echo.attachmentType,
              echo.at,
              ECHO_CLOCK_SKEW_MS,
            )
          : null;
    if (!match) return false;
    this.#save(match.id, { status: 'sent', mid: echo.mid, error: null });
    this.#echoWaiters.get(match.id)?.();
    return true;
  }

  /** The account's token stopped working: its messages stay queued with `reason` until resumed. */
  pauseAccount(igUserId: string, reason: FailureReason): void {
    if (!this.#paused.has(igUserId))
      this.#deps.logger.warn('outbox paused for an account', { igUserId });
    this.#paused.set(igUserId, reason);
  }

  /** Holds the messages of every account that needs a new login; called whenever accounts change. */
  holdAccountsNeedingLogin(): void {
    for (const [igUserId, reason] of this.#deps.accounts?.reconnectReasons() ?? [])
      this.pauseAccount(igUserId, heldReason(reason));
  }

  isPaused(igUserId: string): boolean {
    return this.#paused.has(igUserId);
  }

  /**
   * The account is connected again (the accounts flow calls this after a reconnect): its queued
   * messages go out in their original order.
   */
  resumeAccount(igUserId: string): void {
    const wasPaused = this.#paused.delete(igUserId);
    if (wasPaused) this.#deps.logger.info('outbox resumed for an account', { igUserId });
    for (const message of this.#deps.archive.outgoing.queuedOf(igUserId)) {
      if (message.error !== null) this.#save(message.id, { status: 'queued', error: null });
      this.enqueue(message.id, message.conversationId);
    }
  }

  /**
   * `X-App-Usage` (docs/platform.md#usage-headers) counts the whole app: near 100 % every account's
   * sends slow down, so one busy account cannot push the app over. (The per-account BUC estimate
   * arrives with the refusal itself and holds that account through its `retryAfterMs`.)
   */
  noteUsage(usage: { appUsagePercent: number | null }): void {
    const percent = usage.appUsagePercent;
    if (percent === null || percent < SLOW_DOWN_PERCENT) return;
    const ms = percent >= 100 ? 4 * this.#retry.baseDelayMs : this.#retry.baseDelayMs;
    this.#holdScope('app', ms, RATE_LIMITED_REASON);
  }

  #chain(conversationId: string, task: () => Promise<void>): void {
    const previous = this.#chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.#deps.logger.error('outbox send crashed', { error: String(error) });
    });
    this.#chains.set(conversationId, next);
    void next.then(() => {
      if (this.#chains.get(conversationId) === next) this.#chains.delete(conversationId);
    });
  }

  #holdScope(scope: string, ms: number, reason: FailureReason): void {
    const until = this.#clock.now() + ms;
    if ((this.#holds.get(scope)?.until ?? 0) < until) this.#holds.set(scope, { until, reason });
  }

  /** Waits `ms`, unless Inlet is closing or the owner asked to send now. */
  #backOff(ms: number): Promise<void> {
    return this.#wait(ms, AbortSignal.any([this.#closing.signal, this.#wake.signal]));
  }

  /**
   * Waits out app-wide and account-wide throttling, the message showing why and until when;
   * false when Inlet is closing.
   */
  async #waitForHolds(messageId: string, accountId: string): Promise<boolean> {
    for (;;) {
      if (this.#closing.signal.aborted) return false;
      const holds = [this.#holds.get('app'), this.#holds.get(accountId)];
      const hold = holds.reduce((a, b) => ((b?.until ?? 0) > (a?.until ?? 0) ? b : a));
      if (hold === undefined || hold.until <= this.#clock.now()) return true;
      const error = heldUntil(hold.reason, hold.until);
      const shown = this.#deps.archive.queries.findMessage(messageId)?.error;
      if (JSON.stringify(shown) !== JSON.stringify(error))
        this.#save(messageId, { status: 'queued', error });
      await this.#backOff(hold.until - this.#clock.now());
    }
  }

  async #send(messageId: string): Promise<void> {
    const { archive, logger } = this.#deps;
    for (let attempt = 1; ; attempt += 1) {
      const message = archive.queries.findMessage(messageId);
      const content = message && outgoingContent(message);
      if (!message || message.status !== 'queued' || !content) return;
      const conversation = archive.queries.findConversation(message.conversationId);
      if (!conversation) return;
      const pausedReason = this.#paused.get(conversation.accountId);
      if (pausedReason !== undefined) {
        // Stays queued, visibly, until `resumeAccount` puts it back in line.
        if (message.error?.text !== pausedReason.text)
          this.#save(messageId, { status: 'queued', error: pausedReason });
        return;
      }
      if (!(await this.#waitForHolds(messageId, conversation.accountId))) return; // stays queued
      // The owner may have cancelled it while it was held.
      if (archive.queries.findMessage(messageId)?.status !== 'queued') return;
      this.#save(messageId, { status: 'sending' });
      const tag = archive.outgoing.sendTagOf(messageId);
      const outcome = await (
        'text' in content
          ? this.#deps.sender.sendText(
              conversation.accountId,
              conversation.customerId,
              content.text,
              {
                replyToMid: message.replyTo?.mid ?? null,
                tag,
              },
            )
          : this.#deps.sender.sendAttachment(
              conversation.accountId,
              conversation.customerId,
              content.attachment,
              { tag },
            )
      ).catch((error: unknown): SendOutcome => ({
        ok: false,
        outcome: 'unknown',
        reason: sendFailure(`Sending failed unexpectedly: ${String(error)}`, 'sendCrashed'),
      }));
      const now = archive.queries.findMessage(messageId);
      if (outcome.ok) {
        // Its echo may have confirmed it already, with this very mid.
        if (now?.status !== 'sent' || now.mid !== outcome.messageId)
          this.#save(messageId, { status: 'sent', mid: outcome.messageId, error: null });
        return;
      }
      // Its echo may have confirmed it while the request was still open.
      if (now?.status === 'sent') return;
      if (outcome.outcome === 'paused') {
        this.pauseAccount(conversation.accountId, outcome.reason);
        this.#save(messageId, { status: 'queued', error: outcome.reason });
        return;
      }
      if (outcome.outcome === 'unknown') {
        logger.warn('send outcome unknown; reconciling', { reason: outcome.reason.text });
        this.#save(messageId, { status: 'unknown', error: RECONCILE_REASONS.checking });
        await this.#reconcile(messageId, this.#deps.echoGraceMs ?? DEFAULT_ECHO_GRACE_MS);
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
          reason: outcome.reason.text,
        });
        this.#save(messageId, { status: 'failed', error: outcome.reason });
        return;
      }
      const delay = backoffDelay(attempt, this.#retry, this.#random, outcome.retryAfterMs);
      if (outcome.scope === 'app' || outcome.scope === 'account') {
        const scope = outcome.scope === 'app' ? 'app' : conversation.accountId;
        this.#holdScope(scope, delay, outcome.reason);
      }
      logger.info('send refused for now; retrying', {
        attempt,
        delayMs: delay,
        scope: outcome.scope ?? 'message',
        reason: outcome.reason.text,
      });
      // Held, visibly: why, and when Inlet tries again.
      const until = this.#clock.now() + delay;
      this.#save(messageId, { status: 'queued', error: heldUntil(outcome.reason, until) });
      await this.#backOff(delay);
    }
  }

  /**
   * Decides an `unknown` send without sending it again: first its echo (given `graceMs` to arrive),
   * then the conversation's newest messages on Instagram. Found: `sent` with the mid. Provably
   * absent: `failed`, with Retry. Cannot tell: stays `unknown` and is checked at the next start.
   * Runs inside the conversation's chain, so later messages keep their order behind it.
   */
  async #reconcile(messageId: string, graceMs: number): Promise<void> {
    const { archive, logger } = this.#deps;
    if (graceMs > 0) await this.#waitForEcho(messageId, graceMs);
    for (let attempt = 1; attempt <= LOOKUP_ATTEMPTS; attempt += 1) {
      const message = archive.queries.findMessage(messageId);
      if (!message || message.status !== 'unknown' || !outgoingContent(message)) return;
      const conversation = archive.queries.findConversation(message.conversationId);
      if (!conversation || this.#closing.signal.aborted) return;
      const result = await this.#deps.reconciler
        .lookUp({
          accountId: conversation.accountId,
          customerId: conversation.customerId,
          text: message.text,
          sentAfter: message.at - ECHO_CLOCK_SKEW_MS,
          isKnownMid: (mid) => archive.queries.hasMid(mid),
        })
        .catch((error: unknown): LookUpResult => ({
          state: 'unavailable',
          reason: sendFailure(String(error), 'sendCrashed'),
        }));
      // An echo may have confirmed it during the look-up.
      if (archive.queries.findMessage(messageId)?.status !== 'unknown') return;
      if (result.state === 'found') {
        logger.info('unknown send found on Instagram', { attempt });
        this.#save(messageId, { status: 'sent', mid: result.mid, error: null });
        return;
      }
      if (result.state === 'absent') {
        logger.info('unknown send not on Instagram; offering Retry', { attempt });
        this.#save(messageId, { status: 'failed', error: RECONCILE_REASONS.absent });
        return;
      }
      logger.warn('could not reconcile an unknown send', { attempt, reason: result.reason.text });
      this.#save(messageId, {
        status: 'unknown',
        error: RECONCILE_REASONS.uncheckable(result.reason),
      });
      if (attempt < LOOKUP_ATTEMPTS)
        await this.#wait(
          backoffDelay(attempt, this.#retry, this.#random, null),
          this.#closing.signal,
        );
    }
  }

  async #waitForEcho(messageId: string, graceMs: number): Promise<void> {
    const claimed = new AbortController();
    this.#echoWaiters.set(messageId, () => claimed.abort());
    const closing = this.#closing.signal;
    const stop = () => claimed.abort();
    closing.addEventListener('abort', stop);
    try {
      await this.#wait(graceMs, claimed.signal);
    } finally {
      closing.removeEventListener('abort', stop);
      this.#echoWaiters.delete(messageId);
    }
  }

  #save(messageId: string, change: StatusChange): void {
    this.#deps.events.emit(
      'inbox:messageSaved',
      this.#deps.archive.outgoing.setStatus(messageId, change),
    );
  }
}
