import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../../shared/domain/schemas';
import { useNow } from '../../lib/use-now';
import { ENDING_SOON_MS, replyWindowLeft } from '../../store/triage';

const MINUTE = 60_000;

/** The 24-hour reply window counting down; nothing when the customer never wrote. */
export function ReplyWindow({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const now = useNow(MINUTE);
  const left = replyWindowLeft(conversation, now);
  if (left === null) return null;
  if (left === 0) {
    return <span className="reply-window is-closed">{t('triage.windowClosed')}</span>;
  }
  // Rounded up: "0 min left" would read as closed while a reply is still possible.
  // Capped: a timestamp slightly ahead of this clock must not show more than the 24 hours.
  const minutes = Math.min(Math.ceil(left / MINUTE), 24 * 60);
  return (
    <span
      className={left <= ENDING_SOON_MS ? 'reply-window is-ending' : 'reply-window'}
      data-testid="reply-window"
    >
      {t('triage.windowLeft', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })}
    </span>
  );
}
