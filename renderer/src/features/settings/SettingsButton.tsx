import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import { SettingsPanel } from './SettingsPanel';

/** The one way into Settings, from the status strip; it says when an account needs a login. */
export function SettingsButton() {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const needsLogin = useApp(
    (state) =>
      state.status?.accounts.filter((account) => account.state === 'reconnect-needed').length ?? 0,
  );
  return (
    <>
      <button
        type="button"
        className={`button button--small settings-button${needsLogin > 0 ? ' settings-button--alert' : ''}`}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {t('settings.open')}
        {needsLogin > 0 && (
          <span className="badge settings-button__badge" data-testid="reconnect-badge">
            {t('settings.accounts.needsLoginBadge', { count: needsLogin })}
          </span>
        )}
      </button>
      {isOpen && <SettingsPanel onClose={() => setOpen(false)} />}
    </>
  );
}
