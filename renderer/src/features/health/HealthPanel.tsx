import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  HealthCheck,
  HealthReport,
  HealthRepair,
  HealthState,
} from '../../../../shared/ipc/health-contract';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FailureReasonText } from '../../components/FailureReasonText';
import { ModalSheet } from '../../components/ModalSheet';
import { RelativeTime } from '../../components/RelativeTime';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useSetupAssistant } from '../setup/setup-assistant';
import { useHealthClient } from './health-client';

const STATE_KEY = {
  ok: 'health.stateOk',
  warning: 'health.stateWarning',
  failing: 'health.stateFailing',
  unknown: 'health.stateUnknown',
} as const satisfies Record<HealthState, string>;

const REPAIR_KEY = {
  resubscribe: 'health.fixResubscribe',
  'restart-tunnel': 'health.fixRestartTunnel',
  'reconnect-account': 'health.fixReconnectAccount',
} as const satisfies Record<HealthRepair, string>;

/** Every check, what it found, and its fix: a button where Inlet can act, steps where it cannot. */
export function HealthPanel({
  report,
  onReport,
  onClose,
}: {
  report: HealthReport;
  onReport: (report: HealthReport) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useHealthClient();
  const titleId = useId();
  const runRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  // The accounts a test message can be sent from, and the one waiting for its echo (up to a minute).
  const accounts = useApp((state) => state.status?.accounts);
  const [testing, setTesting] = useState<string | null>(null);
  const setup = useSetupAssistant();

  async function act(command: () => Promise<HealthReport>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      onReport(await command());
    } catch (caught) {
      setError(toUiError(caught));
    } finally {
      setBusy(false);
    }
  }

  async function testLoop(account: string): Promise<void> {
    setTesting(account);
    await act(() => client.health.testLoop({ account }));
    setTesting(null);
  }

  return (
    <ModalSheet
      titleId={titleId}
      title={t('health.panelTitle')}
      className="health-panel"
      initialFocus={runRef}
      onClose={onClose}
    >
      <p className="health-panel__actions">
        <button
          ref={runRef}
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => void act(() => client.health.runNow())}
        >
          {busy ? t('health.running') : t('health.runNow')}
        </button>
        {accounts
          ?.filter((account) => account.state === 'connected')
          .map((account) => (
            <button
              key={account.igUserId}
              type="button"
              className="button button--small"
              disabled={busy}
              aria-busy={testing === account.igUserId}
              onClick={() => void testLoop(account.igUserId)}
            >
              {testing === account.igUserId
                ? t('health.testingLoop')
                : `${t('health.testLoop')} (@${account.username})`}
            </button>
          ))}
        {setup !== null && (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              onClose();
              setup.open();
            }}
          >
            {t('setup.open')}
          </button>
        )}
        <button type="button" className="button button--quiet button--small" onClick={onClose}>
          {t('health.close')}
        </button>
      </p>
      {error !== null && <ErrorMessage title={t('health.fixFailed')} error={error} />}
      {report.checks.length === 0 ? (
        <p>{t('health.noChecks')}</p>
      ) : (
        <ul className="health-panel__checks" data-testid="health-checks">
          {report.checks.map((check) => (
            <CheckRow
              key={`${check.id}:${check.account ?? ''}`}
              check={check}
              busy={busy}
              onRepair={(repair) =>
                void act(() => client.health.fix({ repair, account: check.account }))
              }
            />
          ))}
        </ul>
      )}
    </ModalSheet>
  );
}

function CheckRow({
  check,
  busy,
  onRepair,
}: {
  check: HealthCheck;
  busy: boolean;
  onRepair: (repair: HealthRepair) => void;
}) {
  const { t } = useTranslation();
  const username = useApp(
    (state) => state.status?.accounts.find((a) => a.igUserId === check.account)?.username,
  );
  const technical = [check.id, check.account, check.technical].filter(Boolean).join(' · ');
  return (
    <li
      className={`health-check health-check--${check.state}`}
      data-testid={`health-check-${check.id}`}
      data-state={check.state}
    >
      <p className="health-check__head">
        <strong>{t(`health.check.${check.id}`)}</strong>
        {check.account !== null && <span> @{username ?? check.account}</span>}
        <span className="health-check__state"> — {t(STATE_KEY[check.state])}</span>
        <span className="health-check__time">
          {' '}
          <RelativeTime at={check.ranAt} />
        </span>
      </p>
      <p>
        <FailureReasonText reason={check.reason} />
      </p>
      {check.state !== 'ok' && check.fix?.kind === 'repair' && (
        <button
          type="button"
          className="button button--primary button--small"
          disabled={busy || check.fix.repair === 'reconnect-account'}
          onClick={() => check.fix?.kind === 'repair' && onRepair(check.fix.repair)}
        >
          {t(REPAIR_KEY[check.fix.repair])}
        </button>
      )}
      {check.state !== 'ok' && check.fix?.kind === 'owner' && (
        <p className="health-check__steps">
          <FailureReasonText reason={check.fix.steps} />
        </p>
      )}
      <details className="health-check__technical">
        <summary>{t('health.technical')}</summary>
        <code lang="en">{technical}</code> <CopyButton text={technical} label={t('health.copy')} />
      </details>
    </li>
  );
}
