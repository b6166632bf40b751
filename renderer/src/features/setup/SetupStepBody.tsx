import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { HealthReport } from '../../../../shared/ipc/health-contract';
import { INBOX_WEBHOOK_FIELDS } from '../../../../shared/domain/webhook-fields';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExternalLink } from '../../components/ExternalLink';
import { FailureReasonText } from '../../components/FailureReasonText';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useHealthClient } from '../health/health-client';
import { settingsChanges } from '../settings/settings-changes';
import { useSettingsClient } from '../settings/settings-client';
import { LoginProgress, useAccountLogin } from '../settings/use-account-login';
import type { SetupStepId } from './setup-steps';

const DASHBOARD_URL = 'https://developers.facebook.com/apps/';

/** What one step asks the owner to do, with the values to paste and, where Inlet can, a form. */
export function StepBody({
  step,
  settings,
  onSettings,
  isBusy,
  act,
}: {
  step: SetupStepId;
  settings: Settings | null;
  onSettings: (settings: Settings) => void;
  isBusy: boolean;
  act: (command: () => Promise<HealthReport>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const healthClient = useHealthClient();
  const status = useApp((state) => state.status);
  const isLive = status?.mode === 'live';
  const connected = (status?.accounts ?? []).filter((account) => account.state === 'connected');
  const body = <p>{t(`setup.steps.${step}.body`)}</p>;
  const dashboard = (
    <p>
      <ExternalLink href={DASHBOARD_URL}>{t('setup.openDashboard')}</ExternalLink>
    </p>
  );
  const notLive = <p className="setup__hint">{t('setup.needsCredentials')}</p>;

  switch (step) {
    case 'create-app':
    case 'instagram-login':
    case 'tester-role':
    case 'publish':
      return (
        <>
          {body}
          {dashboard}
        </>
      );
    case 'credentials':
      return (
        <>
          {body}
          {settings !== null && <CredentialsForm settings={settings} onSaved={onSettings} />}
        </>
      );
    case 'redirect-uri':
      return (
        <>
          {body}
          {!isLive || settings === null ? (
            notLive
          ) : settings.redirectUri === null ? (
            <p className="setup__hint">
              {t('setup.noAddress')}{' '}
              {settings.redirectUriProblem !== null && (
                <FailureReasonText reason={settings.redirectUriProblem} />
              )}
            </p>
          ) : (
            <dl className="setup__values">
              <Value
                label={t('setup.steps.redirect-uri.value')}
                value={settings.redirectUri}
                testId="setup-redirect-uri"
              />
            </dl>
          )}
        </>
      );
    case 'webhook': {
      const callbackUrl = status?.publicWebhookUrl ?? status?.webhookUrl ?? null;
      return (
        <>
          {body}
          {!isLive || settings === null ? (
            notLive
          ) : (
            <dl className="setup__values">
              {callbackUrl !== null && (
                <Value
                  label={t('setup.steps.webhook.callbackUrl')}
                  value={callbackUrl}
                  testId="setup-callback-url"
                />
              )}
              <Value
                label={t('setup.steps.webhook.verifyToken')}
                value={settings.verifyToken}
                testId="setup-verify-token"
              />
            </dl>
          )}
          {/* Without the tunnel only the local address exists, which Meta cannot reach. */}
          {isLive && status?.publicWebhookUrl == null && (
            <p className="setup__hint">{t('setup.noAddress')}</p>
          )}
        </>
      );
    }
    case 'fields':
      return (
        <>
          {body}
          <ul className="setup__fields">
            {INBOX_WEBHOOK_FIELDS.map((field) => (
              <li key={field}>
                <code lang="en">{field}</code>
              </li>
            ))}
          </ul>
        </>
      );
    case 'connect':
      return isLive ? <ConnectAccount /> : notLive;
    case 'subscription':
      return (
        <>
          {body}
          {connected.length === 0 && <p className="setup__hint">{t('setup.needsAccount')}</p>}
          {connected.length > 0 && (
            <p className="setup__buttons">
              {connected.map((account) => (
                <button
                  key={account.igUserId}
                  type="button"
                  className="button button--small"
                  disabled={isBusy}
                  onClick={() =>
                    void act(() =>
                      healthClient.health.fix({
                        repair: 'resubscribe',
                        account: account.igUserId,
                      }),
                    )
                  }
                >
                  {t('setup.steps.subscription.button', { username: account.username })}
                </button>
              ))}
            </p>
          )}
        </>
      );
    case 'test-message':
      return (
        <>
          {body}
          {connected.length === 0 ? (
            <p className="setup__hint">{t('setup.needsAccount')}</p>
          ) : (
            <TestMessage isBusy={isBusy} act={act} />
          )}
        </>
      );
    case 'first-delivery':
      return body;
  }
}

function Value({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="setup__value">
      <dt>{label}</dt>
      <dd>
        <code data-testid={testId}>{value}</code>
        <CopyButton text={value} label={t('setup.copy', { what: label })} />
      </dd>
    </div>
  );
}

/** The app id and secret from Meta's dashboard, and an ngrok authtoken for a public address. */
function CredentialsForm({
  settings,
  onSaved,
}: {
  settings: Settings;
  onSaved: (settings: Settings) => void;
}) {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const [appId, setAppId] = useState(settings.appId ?? '');
  const [appSecret, setAppSecret] = useState('');
  const [ngrokAuthtoken, setNgrokAuthtoken] = useState('');
  const [phase, setPhase] = useState<'idle' | 'empty' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<UiError | null>(null);
  const fromEnv = new Set(settings.fromEnvironment);

  async function save(event: FormEvent) {
    event.preventDefault();
    const input = settingsChanges(settings, { appId, appSecret, ngrokAuthtoken });
    if (Object.keys(input).length === 0) {
      setPhase('empty');
      return;
    }
    setPhase('saving');
    setError(null);
    try {
      const saved = await client.settings.update(input);
      // Secrets leave the form as soon as main has them.
      setAppSecret('');
      setNgrokAuthtoken('');
      onSaved(saved);
      setPhase('saved');
    } catch (caught) {
      setError(toUiError(caught));
      setPhase('idle');
    }
  }

  const secretPlaceholder = (isSet: boolean) =>
    isSet ? t('settings.app.secretSaved') : t('settings.app.secretMissing');
  return (
    <form className="setup__form" onSubmit={(event) => void save(event)}>
      <label className="settings__field">
        <span>{t('settings.app.appId')}</span>
        <input
          name="appId"
          autoComplete="off"
          spellCheck={false}
          inputMode="numeric"
          value={appId}
          disabled={fromEnv.has('appId')}
          onChange={(event) => {
            setPhase('idle');
            setAppId(event.target.value);
          }}
        />
      </label>
      <label className="settings__field">
        <span>{t('settings.app.appSecret')}</span>
        <input
          name="appSecret"
          type="password"
          autoComplete="off"
          value={appSecret}
          disabled={fromEnv.has('appSecret')}
          placeholder={secretPlaceholder(settings.hasAppSecret)}
          onChange={(event) => {
            setPhase('idle');
            setAppSecret(event.target.value);
          }}
        />
      </label>
      <label className="settings__field">
        <span>{t('setup.steps.credentials.ngrok')}</span>
        <input
          name="ngrokAuthtoken"
          type="password"
          autoComplete="off"
          value={ngrokAuthtoken}
          disabled={fromEnv.has('ngrok')}
          placeholder={secretPlaceholder(settings.hasNgrokAuthtoken)}
          onChange={(event) => {
            setPhase('idle');
            setNgrokAuthtoken(event.target.value);
          }}
        />
      </label>
      <p className="setup__hint">
        {t('setup.steps.credentials.ngrokHint')}{' '}
        <ExternalLink href="https://dashboard.ngrok.com/get-started/your-authtoken">
          {t('setup.steps.credentials.ngrokLink')}
        </ExternalLink>
      </p>
      {(fromEnv.has('appId') || fromEnv.has('appSecret')) && (
        <p className="setup__hint">{t('settings.app.fromEnvironment')}</p>
      )}
      {error !== null && <ErrorMessage title={t('settings.app.saveFailed')} error={error} />}
      <button type="submit" className="button button--primary" disabled={phase === 'saving'}>
        {phase === 'saving' ? t('settings.app.saving') : t('setup.steps.credentials.save')}
      </button>
      {phase === 'saved' && (
        <p className="settings__saved" role="status">
          {t('setup.steps.credentials.saved')}
        </p>
      )}
      {phase === 'empty' && (
        <p className="setup__hint" role="status">
          {t('setup.steps.credentials.nothingToSave')}
        </p>
      )}
    </form>
  );
}

function ConnectAccount() {
  const { t } = useTranslation();
  const { login, startLogin } = useAccountLogin();
  const accounts = useApp((state) => state.status?.accounts);
  const connected = (accounts ?? []).filter((account) => account.state === 'connected');
  return (
    <>
      <p>{t('setup.steps.connect.body')}</p>
      {connected.length > 0 && (
        <ul className="setup__accounts">
          {connected.map((account) => (
            <li key={account.igUserId}>
              {t('settings.accounts.connectedMessage', { username: account.username })}
            </li>
          ))}
        </ul>
      )}
      <p className="setup__buttons">
        <button
          type="button"
          className="button button--primary"
          disabled={login.phase === 'starting'}
          onClick={() => void startLogin(null)}
        >
          {connected.length === 0
            ? t('settings.accounts.connect')
            : t('settings.accounts.connectAnother')}
        </button>
      </p>
      <LoginProgress login={login} />
    </>
  );
}

function TestMessage({
  isBusy,
  act,
}: {
  isBusy: boolean;
  act: (command: () => Promise<HealthReport>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const healthClient = useHealthClient();
  const accounts = useApp((state) => state.status?.accounts);
  const connected = (accounts ?? []).filter((account) => account.state === 'connected');
  const [testing, setTesting] = useState<string | null>(null);

  async function test(account: string): Promise<void> {
    setTesting(account);
    await act(() => healthClient.health.testLoop({ account }));
    setTesting(null);
  }

  return (
    <p className="setup__buttons">
      {connected.map((account) => (
        <button
          key={account.igUserId}
          type="button"
          className="button button--primary"
          disabled={isBusy}
          aria-busy={testing === account.igUserId}
          onClick={() => void test(account.igUserId)}
        >
          {testing === account.igUserId
            ? t('health.testingLoop')
            : t('setup.steps.test-message.button', { username: account.username })}
        </button>
      ))}
    </p>
  );
}
