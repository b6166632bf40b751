import { useEffect } from 'react';
import type { InboxClient } from '../bridge';
import { subscribeToMain } from '../store/app-store';
import { useAppStore } from '../store/use-app';

/**
 * The one place the UI listens to main: events update the store in place, then the first load
 * runs (subscribing first, so no event falls between the load and the subscription).
 */
export function useBridgeEvents(client: InboxClient): void {
  const store = useAppStore();

  useEffect(() => {
    const unsubscribe = subscribeToMain(store, client);
    void store.getState().loadAll();
    return unsubscribe;
  }, [store, client]);

  // A message read while the window was hidden is marked read once the owner comes back to it.
  useEffect(() => {
    const markRead = () => store.getState().markSelectedRead();
    document.addEventListener('visibilitychange', markRead);
    window.addEventListener('focus', markRead);
    return () => {
      document.removeEventListener('visibilitychange', markRead);
      window.removeEventListener('focus', markRead);
    };
  }, [store]);
}
