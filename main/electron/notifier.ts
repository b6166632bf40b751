import { dialog, Notification } from 'electron';
import type { Logger, Notifier } from '../core/ports';
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

/**
 * A one-off notice from the shell (the first close to the tray): a notification, or a message box
 * where the desktop has no notifications, so it is never lost.
 */
export function showNotice(title: string, body: string, logger: Logger): void {
  if (Notification.isSupported()) {
    new Notification({ title, body }).show();
    return;
  }
  dialog
    .showMessageBox({ type: 'info', title, message: title, detail: body })
    .catch((error: unknown) =>
      logger.warn('a notice could not be shown', { error: String(error) }),
    );
}
