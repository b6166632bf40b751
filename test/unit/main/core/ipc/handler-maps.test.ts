import type { HealthMonitor } from '../../../../../main/core/health/health-monitor';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AccountsService } from '../../../../../main/core/accounts/accounts-service';
import type { AppSettings } from '../../../../../main/core/accounts/app-settings';
import type { CommentsService } from '../../../../../main/core/comments/comments-service';
import type { InboxService } from '../../../../../main/core/inbox/inbox-service';
import type { SendingService } from '../../../../../main/core/inbox/sending-service';
import type { diagnosticsHandler } from '../../../../../main/core/diagnostics';
import type { HandlersFor } from '../../../../../main/core/ipc/dispatch';
import type { DmNotifications } from '../../../../../main/core/notify/dm-notifications';
import type { savedRepliesHandlers } from '../../../../../main/core/triage/saved-replies';
import type { searchHandlers } from '../../../../../main/core/triage/search';
import type { TriageService } from '../../../../../main/core/triage/triage-service';
import type { updatesHandlers } from '../../../../../main/core/updates/updates-handlers';
import type { developerHandlers } from '../../../../../main/core/deliveries/developer-handlers';
import type { InvokeChannel } from '../../../../../shared/ipc/contract';
import type { startAtLoginHandlers } from '../../../../../main/core/desktop/start-at-login';

describe('a service handler map checked with HandlersFor', () => {
  it('does not compile when a handler is missing, mistyped or answers another service', () => {
    // @ts-expect-error: 'search:messages' has no handler
    const missing = {} satisfies HandlersFor<'search'>;
    const mistyped = {
      // @ts-expect-error: the answer lacks the hits' conversations
      'search:messages': async () => ({ hits: [] }),
    } satisfies HandlersFor<'search'>;
    const wrongInput = {
      // @ts-expect-error: the input of search:messages has no conversationId
      'search:messages': async ({ conversationId }: { conversationId: string }) => ({
        hits: [],
        conversations: [conversationId],
      }),
    } satisfies HandlersFor<'search'>;
    const foreign = {
      'search:messages': async () => ({ hits: [], customerMatches: [], conversations: [] }),
      // @ts-expect-error: a triage channel does not belong in the search map
      'triage:list': async () => ({ items: [] }),
    } satisfies HandlersFor<'search'>;
    expect([missing, mistyped, wrongInput, foreign]).toHaveLength(4);
  });

  it('the maps of all services together answer exactly the channels of the contract', () => {
    type Answered =
      | keyof InboxService['handlers']
      | keyof SendingService['handlers']
      | keyof CommentsService['handlers']
      | keyof AccountsService['handlers']
      | keyof AppSettings['handlers']
      | keyof TriageService['handlers']
      | keyof ReturnType<typeof searchHandlers>
      | keyof ReturnType<typeof savedRepliesHandlers>
      | keyof DmNotifications['handlers']
      | keyof ReturnType<typeof updatesHandlers>
      | keyof ReturnType<typeof developerHandlers>
      | keyof HealthMonitor['handlers']
      | keyof ReturnType<typeof diagnosticsHandler>
      | keyof ReturnType<typeof startAtLoginHandlers>
      | 'app:getStatus'; // the core's own status, answered by create-core
    expectTypeOf<Answered>().toEqualTypeOf<InvokeChannel>();
  });
});
