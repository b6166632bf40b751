import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useNow } from '../../lib/use-now';
import { triageStateOf } from '../../store/triage';
import { useApp } from '../../store/use-app';
import { snoozeChoices } from './snooze-choices';

/** Done / reopen, snooze, mark unread for the open conversation. */
export function TriageActions({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const triage = useApp((state) => state.triageById[conversationId]);
  const error = useApp((state) => state.triageError);
  const setDone = useApp((state) => state.setDone);
  const snooze = useApp((state) => state.snooze);
  const markUnread = useApp((state) => state.markUnread);
  const [custom, setCustom] = useState('');
  const state = triageStateOf(triage, now);

  const onSnooze = (value: string) => {
    if (value === '') return;
    const choice = snoozeChoices(Date.now()).find((candidate) => candidate.key === value);
    if (choice) void snooze(conversationId, choice.until);
  };

  return (
    <div className="triage-actions">
      {state === 'done' ? (
        <button
          type="button"
          className="button"
          onClick={() => void setDone(conversationId, false)}
        >
          {t('triage.reopen')}
        </button>
      ) : (
        <button
          type="button"
          className="button"
          aria-keyshortcuts="e"
          onClick={() => void setDone(conversationId, true)}
        >
          {t('triage.markDone')}
        </button>
      )}
      {state === 'snoozed' && triage?.snoozedUntil != null ? (
        <button type="button" className="button" onClick={() => void snooze(conversationId, null)}>
          {t('triage.wakeNow', { time: formatDateTime(triage.snoozedUntil, locale) })}
        </button>
      ) : (
        <label className="triage-actions__snooze">
          <span className="visually-hidden">{t('triage.snooze')}</span>
          <select value="" onChange={(event) => onSnooze(event.target.value)}>
            <option value="">{t('triage.snooze')}</option>
            {snoozeChoices(now).map((choice) => (
              <option key={choice.key} value={choice.key}>
                {t(`triage.snoozeFor.${choice.key}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <form
        className="triage-actions__custom"
        onSubmit={(event) => {
          event.preventDefault();
          const until = new Date(custom).getTime();
          if (!Number.isNaN(until)) void snooze(conversationId, until);
        }}
      >
        <label>
          <span className="visually-hidden">{t('triage.snoozeUntil')}</span>
          <input
            type="datetime-local"
            value={custom}
            onChange={(event) => setCustom(event.target.value)}
          />
        </label>
        <button type="submit" className="button button--quiet" disabled={custom === ''}>
          {t('triage.snoozeUntil')}
        </button>
      </form>
      <button
        type="button"
        className="button button--quiet"
        aria-keyshortcuts="u"
        onClick={() => void markUnread(conversationId)}
      >
        {t('triage.markUnread')}
      </button>
      {error !== null && <ErrorMessage title={t('triage.failed')} error={error} />}
    </div>
  );
}
