import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ModalSheet } from '../../components/ModalSheet';
import { useApp } from '../../store/use-app';

const NO_ACCOUNTS: never[] = [];

/** Desktop notifications on or off per connected account. */
export function NotificationSettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const accounts = useApp((state) => state.status?.accounts ?? NO_ACCOUNTS);
  const muted = useApp((state) => state.mutedAccountIds);
  const error = useApp((state) => state.notificationsError);
  const setMuted = useApp((state) => state.setAccountMuted);
  const closeRef = useRef<HTMLButtonElement>(null);

  return (
    <ModalSheet
      titleId="notifications-title"
      title={t('notifications.title')}
      initialFocus={closeRef}
      onClose={onClose}
    >
      <p className="customer-panel__hint">{t('notifications.hint')}</p>
      {accounts.length === 0 ? (
        <p>{t('notifications.noAccounts')}</p>
      ) : (
        <ul className="notification-settings__list">
          {accounts.map((account) => (
            <li key={account.igUserId}>
              <label className="notification-settings__account">
                <input
                  type="checkbox"
                  checked={!muted.includes(account.igUserId)}
                  onChange={(event) => void setMuted(account.igUserId, !event.target.checked)}
                />
                {t('notifications.account', { username: account.username })}
              </label>
            </li>
          ))}
        </ul>
      )}
      {error !== null && <ErrorMessage title={t('notifications.failed')} error={error} />}
      <button ref={closeRef} type="button" className="button" onClick={onClose}>
        {t('shortcuts.close')}
      </button>
    </ModalSheet>
  );
}
