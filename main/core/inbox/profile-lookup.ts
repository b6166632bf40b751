import type { FailureReason } from '../../../shared/domain/failure-reason';
import type { GraphClient } from '../graph/graph-client';
import { GraphError } from '../graph/graph-errors';
import type { Logger } from '../ports';
import type { CustomerProfile } from './inbox-service';

export type ProfileLookupDeps = {
  graph: Pick<GraphClient, 'getUserProfile'>;
  /** The account's access token, null while it needs a new login. */
  tokenFor: (igUserId: string) => string | null;
  /** Instagram refused the token: the account shows "Login needed". */
  markReconnectNeeded: (igUserId: string, reason: FailureReason) => void;
  logger: Logger;
};

/**
 * Who a customer is, seen from one business account (User Profile API,
 * docs/platform.md#user-profile). Null when the account has no usable token or Instagram will not
 * say; a refused token marks the account.
 */
export function profileLookup(deps: ProfileLookupDeps) {
  return async (accountId: string, customerId: string): Promise<CustomerProfile | null> => {
    const accessToken = deps.tokenFor(accountId);
    if (accessToken === null) return null;
    try {
      const profile = await deps.graph.getUserProfile(accessToken, customerId);
      return { username: profile.username, name: profile.name, pictureUrl: profile.profilePic };
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      if (error.failure.kind === 'reauth')
        deps.markReconnectNeeded(accountId, error.failure.explanation);
      // Code 230 (never messaged) and blocked customers are expected: show the IGSID instead.
      deps.logger.info('customer profile not available', { reason: error.failure.reason });
      return null;
    }
  };
}
