import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StartAtLogin } from '../../../../shared/ipc/desktop-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useSettingsClient } from './settings-client';

/**
 * Settings → "Start Inlet when I log in" (hidden in the tray). Where the system cannot do it
 * (Linux, a development run, `inlet serve`) the toggle is shown disabled with the reason, so it
 * never looks on while nothing happens.
 */
export function StartAtLoginSection() {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const [state, setState] = useState<StartAtLogin | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  useEffect(() => {
    let isCurrent = true;
    client.desktop.getStartAtLogin().then(
      (loaded) => isCurrent && setState(loaded),
      (caught: unknown) => isCurrent && setError(toUiError(caught)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);

  async function toggle(isEnabled: boolean) {
    setError(null);
    try {
      setState(await client.desktop.setStartAtLogin({ isEnabled }));
    } catch (caught) {
      setError(toUiError(caught));
    }
  }

  return (
    <section
      className="settings__section"
      aria-labelledby="settings-start-at-login"
      data-testid="start-at-login"
    >
      <h3 id="settings-start-at-login">{t('settings.startAtLogin.title')}</h3>
      {state !== null && (
        <>
          <label className="settings__accept">
            <input
              type="checkbox"
              checked={state.isEnabled}
              disabled={state.unavailable !== null}
              onChange={(event) => void toggle(event.target.checked)}
            />
            {t('settings.startAtLogin.toggle')}
          </label>
          <p className="settings__hint">
            {state.unavailable === null
              ? t('settings.startAtLogin.hint')
              : t(`settings.startAtLogin.unavailable.${state.unavailable}`)}
          </p>
          {state.needsApproval && (
            <p className="settings__hint" role="note">
              {t('settings.startAtLogin.needsApproval')}
            </p>
          )}
        </>
      )}
      {error !== null && <ErrorMessage title={t('settings.startAtLogin.failed')} error={error} />}
    </section>
  );
}
