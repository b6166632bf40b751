import type { NotifyLanguage } from '../../../shared/ipc/notifications-contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator, StoreOptions } from './app-state';
import { toUiError, type UiError } from './ui-error';

export type NotificationsSlice = {
  /** Accounts whose new messages raise no desktop notification. */
  mutedAccountIds: string[];
  /** The last mute change main refused, for the settings dialog to show. */
  notificationsError: UiError | null;
  loadNotificationSettings: () => Promise<void>;
  setAccountMuted: (accountId: string, isMuted: boolean) => Promise<void>;
  /**
   * Tells main which conversation the owner is looking at (none while the window is hidden or in
   * the background), so a message there raises no notification. Sent only when it changes.
   */
  reportPresence: (language: NotifyLanguage) => void;
  /** The owner clicked a notification: open that conversation. */
  openFromNotification: (conversationId: string) => void;
};

export const createNotificationsSlice =
  (client: InboxClient, options: Required<StoreOptions>): SliceCreator<NotificationsSlice> =>
  (set, get) => {
    let reported: string | null = null;
    return {
      mutedAccountIds: [],
      notificationsError: null,
      async loadNotificationSettings() {
        try {
          set({ mutedAccountIds: (await client.notifications.getSettings()).mutedAccountIds });
        } catch (error) {
          set({ notificationsError: toUiError(error) });
        }
      },
      async setAccountMuted(accountId, isMuted) {
        set({ notificationsError: null });
        try {
          set({
            mutedAccountIds: (await client.notifications.setMuted({ accountId, isMuted }))
              .mutedAccountIds,
          });
        } catch (error) {
          set({ notificationsError: toUiError(error) });
        }
      },
      reportPresence(language) {
        const selected = get().selectedConversationId;
        const onScreen = selected !== null && options.isThreadVisible() ? selected : null;
        const key = `${onScreen ?? ''}\n${language}`;
        if (key === reported) return;
        reported = key;
        client.notifications.setPresence({ conversationId: onScreen, language }).catch(() => {
          // Worst case is one notification too many; the next change reports again.
          reported = null;
        });
      },
      openFromNotification(conversationId) {
        // A conversation filtered out of the current view still opens; "All" shows it in the list.
        if (get().conversationsById[conversationId] === undefined) return;
        get().setInboxFilter({ view: 'all', label: null, account: null });
        get().selectConversation(conversationId);
      },
    };
  };
