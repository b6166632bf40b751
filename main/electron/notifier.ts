import { Notification } from 'electron';
import type { Notifier } from '../core/ports';
import type { UnreadIndicators } from './unread-indicators';

/**
 * OS notifications and the unread indicators (dock badge, tray, taskbar overlay). Where the desktop
 * has no notifications (some Linux sessions) they are skipped, not queued. A click brings the
 * window forward (`showWindow`), then runs the core's handler, which opens the conversation.
 */
export function electronNotifier(showWindow: () => void, unread: UnreadIndicators): Notifier {
  return {
    notify: (title, body, onClick) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body });
      notification.on('click', () => {
        showWindow();
        onClick?.();
      });
      notification.show();
    },
    setBadgeCount: (count, text) => unread.show(count, text),
  };
}
