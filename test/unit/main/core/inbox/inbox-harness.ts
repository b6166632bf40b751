import { InboxService } from '../../../../../main/core/inbox/inbox-service';
import { IG_ID } from '../../../../fakes/webhook-bodies';

type InboxDeps = ConstructorParameters<typeof InboxService>[0];

/**
 * The inbox as the outbox and sending tests need it: the fixture business account (IG_ID) is the
 * one connected account, and customers have no readable profile unless a test says otherwise.
 */
export function inboxForTestAccount(
  deps: Pick<InboxDeps, 'archive' | 'events' | 'outbox' | 'clock' | 'logger'> &
    Partial<Pick<InboxDeps, 'lookupProfile'>>,
): InboxService {
  return new InboxService({
    isConnectedAccount: (id) => id === IG_ID,
    lookupProfile: async () => null,
    ...deps,
  });
}
