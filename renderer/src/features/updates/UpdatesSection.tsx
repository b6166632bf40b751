import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RelativeTime } from '../../components/RelativeTime';
import { useApp } from '../../store/use-app';

/**
 * Settings → Updates: automatic checks, test versions, and "Check now". A copy that cannot update
 * itself shows none of these; About says why.
 */
export function UpdatesSection() {
  const { t } = useTranslation();
  const updates = useApp((state) => state.updates);
  const error = useApp((state) => state.updatesError);
  const setSettings = useApp((state) => state.setUpdateSettings);
  const check = useApp((state) => state.checkForUpdates);
  const restart = useApp((state) => state.restartToUpdate);
  if (updates === null || updates.unsupported !== null) return null;
  const { settings, phase } = updates;

  return (
    <section
      className="settings__section"
      aria-labelledby="settings-updates"
      data-testid="updates-settings"
    >
      <h3 id="settings-updates">{t('updates.settings.title')}</h3>
      <label className="settings__accept">
        <input
          type="checkbox"
          checked={settings.autoCheck}
          onChange={(event) => void setSettings({ autoCheck: event.target.checked })}
        />
        {t('updates.settings.autoCheck')}
      </label>
      <p className="settings__hint">{t('updates.settings.autoCheckHint')}</p>
      <label className="settings__accept">
        <input
          type="checkbox"
          checked={settings.prereleases}
          onChange={(event) => void setSettings({ prereleases: event.target.checked })}
        />
        {t('updates.settings.prereleases')}
      </label>
      <p className="settings__hint">{t('updates.settings.prereleasesHint')}</p>
      <p className="updates-settings__check">
        {phase === 'ready' ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => void restart(false)}
          >
            {t('updates.notice.restart')}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={phase !== 'idle'}
            onClick={() => void check()}
          >
            {phase === 'checking' ? t('updates.settings.checking') : t('updates.settings.checkNow')}
          </button>
        )}
        <span className="settings__hint" data-testid="update-last-checked">
          {updates.lastCheckedAt === null ? (
            t('updates.settings.neverChecked')
          ) : (
            <>
              {t('updates.settings.lastChecked')} <RelativeTime at={updates.lastCheckedAt} />
            </>
          )}
        </span>
      </p>
      {error !== null && <ErrorMessage title={t('updates.settings.failed')} error={error} />}
    </section>
  );
}
