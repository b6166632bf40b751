import { Settings } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RailButton } from '../../components/RailButton';
import { useApp } from '../../store/use-app';
import { SettingsPanel } from './SettingsPanel';

/** The one way into Settings, at the foot of the rail; it says when an account needs a login. */
export function SettingsButton() {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const needsLogin = useApp(
    (state) =>
      state.status?.accounts.filter((account) => account.state === 'reconnect-needed').length ?? 0,
  );
  const label =
    needsLogin > 0
      ? t('settings.openNeedsLogin', {
          badge: t('settings.accounts.needsLoginBadge', { count: needsLogin }),
        })
      : t('settings.open');
  return (
    <>
      <RailButton
        label={label}
        className={needsLogin > 0 ? 'settings-button--alert' : undefined}
        aria-haspopup="dialog"
        onPress={() => setOpen(true)}
        icon={<Settings size={20} strokeWidth={1.5} aria-hidden="true" />}
        badge={needsLogin > 0 ? <span data-testid="reconnect-badge">!</span> : undefined}
      />
      {isOpen && <SettingsPanel onClose={() => setOpen(false)} />}
    </>
  );
}
