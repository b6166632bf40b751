import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../../shared/domain/schemas';
import { useNow } from '../../lib/use-now';
import { ENDING_SOON_MS, replyWindowLeft } from '../../store/triage';

const MINUTE = 60_000;

/** Under this, the pill turns from amber to red: a reply is needed now. */
const URGENT_MS = 30 * MINUTE;

/**
 * The 24-hour reply window counting down; nothing when the customer never wrote. As a `pill` (the
 * conversation list) it shows only while the window is short: a calm list, with urgency standing
 * out.
 */
export function ReplyWindow({
  conversation,
  variant = 'full',
  pause = null,
}: {
  conversation: Conversation;
  variant?: 'full' | 'pill';
  /** What assistive technology hears before it, when it is shown (the row's pause). */
  pause?: ReactNode;
}) {
  const { t } = useTranslation();
  const now = useNow(MINUTE);
  const left = replyWindowLeft(conversation, now);
  if (left === null) return null;
  if (variant === 'pill' && (left === 0 || left > ENDING_SOON_MS)) return null;
  if (left === 0) {
    return <span className="reply-window is-closed">{t('triage.windowClosed')}</span>;
  }
  // Rounded up: "0 min left" would read as closed while a reply is still possible.
  // Capped: a timestamp slightly ahead of this clock must not show more than the 24 hours.
  const minutes = Math.min(Math.ceil(left / MINUTE), 24 * 60);
  return (
    <>
      {pause}
      <span
        className={[
          'reply-window',
          variant === 'pill' ? 'reply-window--pill' : '',
          left <= URGENT_MS ? 'is-urgent' : left <= ENDING_SOON_MS ? 'is-ending' : '',
        ]
          .filter(Boolean)
          .join(' ')}
        data-testid="reply-window"
      >
        {t('triage.windowLeft', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })}
      </span>
    </>
  );
}
