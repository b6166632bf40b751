import { formatDateTime, formatRelativeTime } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { useNow } from '../lib/use-now';

/** A time that ages on screen ("5 min. ago"), with the exact date and time on hover. */
export function RelativeTime({ at, className }: { at: number; className?: string }) {
  const locale = useLocale();
  const now = useNow();
  return (
    <time
      className={className}
      dateTime={new Date(at).toISOString()}
      title={formatDateTime(at, locale)}
    >
      {formatRelativeTime(at, now, locale)}
    </time>
  );
}
