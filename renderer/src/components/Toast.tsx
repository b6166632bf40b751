import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import {
  Button,
  Text,
  UNSTABLE_Toast as AriaToast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from 'react-aria-components';

type ToastContentValue = { title: string };

/** How long a toast stays: long enough to read a sentence, then it gets out of the way. */
const TOAST_MS = 5000;

// One queue for the page: whatever finished (a copy, a send elsewhere) says so in one place.
const queue = new ToastQueue<ToastContentValue>({ maxVisibleToasts: 3 });

/** Says, briefly and politely, that something finished; never for errors that need action. */
export function showToast(title: string): void {
  queue.add({ title }, { timeout: TOAST_MS });
}

/** The corner where toasts appear; mounted once, in the shell. */
export function Toasts() {
  const { t } = useTranslation();
  return (
    <ToastRegion queue={queue} className="toasts" aria-label={t('toast.region')}>
      {({ toast }) => (
        <AriaToast toast={toast} className="toast">
          <ToastContent className="toast__content">
            <Text slot="title">{toast.content.title}</Text>
          </ToastContent>
          <Button slot="close" className="icon-button" aria-label={t('toast.dismiss')}>
            <X size={16} strokeWidth={1.5} aria-hidden="true" />
          </Button>
        </AriaToast>
      )}
    </ToastRegion>
  );
}
