import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useDeveloper } from './developer-client';
import { WorkbenchSettings } from './WorkbenchSettings';

/**
 * Settings → Developer: the switch that shows the Deliveries view and "View webhook", and while it
 * is on, forwarding and the journal's retention.
 */
export function DeveloperSection() {
  const { t } = useTranslation();
  const { isEnabled, isLoaded, setEnabled } = useDeveloper();
  const [error, setError] = useState<UiError | null>(null);
  async function change(enabled: boolean) {
    setError(null);
    await setEnabled(enabled).catch((caught: unknown) => setError(toUiError(caught)));
  }
  return (
    <section className="settings__section" aria-labelledby="settings-developer">
      <h3 id="settings-developer">{t('developer.title')}</h3>
      <label className="settings__accept">
        <input
          type="checkbox"
          checked={isEnabled}
          disabled={!isLoaded}
          onChange={(event) => void change(event.target.checked)}
        />
        {t('developer.enable')}
      </label>
      <p className="settings__hint">{t('developer.enableHint')}</p>
      {error !== null && <ErrorMessage title={t('developer.saveFailed')} error={error} />}
      {isEnabled && <WorkbenchSettings />}
    </section>
  );
}
