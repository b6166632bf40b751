import { CONVERSATIONS_API_INTERVAL_MS } from './catch-up';
import { withDetails } from '../graph/message-details';
import { sendFailure, type FailureReason } from '../../../shared/domain/failure-reason';
import { GraphError, type GraphFailure } from '../graph/graph-errors';
import type { GraphClient, SendBody } from '../graph/graph-client';
import type { LookUpResult, MessageSender, SendOutcome, SendReconciler } from './outbox';

const NOT_CONNECTED = sendFailure(
  'This account is not connected. Reconnect it and retry.',
  'notConnected',
);

/**
 * Code 4 is the app's limit (every account); 17, 32, 613 and the BUC family are per account
 * (docs/platform.md#error-codes).
 */
function throttleScope(failure: GraphFailure): 'app' | 'account' | null {
  if (failure.reason !== 'rate-limited' || failure.graphCode === null) return null;
  return failure.graphCode === 4 ? 'app' : 'account';
}

/**
 * The outbox's view of the Graph client: a send either succeeds, fails for a reason the owner can
 * read, pauses its account (token gone), or ends with an unknown outcome (it may have arrived).
 */
export function createGraphSender(
  graph: GraphClient,
  tokenFor: (igUserId: string) => string | null,
  hooks: {
    /** Where attached files are published for Instagram to fetch (the tunnel's origin). */
    media?: AttachmentPublisher;
    /** Graph refused the token itself (code 190, revoked): only a new login helps. */
    onTokenRejected?: (igUserId: string, reason: FailureReason) => void;
  } = {},
): MessageSender {
  async function send(accountId: string, body: SendBody): Promise<SendOutcome> {
    const token = tokenFor(accountId);
    if (token === null) return { ok: false, outcome: 'failed', reason: NOT_CONNECTED };
    try {
      const { messageId } = await graph.sendMessage(token, accountId, body);
      // Texts and attachments always get a message_id; without one, reconcile rather than guess.
      if (messageId === null)
        return {
          ok: false,
          outcome: 'unknown',
          reason: sendFailure('Instagram did not name the message.', 'noMessageId'),
        };
      return { ok: true, messageId };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      const failure = error.failure;
      const { kind, explanation, retryAfterMs, maxRetries, requestSent, graphCode } = failure;
      // 190 and friends: every later send of this account would fail the same way, and only a
      // new login helps: hold the account's messages and ask for the login.
      if (kind === 'reauth') {
        hooks.onTokenRejected?.(accountId, explanation);
        return { ok: false, outcome: 'paused', reason: explanation };
      }
      // Safe to send again only when nothing left this machine, or Meta answered with a
      // throttling or temporary code: then the message was refused, not delivered
      // (docs/platform.md#error-codes).
      if (kind === 'retryable' && (!requestSent || graphCode !== null)) {
        return {
          ok: false,
          outcome: 'retryable',
          reason: explanation,
          retryAfterMs,
          maxRetries,
          scope: throttleScope(failure),
        };
      }
      return {
        ok: false,
        outcome: kind === 'outcome-unknown' || kind === 'retryable' ? 'unknown' : 'failed',
        reason: explanation,
      };
    }
  }

  return {
    sendText: (accountId, recipientId, text, options = {}) =>
      send(accountId, {
        kind: 'text',
        recipientId,
        text,
        ...(options.replyToMid ? { replyToMid: options.replyToMid } : {}),
        ...(options.tag ? { tag: options.tag } : {}),
      }),

    async sendAttachment(accountId, recipientId, attachment, options = {}) {
      const url = await (hooks.media ?? NO_PUBLIC_MEDIA).publish(attachment.path);
      if (url.ok === false) return { ok: false, outcome: 'failed', reason: url.reason };
      return send(accountId, {
        kind: 'attachment',
        recipientId,
        attachment: { type: attachment.type, url: url.url },
        ...(options.tag ? { tag: options.tag } : {}),
      });
    },
  };
}

/** Makes a stored attachment fetchable and says at which public URL. */
export type AttachmentPublisher = {
  publish(path: string): Promise<{ ok: true; url: string } | { ok: false; reason: FailureReason }>;
};

const NO_PUBLIC_MEDIA: AttachmentPublisher = {
  publish: async () => ({
    ok: false,
    reason: sendFailure(
      'Attachments cannot be sent without a public address for Instagram to fetch them from.',
      'mediaNoPublicAddress',
    ),
  }),
};

/**
 * Looks for an unconfirmed send among the conversation's newest messages
 * (docs/platform.md#conversations-api, docs/platform.md#conversation-messages): only the 20 newest
 * are readable in detail, which is plenty for a send made moments (or one restart) ago.
 */
export function createGraphReconciler(
  graph: GraphClient,
  tokenFor: (igUserId: string) => string | null,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): SendReconciler {
  return {
    async lookUp({ accountId, customerId, text, sentAfter, isKnownMid }): Promise<LookUpResult> {
      const token = tokenFor(accountId);
      if (token === null)
        return {
          state: 'unavailable',
          reason: sendFailure('the account is not connected', 'notConnected'),
        };
      try {
        const threads = await graph.listConversations(token, accountId, { customerId, limit: 1 });
        const thread = threads.conversations[0];
        if (!thread) return { state: 'absent' };
        const page = await graph.getConversationMessages(token, thread.id, { limit: 20 });
        // Ids only (docs/platform.md#conversation-messages): read the unknown messages since the
        // send one by one, at the Conversations API's pace.
        const messages = await withDetails(graph, token, page.messages, {
          paced: async (call) => {
            await sleep(CONVERSATIONS_API_INTERVAL_MS);
            return call();
          },
          wanted: (node) =>
            !isKnownMid(node.id) && (node.createdTime === null || node.createdTime >= sentAfter),
        });
        // Newest first: the oldest match after the send time is the one this send created.
        const match = messages
          .filter(
            (message) =>
              message.from?.id === accountId &&
              (text === null ? !message.text : message.text === text) &&
              (message.createdTime === null || message.createdTime >= sentAfter) &&
              !isKnownMid(message.id),
          )
          .at(-1);
        return match ? { state: 'found', mid: match.id } : { state: 'absent' };
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        return {
          state: 'unavailable',
          reason: error.failure.explanation,
        };
      }
    },
  };
}
