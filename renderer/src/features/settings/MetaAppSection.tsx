import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FailureReasonText } from '../../components/FailureReasonText';
import { toUiError, type UiError } from '../../store/ui-error';
import { useSetupAssistant } from '../setup/setup-assistant';
import { settingsChanges, type SettingsDraft } from './settings-changes';
import { useSettingsClient, useSettingsUpdate } from './settings-client';

/** What goes into Meta's dashboard: the verify token and the redirect URI, both copyable. */
export function MetaSetup({
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
  const setup = useSetupAssistant();
  const { update, error } = useSettingsUpdate(onSaved);
  const isVerifyTokenFromEnv = settings.fromEnvironment.includes('verifyToken');
  const regenerate = () => update({ regenerateVerifyToken: true });

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
export function AppForm({
  settings,
  onSaved,
}: {
  settings: Settings;
  onSaved: (s: Settings) => void;
}) {
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
