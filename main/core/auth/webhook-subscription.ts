import type { GraphClient } from '../graph/graph-client';
import { GraphError } from '../graph/graph-errors';
import { INBOX_WEBHOOK_FIELDS } from '../../../shared/domain/webhook-fields';

/** The per-account install of docs/platform.md#subscriptions, layer 3: every field a feature reads. */
export { INBOX_WEBHOOK_FIELDS };

/** What a token without the comments permission can subscribe (docs/platform.md#webhook-fields). */
export const MESSAGING_WEBHOOK_FIELDS = INBOX_WEBHOOK_FIELDS.filter(
  (field) => field !== 'comments' && field !== 'live_comments',
);

/**
 * The per-account install, done at every connect and start: Meta delivers nothing to an account
 * that is not subscribed, and may drop a subscription that kept failing. A token without the
 * comments permission (unticked at login, or generated without it) still gets its messages.
 * Returns the fields now subscribed.
 */
export async function subscribeAccount(
  graph: Pick<GraphClient, 'subscribeApp'>,
  accessToken: string,
  igUserId: string,
): Promise<readonly string[]> {
  try {
    await graph.subscribeApp(accessToken, igUserId, [...INBOX_WEBHOOK_FIELDS]);
    return INBOX_WEBHOOK_FIELDS;
  } catch (error) {
    if (!(error instanceof GraphError) || error.failure.reason !== 'permission-missing')
      throw error;
    await graph.subscribeApp(accessToken, igUserId, MESSAGING_WEBHOOK_FIELDS);
    return MESSAGING_WEBHOOK_FIELDS;
  }
}
