import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useApp } from '../../store/use-app';

/**
 * The one place a downloaded update is offered: a quiet notice above the inbox, never a dialog.
 * Inlet never restarts on its own; while messages are still going out the restart waits for them,
 * and says so, unless the owner restarts now or changes their mind.
 */
export function UpdateNotice() {
  const { t } = useTranslation();
  const updates = useApp((state) => state.updates);
  const error = useApp((state) => state.updatesError);
  const restart = useApp((state) => state.restartToUpdate);
  const cancelRestart = useApp((state) => state.cancelRestart);
  const notesId = useId();
  const [showNotes, setShowNotes] = useState(false);
  // "Later" hides this version's notice until the next start; Settings still offers it.
  const [dismissed, setDismissed] = useState<string | null>(null);

  if (updates === null || updates.update === null) return null;
  const { version, notes } = updates.update;
  const phase = updates.phase;
  if (phase === 'ready' && dismissed === version) return null;
  if (phase !== 'ready' && phase !== 'waiting-for-outbox' && phase !== 'installing') return null;

  return (
    <aside
      className="banner update-notice"
      aria-label={t('updates.notice.label')}
      data-testid="update-notice"
      data-phase={phase}
    >
      <p className="banner__text" role="status">
        {phase === 'ready' && t('updates.notice.ready', { version })}
        {phase === 'waiting-for-outbox' &&
          t('updates.notice.waiting', { count: updates.pendingSends })}
        {phase === 'installing' && t('updates.notice.installing')}
      </p>
      {phase === 'ready' && (
        <span className="update-notice__actions">
          <button
            type="button"
            className="button button--primary button--small"
            onClick={() => void restart(false)}
          >
            {t('updates.notice.restart')}
          </button>
          {notes.trim() !== '' && (
            <button
              type="button"
              className="button button--quiet button--small"
              aria-expanded={showNotes}
              aria-controls={notesId}
              onClick={() => setShowNotes((shown) => !shown)}
            >
              {t('updates.notice.notes')}
            </button>
          )}
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => setDismissed(version)}
          >
            {t('updates.notice.later')}
          </button>
        </span>
      )}
      {phase === 'waiting-for-outbox' && (
        <span className="update-notice__actions">
          <button type="button" className="button button--small" onClick={() => void restart(true)}>
            {t('updates.notice.restartNow')}
          </button>
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => void cancelRestart()}
          >
            {t('updates.notice.cancel')}
          </button>
          <span className="banner__hint">{t('updates.notice.restartNowHint')}</span>
        </span>
      )}
      {phase === 'ready' && updates.problem === 'install-failed' && (
        <p className="banner__hint update-notice__line">
          {t('updates.problems.install-failed', { version: updates.currentVersion })}
        </p>
      )}
      {showNotes && phase === 'ready' && (
        // Release notes are shown as plain text: never markup from the feed.
        <div id={notesId} className="update-notice__notes" data-testid="update-notes">
          {notes}
        </div>
      )}
      {error !== null && (
        <div className="update-notice__line">
          <ErrorMessage title={t('updates.notice.failed')} error={error} />
        </div>
      )}
    </aside>
  );
}
