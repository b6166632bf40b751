import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { HealthReport } from '../../../../shared/ipc/health-contract';
import { INBOX_WEBHOOK_FIELDS } from '../../../../shared/domain/webhook-fields';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ExternalLink } from '../../components/ExternalLink';
import { FailureReasonText } from '../../components/FailureReasonText';
import { ModalSheet } from '../../components/ModalSheet';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useHealthClient, useHealthReport } from '../health/health-client';
import { settingsChanges } from '../settings/settings-changes';
import { useSettingsClient } from '../settings/settings-client';
import { LoginProgress, useAccountLogin } from '../settings/use-account-login';
import {
  findingsOf,
  isSetupStep,
  resumeStep,
  setupProgress,
  SETUP_STEPS,
  type SetupStepId,
  type StepState,
} from './setup-steps';

const DASHBOARD_URL = 'https://developers.facebook.com/apps/';
/** The step the owner was on: a bookmark, not a record of what is done (that is always derived). */
const BOOKMARK_KEY = 'inlet.setup.step';

const STATE_KEY = {
  checked: 'setup.stateChecked',
  shown: 'setup.stateShown',
  open: 'setup.stateOpen',
} as const satisfies Record<StepState, string>;

function readBookmark(): SetupStepId | null {
  try {
    const saved = window.localStorage.getItem(BOOKMARK_KEY);
    return isSetupStep(saved) ? saved : null;
  } catch {
    return null; // storage refused (a locked-down browser): the assistant starts from the facts
  }
}

function writeBookmark(step: SetupStepId): void {
  try {
    window.localStorage.setItem(BOOKMARK_KEY, step);
  } catch {
    // Without storage the assistant still resumes from what Inlet checks.
  }
}

/**
 * The first connection to Instagram, step by step: what to click in Meta's dashboard, the values
 * to paste (with copy buttons), and a tick wherever Inlet can see the step done. Progress comes
 * from the status, the settings and the health report, so it survives closing and restarting.
 */
export function SetupAssistant({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const settingsClient = useSettingsClient();
  const healthClient = useHealthClient();
  const status = useApp((state) => state.status);
  // Joined to a string so the selector's answer compares equal while nothing changed.
  const inbound = useApp((state) =>
    [
      ...new Set(
        Object.values(state.conversationsById)
          .filter((conversation) => conversation.lastInboundAt !== null)
          .map((conversation) => conversation.accountId),
      ),
    ].join(','),
  );
  const [health, setHealth] = useHealthReport();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<UiError | null>(null);
  const [isHealthRead, setHealthRead] = useState(false);
  const [chosen, setChosen] = useState<SetupStepId | null>(null);
  const [isChecking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<UiError | null>(null);

  // The values to paste follow the mode and the tunnel: read the settings again when they move.
  const mode = status?.mode;
  const tunnelState = status?.tunnel.state;
  useEffect(() => {
    let isCurrent = true;
    settingsClient.settings.get().then(
      (loaded) => isCurrent && setSettings(loaded),
      (error: unknown) => isCurrent && setLoadError(toUiError(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [settingsClient, mode, tunnelState]);

  // The last report first (to open where the owner left off at once), then a fresh run.
  useEffect(() => {
    let isCurrent = true;
    healthClient.health.get().then(
      (report) => {
        if (!isCurrent) return;
        setHealth(report);
        setHealthRead(true);
      },
      () => isCurrent && setHealthRead(true),
    );
    return () => {
      isCurrent = false;
    };
  }, [healthClient, setHealth]);

  async function act(command: () => Promise<HealthReport>): Promise<void> {
    setChecking(true);
    setCheckError(null);
    try {
      setHealth(await command());
    } catch (error) {
      setCheckError(toUiError(error));
    } finally {
      setChecking(false);
    }
  }

  // A newly connected account is checked at once: its ticks should not wait 15 minutes.
  const connectedIds = (status?.accounts ?? [])
    .filter((account) => account.state === 'connected')
    .map((account) => account.igUserId)
    .join(',');
  useEffect(() => {
    if (mode !== 'live') return;
    let isCurrent = true;
    healthClient.health.runNow().then(
      (report) => isCurrent && setHealth(report),
      () => undefined, // the light and the panel say what failed; the ticks simply stay
    );
    return () => {
      isCurrent = false;
    };
  }, [healthClient, setHealth, mode, connectedIds]);

  const progress = setupProgress({
    status,
    settings,
    health,
    accountsWithCustomerMessage: inbound === '' ? [] : inbound.split(','),
  });
  const isReady = settings !== null && isHealthRead;
  const current = chosen ?? (isReady ? resumeStep(progress, readBookmark()) : null);
  const isAllDone = SETUP_STEPS.every((step) => progress[step] !== 'open');

  function go(step: SetupStepId): void {
    setChosen(step);
    writeBookmark(step);
  }

  // Moving to another step reads its heading out and keeps the keyboard in the step.
  useEffect(() => {
    if (chosen !== null) headingRef.current?.focus();
  }, [chosen]);

  const index = current === null ? -1 : SETUP_STEPS.indexOf(current);
  const previous = SETUP_STEPS[index - 1];
  const next = SETUP_STEPS[index + 1];

  return (
    <ModalSheet
      titleId={titleId}
      title={t('setup.title')}
      className="setup"
      initialFocus={closeRef}
      onClose={onClose}
    >
      <p className="setup__actions">
        <button
          type="button"
          className="button button--small"
          disabled={isChecking}
          onClick={() => void act(() => healthClient.health.runNow())}
        >
          {isChecking ? t('setup.checking') : t('setup.checkAgain')}
        </button>
        <button
          ref={closeRef}
          type="button"
          className="button button--quiet button--small"
          onClick={onClose}
        >
          {t('setup.close')}
        </button>
      </p>
      <p className="setup__intro">{isAllDone ? t('setup.allDone') : t('setup.intro')}</p>
      {loadError !== null && <ErrorMessage title={t('setup.loadFailed')} error={loadError} />}
      {checkError !== null && <ErrorMessage title={t('setup.checkFailed')} error={checkError} />}
      <div className="setup__body">
        <nav aria-label={t('setup.stepsLabel')}>
          <ol className="setup__steps">
            {SETUP_STEPS.map((step, i) => (
              <li key={step}>
                <button
                  type="button"
                  className={`setup__step-link setup__step-link--${progress[step]}`}
                  data-testid={`setup-step-${step}`}
                  data-state={progress[step]}
                  aria-current={step === current ? 'step' : undefined}
                  disabled={!isReady}
                  onClick={() => go(step)}
                >
                  <span className="setup__mark" aria-hidden="true">
                    {progress[step] === 'open' ? i + 1 : '✓'}
                  </span>
                  <span>{t(`setup.steps.${step}.title`)}</span>
                  <span className="visually-hidden"> ({t(STATE_KEY[progress[step]])})</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        {current === null ? (
          <p className="setup__step" aria-busy="true">
            {t('setup.loading')}
          </p>
        ) : (
          <section
            className="setup__step"
            aria-labelledby={`${titleId}-step`}
            data-testid="setup-current"
            data-step={current}
            data-state={progress[current]}
          >
            <h3 id={`${titleId}-step`} ref={headingRef} tabIndex={-1}>
              {t('setup.stepOf', { number: index + 1, total: SETUP_STEPS.length })}{' '}
              {t(`setup.steps.${current}.title`)}
            </h3>
            <p className={`setup__state setup__state--${progress[current]}`}>
              {t(STATE_KEY[progress[current]])}
            </p>
            <StepBody
              step={current}
              settings={settings}
              onSettings={setSettings}
              isBusy={isChecking}
              act={act}
            />
            <Findings step={current} health={health} />
            <p className="setup__nav">
              {previous !== undefined && (
                <button type="button" className="button" onClick={() => go(previous)}>
                  {t('setup.back')}
                </button>
              )}
              {next !== undefined && (
                <button type="button" className="button button--primary" onClick={() => go(next)}>
                  {t('setup.next')}
                </button>
              )}
            </p>
          </section>
        )}
      </div>
    </ModalSheet>
  );
}

/** What the step's health check found: the same sentences and owner steps as the Health panel. */
function Findings({ step, health }: { step: SetupStepId; health: HealthReport }) {
  const status = useApp((state) => state.status);
  const findings = findingsOf(step, health, status);
  if (findings.length === 0) return null;
  return (
    <ul className="setup__findings" data-testid="setup-findings">
      {findings.map((check) => {
        const username = status?.accounts.find((a) => a.igUserId === check.account)?.username;
        return (
          <li
            key={`${check.id}:${check.account ?? ''}`}
            className={`setup__finding--${check.state}`}
          >
            {username !== undefined && <strong>@{username}: </strong>}
            <FailureReasonText reason={check.reason} />
            {check.state !== 'ok' && check.fix?.kind === 'owner' && (
              <>
                {' '}
                <FailureReasonText reason={check.fix.steps} />
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function StepBody({
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
