import { GraphError } from '../graph/graph-errors';
import type { GraphClient } from '../graph/graph-client';
import type { MessageSender, SendOutcome } from './outbox';

/**
 * The outbox's view of the Graph client: a send either succeeds, fails for a reason the owner can
 * read, or ends with an unknown outcome (the request may have reached Instagram).
 */
export function createGraphSender(
  graph: GraphClient,
  tokenFor: (igUserId: string) => string | null,
  /** Graph refused the token itself (code 190, revoked): only a new login helps (issue #4). */
  onTokenRejected: (igUserId: string, reason: string) => void = () => {},
): MessageSender {
  return {
    async sendText(accountId, recipientId, text): Promise<SendOutcome> {
      const token = tokenFor(accountId);
      if (token === null) {
        return {
          ok: false,
          outcome: 'failed',
          reason: 'This account is not connected. Reconnect it and retry.',
        };
      }
      try {
        const { messageId } = await graph.sendMessage(token, accountId, {
          kind: 'text',
          recipientId,
          text,
        });
        return { ok: true, messageId };
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        const { kind, userMessage, retryAfterMs, maxRetries, requestSent, graphCode } =
          error.failure;
        if (kind === 'reauth') onTokenRejected(accountId, userMessage);
        // Safe to send again only when nothing left this machine, or Meta answered with a
        // throttling or temporary code: then the message was refused, not delivered (§5.4).
        if (kind === 'retryable' && (!requestSent || graphCode !== null)) {
          return { ok: false, outcome: 'retryable', reason: userMessage, retryAfterMs, maxRetries };
        }
        return {
          ok: false,
          outcome: kind === 'outcome-unknown' || kind === 'retryable' ? 'unknown' : 'failed',
          reason: userMessage,
        };
      }
    },
  };
}
