import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import { HealthLight } from '../health/HealthLight';
import { SettingsButton } from '../settings/SettingsButton';

/**
 * The top strip says only what the owner needs to trust the inbox: which account, sandbox or
 * live, and one health light with one sentence. The plumbing behind it (webhook address, verify
 * token, tunnel) lives in Settings → Connection.
 */
export function StatusStrip() {
  const { t } = useTranslation();
  const status = useApp((state) => state.status);
  if (status === null) return null;

  return (
    <header className="status-strip" data-testid="status-strip" aria-label={t('status.label')}>
      <h1 className="status-strip__brand">{t('app.name')}</h1>
      <span className={`pill pill--${status.mode}`}>{t(`status.modes.${status.mode}`)}</span>
      <span className="status-strip__account">
        {status.accounts.length === 0
          ? t('status.noAccount')
          : status.accounts.map((account) => `@${account.username}`).join(', ')}
      </span>
      <span className="status-strip__health">
        <HealthLight />
      </span>
      <SettingsButton />
    </header>
  );
}
