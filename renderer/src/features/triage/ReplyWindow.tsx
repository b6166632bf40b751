import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../../shared/domain/schemas';
import { useNow } from '../../lib/use-now';
import { ENDING_SOON_MS, replyWindowLeft } from '../../store/triage';

const MINUTE = 60_000;

/** Under this, the pill turns from amber to red: a reply is needed now. */
const URGENT_MS = 30 * MINUTE;

/**
 * The 24-hour reply window counting down; nothing when the customer never wrote.
 * - `full` (the customer panel): the whole wording, "2 h 10 min left to reply".
 * - `pill` (the conversation list): DESIGN.md's quiet "2 h left", only while the window is short:
 *   a calm list, with urgency standing out.
 * - `header` (the thread header): the same compact pill, shown whenever the customer wrote, so the
 *   open conversation always says how long is left (neutral until it gets short).
 * The compact forms keep the full wording for assistive technology and as a tooltip.
 */
export function ReplyWindow({
  conversation,
  variant = 'full',
  pause = null,
}: {
  conversation: Conversation;
  variant?: 'full' | 'pill' | 'header';
  /** What assistive technology hears before it, when it is shown (the row's pause). */
  pause?: ReactNode;
}) {
  const { t } = useTranslation();
  const now = useNow(MINUTE);
  const left = replyWindowLeft(conversation, now);
  if (left === null) return null;
  if (variant === 'pill' && (left === 0 || left > ENDING_SOON_MS)) return null;
  const isCompact = variant !== 'full';
  if (left === 0) {
    return (
      <span
        className={
          isCompact ? 'reply-window reply-window--pill is-closed' : 'reply-window is-closed'
        }
        data-testid="reply-window"
      >
        {t('triage.windowClosed')}
      </span>
    );
  }
  // Rounded up: "0 min left" would read as closed while a reply is still possible.
  // Capped: a timestamp slightly ahead of this clock must not show more than the 24 hours.
  const minutes = Math.min(Math.ceil(left / MINUTE), 24 * 60);
  const hours = Math.floor(minutes / 60);
  const full = t('triage.windowLeft', { hours, minutes: minutes % 60 });
  // Whole hours, rounded down (never promise time that is not there); minutes only under an hour.
  const short =
    hours > 0 ? t('triage.windowLeftHours', { hours }) : t('triage.windowLeftMinutes', { minutes });
  return (
    <>
      {pause}
      <span
        className={[
          'reply-window',
          isCompact ? 'reply-window--pill' : '',
          left <= URGENT_MS ? 'is-urgent' : left <= ENDING_SOON_MS ? 'is-ending' : '',
        ]
          .filter(Boolean)
          .join(' ')}
        data-testid="reply-window"
        title={isCompact ? full : undefined}
      >
        {isCompact ? (
          <>
            <span aria-hidden="true">{short}</span>
            <span className="visually-hidden">{full}</span>
          </>
        ) : (
          full
        )}
      </span>
    </>
  );
}
