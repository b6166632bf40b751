import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTIFY_LANGUAGES, type NotifyLanguage } from '../../../shared/ipc/notifications-contract';
import { isBrowserUi, type InboxClient } from '../bridge';
import {
  faviconFor,
  showBrowserNotification,
  titleWithUnread,
  unreadConversations,
} from '../features/notifications/browser-notifications';
import { subscribeToMain } from '../store/app-store';
import { useAppStore } from '../store/use-app';

/**
 * The one place the UI listens to main: events update the store in place, then the first load
 * runs (subscribing first, so no event falls between the load and the subscription).
 */
export function useBridgeEvents(client: InboxClient): void {
  const store = useAppStore();
  const { i18n } = useTranslation();
  const language = (NOTIFY_LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as NotifyLanguage)
    : 'en';

  useEffect(() => {
    const unsubscribe = subscribeToMain(store, client);
    void store.getState().loadAll();
    return unsubscribe;
  }, [store, client]);

  // The browser UI has no native notifier or badge: notifications main raises, and the unread
  // count in the tab's title and icon, are the page's own.
  useEffect(() => {
    if (!isBrowserUi()) return;
    const title = document.title;
    const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    const show = (count: number) => {
      document.title = titleWithUnread(title, count);
      icon?.setAttribute('href', faviconFor(count));
    };
    show(unreadConversations(store.getState().conversationsById));
    const unsubscribeStore = store.subscribe((state, previous) => {
      if (state.conversationsById === previous.conversationsById) return;
      show(unreadConversations(state.conversationsById));
    });
    const unsubscribeRaised = client.on('notifications:raised', (payload) =>
      showBrowserNotification(payload, (id) => store.getState().openFromNotification(id)),
    );
    return () => {
      unsubscribeStore();
      unsubscribeRaised();
      show(0);
    };
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

  // Main stays quiet about the conversation on screen: tell it what that is, whenever it changes.
  useEffect(() => {
    const report = () => store.getState().reportPresence(language);
    report();
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.selectedConversationId !== previous.selectedConversationId) report();
    });
    document.addEventListener('visibilitychange', report);
    window.addEventListener('focus', report);
    window.addEventListener('blur', report);
    return () => {
      unsubscribe();
      document.removeEventListener('visibilitychange', report);
      window.removeEventListener('focus', report);
      window.removeEventListener('blur', report);
    };
  }, [store, language]);
}
