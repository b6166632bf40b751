import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/domain/schemas';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FailureReasonText } from '../../components/FailureReasonText';
import { AboutSection } from '../about/AboutSection';
import { DeveloperSection } from '../developer/DeveloperSection';
import { UpdatesSection } from '../updates/UpdatesSection';
import { ConnectionSection } from './ConnectionSection';
import { StartAtLoginSection } from './StartAtLoginSection';
import { useApp } from '../../store/use-app';
import { toUiError, type UiError } from '../../store/ui-error';
import { useSetupAssistant } from '../setup/setup-assistant';
import { settingsChanges, type SettingsDraft } from './settings-changes';
import { useSettingsClient } from './settings-client';
import { LoginProgress, useAccountLogin } from './use-account-login';

/** Settings of the user's own Meta app and the Instagram accounts connected through it. */
export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const titleId = useId();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<UiError | null>(null);
  // The redirect URI follows the tunnel: read the settings again when the status moves.
  const tunnelState = useApp((state) => state.status?.tunnel.state);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let isCurrent = true;
    client.settings.get().then(
      (loaded) => isCurrent && setSettings(loaded),
      (error: unknown) => isCurrent && setLoadError(toUiError(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, tunnelState]);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="settings-overlay">
      <section
        className="settings"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="settings"
      >
        <div className="settings__header">
          <h2 id={titleId}>{t('settings.title')}</h2>
          <button ref={closeRef} type="button" className="button button--quiet" onClick={onClose}>
            {t('settings.close')}
          </button>
        </div>
        {settings !== null && <VaultNotice settings={settings} onSaved={setSettings} />}
        <AccountsSection />
        <ConnectionSection />
        {loadError !== null && <ErrorMessage title={t('settings.loadFailed')} error={loadError} />}
        {settings === null && loadError === null && <p>{t('settings.loading')}</p>}
        {settings !== null && (
          <>
            <MetaSetup settings={settings} onSaved={setSettings} onGuide={onClose} />
            <AppForm settings={settings} onSaved={setSettings} />
          </>
        )}
        <StartAtLoginSection />
        <AboutSection />
        <UpdatesSection />
        <DeveloperSection />
      </section>
    </div>
  );
}

/**
 * Honest about where secrets live. Where the OS has only a plaintext-equivalent store (Linux
 * `basic_text`), the user may opt into it, knowing what it means; the default is memory only.
 */
function VaultNotice({
  settings,
  onSaved,
}: {
  settings: Settings;
  onSaved: (s: Settings) => void;
}) {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const [error, setError] = useState<UiError | null>(null);
  const { vault } = settings;
  if (vault.persistent && !vault.unprotectedAccepted) return null;

  async function choose(accept: boolean) {
    setError(null);
    try {
      onSaved(await client.settings.update({ acceptUnprotectedStorage: accept }));
    } catch (caught) {
      setError(toUiError(caught));
    }
  }

  return (
    <div className="banner banner--warning settings__vault" role="note">
      <p>
        {vault.unprotectedAccepted ? t('settings.vaultUnprotected') : t('settings.vaultWarning')}
      </p>
      {(vault.canAcceptUnprotected || vault.unprotectedAccepted) && (
        <label className="settings__accept">
          <input
            type="checkbox"
            checked={vault.unprotectedAccepted}
            onChange={(event) => void choose(event.target.checked)}
          />
          {t('settings.vaultAccept')}
        </label>
      )}
      {error !== null && <ErrorMessage title={t('settings.app.saveFailed')} error={error} />}
    </div>
  );
}

function AccountsSection() {
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

/** What goes into Meta's dashboard: the verify token and the redirect URI, both copyable. */
function MetaSetup({
  settings,
  onSaved,
  onGuide,
}: {
  settings: Settings;
  onSaved: (s: Settings) => void;
  /** Settings makes way for the guided setup, which walks through the same values. */
  onGuide: () => void;
}) {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const setup = useSetupAssistant();
  const [error, setError] = useState<UiError | null>(null);
  const isVerifyTokenFromEnv = settings.fromEnvironment.includes('verifyToken');

  async function regenerate() {
    setError(null);
    try {
      onSaved(await client.settings.update({ regenerateVerifyToken: true }));
    } catch (caught) {
      setError(toUiError(caught));
    }
  }

  return (
    <section className="settings__section" aria-labelledby="settings-dashboard">
      <h3 id="settings-dashboard">{t('settings.dashboard.title')}</h3>
      {setup !== null && (
        <p>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              onGuide();
              setup.open();
            }}
          >
            {t('setup.open')}
          </button>
        </p>
      )}
      <dl className="settings__facts">
        <dt>{t('settings.dashboard.redirectUri')}</dt>
        <dd>
          {settings.redirectUri !== null ? (
            <>
              <code data-testid="redirect-uri">{settings.redirectUri}</code>
              <CopyButton
                text={settings.redirectUri}
                label={t('settings.dashboard.copyRedirectUri')}
              />
              <p className="settings__hint">{t('settings.dashboard.redirectHint')}</p>
            </>
          ) : (
            <p className="settings__hint">
              {t('settings.dashboard.noRedirect')}{' '}
              {settings.redirectUriProblem !== null && (
                <FailureReasonText reason={settings.redirectUriProblem} />
              )}
            </p>
          )}
        </dd>
        <dt>{t('settings.dashboard.verifyToken')}</dt>
        <dd>
          <code>{settings.verifyToken}</code>
          <CopyButton text={settings.verifyToken} label={t('settings.dashboard.copyVerifyToken')} />
          {isVerifyTokenFromEnv ? (
            <p className="settings__hint">{t('settings.app.fromEnvironment')}</p>
          ) : (
            <button
              type="button"
              className="button button--small"
              onClick={() => void regenerate()}
            >
              {t('settings.dashboard.regenerate')}
            </button>
          )}
        </dd>
      </dl>
      {error !== null && <ErrorMessage title={t('settings.app.saveFailed')} error={error} />}
    </section>
  );
}

/** The user's Meta app. Secrets are write-only: the form shows only whether one is saved. */
function AppForm({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const { t } = useTranslation();
  const client = useSettingsClient();
  const initial: SettingsDraft = {
    appId: settings.appId ?? '',
    appSecret: '',
    metaAppSecret: '',
    graphVersion: settings.graphVersion,
    ngrokAuthtoken: '',
    ngrokDomain: settings.ngrokDomain ?? '',
    loginRedirectUri: settings.loginRedirectUri ?? '',
  };
  const [draft, setDraft] = useState<SettingsDraft>(initial);
  const [phase, setPhase] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<UiError | null>(null);
  const fromEnv = new Set(settings.fromEnvironment);

  async function save(event: FormEvent) {
    event.preventDefault();
    await apply(settingsChanges(settings, draft));
  }

  async function apply(input: InvokeInput<'settings:update'>) {
    if (Object.keys(input).length === 0) return;
    setPhase('saving');
    setError(null);
    try {
      const saved = await client.settings.update(input);
      // Secrets leave the form as soon as main has them.
      setDraft((current) => ({
        ...current,
        appSecret: '',
        metaAppSecret: '',
        ngrokAuthtoken: '',
      }));
      onSaved(saved);
      setPhase('saved');
    } catch (caught) {
      setError(toUiError(caught));
      setPhase('idle');
    }
  }

  const field = (
    name: keyof SettingsDraft,
    label: string,
    options: { secret?: boolean; isSet?: boolean; env: boolean; placeholder?: string },
  ) => (
    <label className="settings__field">
      <span>{label}</span>
      <input
        name={name}
        type={options.secret ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        value={draft[name]}
        disabled={options.env}
        placeholder={
          options.secret
            ? options.isSet
              ? t('settings.app.secretSaved')
              : t('settings.app.secretMissing')
            : options.placeholder
        }
        onChange={(event) => {
          const value = event.target.value;
          setPhase('idle');
          setDraft((current) => ({ ...current, [name]: value }));
        }}
      />
      {options.env && <span className="settings__hint">{t('settings.app.fromEnvironment')}</span>}
    </label>
  );

  return (
    <form
      className="settings__section"
      aria-labelledby="settings-app"
      onSubmit={(e) => void save(e)}
    >
      <h3 id="settings-app">{t('settings.app.title')}</h3>
      <p className="settings__hint">{t('settings.app.hint')}</p>
      {field('appId', t('settings.app.appId'), { env: fromEnv.has('appId') })}
      {field('appSecret', t('settings.app.appSecret'), {
        secret: true,
        isSet: settings.hasAppSecret,
        env: fromEnv.has('appSecret'),
      })}
      {field('metaAppSecret', t('settings.app.metaAppSecret'), {
        secret: true,
        isSet: settings.hasMetaAppSecret,
        env: fromEnv.has('metaAppSecret'),
      })}
      <p className="settings__hint">{t('settings.app.metaAppSecretHint')}</p>
      {settings.hasMetaAppSecret && !fromEnv.has('metaAppSecret') && (
        <button
          type="button"
          className="button button--small"
          disabled={phase === 'saving'}
          onClick={() => void apply({ clearMetaAppSecret: true })}
        >
          {t('settings.app.removeMetaAppSecret')}
        </button>
      )}
      {field('graphVersion', t('settings.app.graphVersion'), {
        env: fromEnv.has('graphVersion'),
        placeholder: 'v24.0',
      })}
      {field('ngrokAuthtoken', t('settings.app.ngrokAuthtoken'), {
        secret: true,
        isSet: settings.hasNgrokAuthtoken,
        env: fromEnv.has('ngrok'),
      })}
      {field('ngrokDomain', t('settings.app.ngrokDomain'), {
        env: fromEnv.has('ngrok'),
        placeholder: 'calm-otter.ngrok.app',
      })}
      {settings.hasLoginWindow && (
        <>
          {field('loginRedirectUri', t('settings.app.loginRedirectUri'), {
            env: false,
            placeholder: 'https://example.com/oauth/callback',
          })}
          <p className="settings__hint">{t('settings.app.loginRedirectHint')}</p>
        </>
      )}
      <p className="settings__hint">{t('settings.app.writeOnly')}</p>
      {error !== null && <ErrorMessage title={t('settings.app.saveFailed')} error={error} />}
      <button type="submit" className="button button--primary" disabled={phase === 'saving'}>
        {phase === 'saving' ? t('settings.app.saving') : t('settings.app.save')}
      </button>
      {phase === 'saved' && (
        <p className="settings__saved" role="status">
          {t('settings.app.saved')}
        </p>
      )}
    </form>
  );
}
