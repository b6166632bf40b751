import type { EventPayload } from '../../../../shared/ipc/contract';

/**
 * Desktop notifications in the browser UI. Main decides when one is due (a customer's new
 * message, account not muted, conversation not on screen) and says so with
 * `notifications:raised`; the page only shows it, with the browser's permission.
 */
export function showBrowserNotification(
  { conversationId, title, body }: EventPayload<'notifications:raised'>,
  onOpen: (conversationId: string) => void,
): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  // One per conversation: a second message replaces the first instead of piling up.
  const notification = new Notification(title, { body, tag: conversationId });
  notification.onclick = () => {
    window.focus();
    onOpen(conversationId);
    notification.close();
  };
}

/**
 * Asks for permission once the owner has just replied (a click or Enter the browser counts as the
 * user's own gesture), when an answer is worth hearing about: never on load, never twice.
 */
export function askForNotificationsOnce(): void {
  if (!('Notification' in window) || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/** "(3) Inlet": the tab shows how many conversations have unread messages. */
export function titleWithUnread(title: string, unreadConversations: number): string {
  return unreadConversations > 0 ? `(${unreadConversations}) ${title}` : title;
}

/** The tab's icon, with a red dot while anything is unread (both files in renderer/public). */
export function faviconFor(unreadConversations: number): string {
  return unreadConversations > 0 ? '/favicon-unread.svg' : '/favicon.svg';
}

/**
 * Conversations with unread messages among those the page has loaded: the newest pages, where
 * unread conversations are (a new message moves its conversation to the top).
 */
export function unreadConversations(
  conversationsById: Readonly<Record<string, { unreadCount: number }>>,
): number {
  let count = 0;
  for (const conversation of Object.values(conversationsById)) {
    if (conversation.unreadCount > 0) count += 1;
  }
  return count;
}
