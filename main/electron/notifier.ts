import { Notification } from 'electron';
import type { Notifier } from '../core/ports';

/** OS notifications; where the desktop has none (some Linux sessions) they are skipped, not queued. */
export const electronNotifier: Notifier = {
  notify: (title, body) => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
};
