import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { HealthReport } from '../../../../shared/ipc/health-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FailureReasonText } from '../../components/FailureReasonText';
import { ModalSheet } from '../../components/ModalSheet';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useHealthClient, useHealthReport } from '../health/health-client';
import { useSettingsClient } from '../settings/settings-client';
import {
  findingsOf,
  isSetupStep,
  resumeStep,
  setupProgress,
  SETUP_STEPS,
  type SetupStepId,
  type StepState,
} from './setup-steps';
import { StepBody } from './SetupStepBody';

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
