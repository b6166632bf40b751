import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExternalLink } from '../../components/ExternalLink';
import { FailureReasonText } from '../../components/FailureReasonText';
import { toUiError, type UiError } from '../../store/ui-error';
import { useSettingsClient } from './settings-client';

type ConnectFinished = EventPayload<'accounts:connectFinished'>;
export type Login =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'waiting'; authorizeUrl: string }
  | { phase: 'finished'; result: ConnectFinished }
  | { phase: 'error'; error: UiError };

/** A login to Instagram (a new account, or `igUserId` again), from start to its outcome event. */
export function useAccountLogin(): {
  login: Login;
  startLogin: (igUserId: string | null) => Promise<void>;
} {
  const client = useSettingsClient();
  const [login, setLogin] = useState<Login>({ phase: 'idle' });

  useEffect(
    () =>
      client.on('accounts:connectFinished', (result) => setLogin({ phase: 'finished', result })),
    [client],
  );

  async function startLogin(igUserId: string | null) {
    setLogin({ phase: 'starting' });
    try {
      const started =
        igUserId === null
          ? await client.accounts.connect()
          : await client.accounts.reconnect({ igUserId });
      // The result event may already have arrived (a very fast login): keep it.
      setLogin((current) =>
        current.phase === 'starting'
          ? { phase: 'waiting', authorizeUrl: started.authorizeUrl }
          : current,
      );
    } catch (error) {
      setLogin({ phase: 'error', error: toUiError(error) });
    }
  }

  return { login, startLogin };
}

/** Where a login stands: the link to the consent page while it waits, then how it ended. */
export function LoginProgress({ login }: { login: Login }) {
  const { t } = useTranslation();
  switch (login.phase) {
    case 'idle':
    case 'starting':
      return null;
    case 'waiting':
      return (
        <p className="settings__login" role="status">
          {t('settings.accounts.waiting')}{' '}
          <ExternalLink href={login.authorizeUrl}>{t('settings.accounts.openLogin')}</ExternalLink>
        </p>
      );
    case 'error':
      return <ErrorMessage title={t('settings.accounts.connectFailed')} error={login.error} />;
    case 'finished':
      return login.result.ok ? (
        <p className="settings__login" role="status">
          {t('settings.accounts.connectedMessage', { username: login.result.username })}
        </p>
      ) : (
        <div className="error-message" role="alert">
          <p className="error-message__title">{t('settings.accounts.failed')}</p>
          <p className="error-message__body">
            {t(`settings.accounts.reasons.${login.result.code}`)}{' '}
            <FailureReasonText reason={login.result.reason} />
          </p>
        </div>
      );
  }
}
