import type { HealthCheck } from '../../../shared/ipc/health-contract';
import type { GraphClient } from '../graph/graph-client';
import type { Logger } from '../ports';
import { checkOf, graphFinding, type HealthAccount } from './checks';
import { healthReason, ownerSteps } from './health-model';

/** Meta delivers within seconds; a minute without the echo means it is not delivering. */
export const LOOP_TEST_TIMEOUT_MS = 60_000;

export type LoopTestOptions = {
  graph: Pick<GraphClient, 'sendMessage'>;
  now: () => number;
  logger: Logger;
  timeoutMs?: number;
};

/**
 * "Send a test message": the business messages itself (docs/platform.md#self-messaging) and Inlet
 * waits for the echo to come back through its own webhook. The echo proves the whole loop (send,
 * Meta's delivery, the tunnel, the signature check); a send Instagram accepts with no echo within
 * a minute means Meta is not delivering to this app, which nothing else can see.
 */
export class LoopTest {
  readonly #options: LoopTestOptions;
  /** Sends waiting for their echo, by mid. */
  readonly #waiting = new Map<string, () => void>();
  /** Echoes that came before the send's answer did. */
  readonly #early = new Set<string>();

  constructor(options: LoopTestOptions) {
    this.#options = options;
  }

  /** The webhook brought back the echo of a message the business sent itself. */
  echoArrived(mid: string): void {
    const waiting = this.#waiting.get(mid);
    if (waiting) waiting();
    else this.#early.add(mid);
  }

  async run(account: HealthAccount): Promise<HealthCheck> {
    const { graph, now, logger } = this.#options;
    const startedAt = now();
    const check = (finding: Parameters<typeof checkOf>[3]) =>
      checkOf('loop-proven', account.igUserId, now(), finding);
    if (account.token === null) {
      return check({
        state: 'unknown',
        reason: healthReason('Connect this account again to check it.', 'accountNeedsReconnect'),
        fix: { kind: 'repair', repair: 'reconnect-account' },
      });
    }
    let mid: string;
    try {
      const sent = await graph.sendMessage(account.token, account.igUserId, {
        kind: 'text',
        recipientId: account.igUserId,
        text: 'Inlet test message: checking that Instagram delivers to Inlet.',
      });
      mid = sent.messageId;
    } catch (error) {
      logger.warn('the test message was refused', { igUserId: account.igUserId });
      return check(refusedFinding(error));
    }
    const arrived = await this.#echoOf(mid);
    const seconds = Math.max(1, Math.round((now() - startedAt) / 1000));
    if (arrived) {
      return check({
        state: 'ok',
        reason: healthReason(
          `A test message went out and came back through Inlet’s webhook in ${seconds} s.`,
          'loopOk',
          { seconds },
        ),
        technical: `self-message ${mid} echoed`,
      });
    }
    return check({
      state: 'failing',
      reason: healthReason(
        'Instagram accepted the test message but never sent it back to Inlet: Meta is not delivering to this app.',
        'loopSilent',
      ),
      fix: ownerSteps(
        'In the Meta dashboard, publish the app (an unpublished app receives no webhooks) and, while it is in Development mode, give the people who write to you the Instagram Tester role. Check that the callback URL is Inlet’s and the messages field is subscribed.',
        'loopSilentSteps',
      ),
      technical: `self-message ${mid}: no echo within ${String(this.#timeoutMs / 1000)} s`,
    });
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? LOOP_TEST_TIMEOUT_MS;
  }

  #echoOf(mid: string): Promise<boolean> {
    if (this.#early.delete(mid)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(mid);
        resolve(false);
      }, this.#timeoutMs);
      this.#waiting.set(mid, () => {
        clearTimeout(timer);
        this.#waiting.delete(mid);
        resolve(true);
      });
    });
  }
}

/**
 * Instagram may refuse self-messaging (an older API version, an account type): the dashboard's
 * Test button proves the callback instead, and Inlet recognises its delivery.
 */
function refusedFinding(error: unknown): Parameters<typeof checkOf>[3] {
  const classified = graphFinding(error);
  if (classified.state === 'failing') return classified; // a refused login or a missing role
  return {
    state: 'unknown',
    reason: healthReason(
      'Instagram refused the test message, so the loop could not be proven this way.',
      'loopRefused',
    ),
    fix: ownerSteps(
      'In the Meta dashboard, open Webhooks, find the messages field and press Test: Inlet notes the test delivery when it arrives.',
      'loopRefusedSteps',
    ),
    technical: classified.technical ?? null,
  };
}
