import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/domain/schemas';
import { Avatar } from '../../components/Avatar';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FailureReasonText } from '../../components/FailureReasonText';
import { useApp } from '../../store/use-app';
import { toUiError, type UiError } from '../../store/ui-error';
import { useSettingsClient } from './settings-client';
import { LoginProgress, useAccountLogin } from './use-account-login';

export function AccountsSection() {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const accounts = useApp((state) => state.status?.accounts ?? []);
  const { login, startLogin } = useAccountLogin();
  const [actionError, setActionError] = useState<UiError | null>(null);

  async function disconnect(igUserId: string) {
    setActionError(null);
    try {
      await client.accounts.disconnect({ igUserId });
    } catch (error) {
      setActionError(toUiError(error));
    }
  }

  return (
    <section className="settings__section" aria-labelledby="settings-accounts">
      <h3 id="settings-accounts">{t('settings.accounts.title')}</h3>
      {accounts.length === 0 ? (
        <p>{t('settings.accounts.empty')}</p>
      ) : (
        <ul className="settings__accounts">
          {accounts.map((account) => (
            <AccountRow
              key={account.igUserId}
              account={account}
              isBusy={login.phase === 'starting'}
              onReconnect={() => void startLogin(account.igUserId)}
              onDisconnect={() => void disconnect(account.igUserId)}
            />
          ))}
        </ul>
      )}
      {actionError !== null && (
        <ErrorMessage title={t('settings.accounts.disconnectFailed')} error={actionError} />
      )}
      <button
        type="button"
        className="button button--primary"
        disabled={login.phase === 'starting'}
        onClick={() => void startLogin(null)}
      >
        {accounts.length === 0
          ? t('settings.accounts.connect')
          : t('settings.accounts.connectAnother')}
      </button>
      <LoginProgress login={login} />
    </section>
  );
}

function AccountRow({
  account,
  isBusy,
  onReconnect,
  onDisconnect,
}: {
  account: Account;
  isBusy: boolean;
  onReconnect: () => void;
  onDisconnect: () => void;
}) {
  const { t } = useTranslation();
  const [isConfirming, setConfirming] = useState(false);
  const needsLogin = account.state === 'reconnect-needed';
  return (
    <li className="settings__account" data-testid="account" data-state={account.state}>
      <Avatar name={account.username} seed={account.igUserId} src={account.pictureUrl} />
      <span className="settings__account-name">@{account.username}</span>
      <span className={`pill ${needsLogin ? 'pill--alert' : 'pill--live'}`}>
        {needsLogin ? t('settings.accounts.reconnectNeeded') : t('settings.accounts.connected')}
      </span>
      {needsLogin && account.reason !== null && (
        <span className="settings__account-reason">
          <FailureReasonText reason={account.reason} />
        </span>
      )}
      {account.source === 'configured' && (
        <span className="settings__hint">{t('settings.accounts.configured')}</span>
      )}
      <span className="settings__account-actions">
        {needsLogin && (
          <button
            type="button"
            className="button button--primary button--small"
            disabled={isBusy}
            onClick={onReconnect}
          >
            {t('settings.accounts.reconnect')}
          </button>
        )}
        {account.source === 'oauth' &&
          (isConfirming ? (
            <>
              <span>
                {t('settings.accounts.confirmDisconnect', { username: account.username })}
              </span>
              <button type="button" className="button button--small" onClick={onDisconnect}>
                {t('settings.accounts.confirm')}
              </button>
              <button
                type="button"
                className="button button--quiet button--small"
                onClick={() => setConfirming(false)}
              >
                {t('settings.accounts.cancel')}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button--small"
              onClick={() => setConfirming(true)}
            >
              {t('settings.accounts.disconnect')}
            </button>
          ))}
      </span>
    </li>
  );
}
