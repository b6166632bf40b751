import { app, Notification } from 'electron';
import type { Notifier } from '../core/ports';

/**
 * OS notifications and the dock/taskbar badge. Where the desktop has no notifications (some Linux
 * sessions) they are skipped, not queued. A click brings the window forward (`showWindow`), then
 * runs the core's handler, which opens the conversation.
 */
export function electronNotifier(showWindow: () => void): Notifier {
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
    // macOS dock and Unity launchers; elsewhere Electron ignores it and returns false.
    setBadgeCount: (count) => void app.setBadgeCount(count),
  };
}
