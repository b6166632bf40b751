import { join } from 'node:path';
import type { GraphClient } from '../../../../../main/core/graph/graph-client';
import { InboxService } from '../../../../../main/core/inbox/inbox-service';
import { Outbox, type MessageSender } from '../../../../../main/core/inbox/outbox';
import { OutgoingMedia } from '../../../../../main/core/inbox/outgoing-media';
import { SendingService, type SendingDeps } from '../../../../../main/core/inbox/sending-service';
import { fixedClock } from '../../../../fakes/clock';
import { memoryKv } from '../../../../fakes/memory-kv';
import { quietReconciliation } from '../../../../fakes/reconciler';
import { catalogueAt, IG_ID } from '../../../../fakes/webhook-bodies';

type InboxDeps = ConstructorParameters<typeof InboxService>[0];

/** A sender whose sends never finish: for tests about receiving, where nothing should go out. */
export const NEVER_ANSWERING_SENDER: MessageSender = {
  sendText: () => new Promise(() => undefined),
  sendAttachment: () => new Promise(() => undefined),
};

/**
 * The inbox as the outbox and sending tests need it: the fixture business account (IG_ID) is the
 * one connected account, and customers have no readable profile unless a test says otherwise.
 */
export function inboxForTestAccount(
  deps: Pick<InboxDeps, 'archive' | 'events' | 'outbox' | 'clock' | 'logger'> &
    Partial<Pick<InboxDeps, 'lookupProfile' | 'keepPicture' | 'onCommentStored' | 'queueLimit'>>,
): InboxService {
  return new InboxService({
    isConnectedAccount: (id) => id === IG_ID,
    lookupProfile: async () => null,
    ...deps,
  });
}

/** A minute after the catalogue's last delivery: its conversations are all inside their window. */
export const afterCatalogue = () => fixedClock(catalogueAt('39') + 60_000);

/**
 * The outbox and inbox of the fixture account at `afterCatalogue`, for tests that receive the
 * payload catalogue (docs/platform.md#payload-catalogue). Nothing goes out unless a test passes a
 * sender.
 */
export function catalogueInbox(
  deps: Pick<InboxDeps, 'archive' | 'events' | 'logger'> &
    Partial<Pick<InboxDeps, 'lookupProfile'>> & { sender?: MessageSender },
) {
  const { archive, events, logger, sender = NEVER_ANSWERING_SENDER, lookupProfile } = deps;
  const outbox = new Outbox({ archive, events, sender, logger, ...quietReconciliation() });
  const inbox = inboxForTestAccount({
    archive,
    events,
    outbox,
    clock: afterCatalogue(),
    logger,
    ...(lookupProfile && { lookupProfile }),
  });
  return { outbox, inbox };
}

/**
 * The sending service for the same account, for tests of what a sent text goes through (outbox,
 * archive, events); Graph is not reached by a text, so calls to it fail the test.
 */
export function senderForTestAccount(
  deps: Pick<SendingDeps, 'archive' | 'events' | 'outbox' | 'clock' | 'logger'> & { dir: string },
): SendingService {
  const unreachable = () => {
    throw new Error('a text goes through the outbox, not straight to Graph');
  };
  return new SendingService({
    graph: { sendMessage: unreachable } as unknown as GraphClient,
    media: new OutgoingMedia({
      dir: join(deps.dir, 'media-out'),
      clock: deps.clock,
      logger: deps.logger,
    }),
    tokenFor: (id) => (id === IG_ID ? 'IGAAtoken' : null),
    isConnectedAccount: (id) => id === IG_ID,
    kv: memoryKv(),
    ...deps,
  });
}
