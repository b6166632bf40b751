import { useEffect, useMemo, useState } from 'react';
import { useNow } from '../../lib/use-now';
import { nextWakeUp, visibleConversationIds } from '../../store/triage';
import { useApp } from '../../store/use-app';

/**
 * The conversation ids the list shows under the current filter. Re-filters every minute (reply
 * windows run out) and exactly when the next snooze ends, so a snoozed conversation wakes on time.
 */
export function useVisibleConversations(): string[] {
  const order = useApp((state) => state.conversationOrder);
  const byId = useApp((state) => state.conversationsById);
  const triageById = useApp((state) => state.triageById);
  const filter = useApp((state) => state.inboxFilter);
  const minute = useNow(60_000);
  const [wokeAt, setWokeAt] = useState(0);
  const now = Math.max(minute, wokeAt);

  useEffect(() => {
    const wake = nextWakeUp(triageById, Date.now());
    if (wake === null) return;
    // setTimeout holds at most ~24.8 days; a longer snooze is re-armed by the minute tick.
    const delay = Math.min(wake - Date.now() + 50, 2 ** 31 - 1);
    const timer = setTimeout(() => setWokeAt(Date.now()), delay);
    return () => clearTimeout(timer);
  }, [triageById, wokeAt]);

  return useMemo(
    () => visibleConversationIds(order, byId, triageById, filter, now),
    [order, byId, triageById, filter, now],
  );
}
