import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../../../shared/domain/schemas';
import { CopyButton } from '../../components/CopyButton';
import { FailureReasonText } from '../../components/FailureReasonText';
import { RelativeTime } from '../../components/RelativeTime';
import { useNow } from '../../lib/use-now';
import { useApp } from '../../store/use-app';
import { HealthLight } from '../health/HealthLight';
import { SettingsButton } from '../settings/SettingsButton';

/**
 * Always-visible facts the owner needs to trust the inbox: mode, account, webhook, tunnel, last
 * event.
 */
export function StatusStrip() {
  const { t } = useTranslation();
  const status = useApp((state) => state.status);
  if (status === null) return null;

  // The public URL is what goes into Meta's dashboard; without a tunnel only the local one exists.
  const webhookUrl = status.publicWebhookUrl ?? status.webhookUrl;
  return (
    <header className="status-strip" data-testid="status-strip" aria-label={t('status.label')}>
      <h1 className="status-strip__brand">{t('app.name')}</h1>
      <dl className="status-strip__items">
        <div className="status-item">
          <dt>{t('status.mode')}</dt>
          <dd>
            <span className={`pill pill--${status.mode}`}>{t(`status.modes.${status.mode}`)}</span>
          </dd>
        </div>
        <div className="status-item">
          <dt>{t('status.account')}</dt>
          <dd>
            {status.accounts.length === 0
              ? t('status.noAccount')
              : status.accounts.map((account) => `@${account.username}`).join(', ')}
          </dd>
        </div>
        <div className="status-item status-item--wide">
          <dt>{t('status.webhook')}</dt>
          <dd>
            {webhookUrl === null ? (
              t('status.webhookNone')
            ) : (
              <>
                <code className="status-strip__url" title={webhookUrl}>
                  {webhookUrl}
                </code>
                <CopyButton text={webhookUrl} label={t('status.copyWebhook')} />
              </>
            )}
          </dd>
        </div>
        {status.mode === 'live' && status.verifyToken !== null && (
          // Pasted into Meta's dashboard beside the callback URL (docs/platform.md#verification).
          <div className="status-item">
            <dt>{t('status.verifyToken')}</dt>
            <dd>
              <code className="status-strip__url">{status.verifyToken}</code>
              <CopyButton text={status.verifyToken} label={t('status.copyVerifyToken')} />
            </dd>
          </div>
        )}
        <div className="status-item">
          <dt>{t('status.tunnel')}</dt>
          <dd>
            <TunnelState tunnel={status.tunnel} />
          </dd>
        </div>
        <div className="status-item">
          <dt>{t('status.lastEvent')}</dt>
          <dd>
            {status.lastEventAt === null ? (
              t('status.noEvent')
            ) : (
              <RelativeTime at={status.lastEventAt} />
            )}
          </dd>
        </div>
      </dl>
      <HealthLight />
      <SettingsButton />
    </header>
  );
}

function TunnelState({ tunnel }: { tunnel: AppStatus['tunnel'] }) {
  const { t } = useTranslation();
  return (
    <span className={`tunnel tunnel--${tunnel.state}`}>
      <span className="tunnel__dot" aria-hidden="true" />
      {t(`status.tunnelStates.${tunnel.state}`)}
      {tunnel.error !== null && (
        <span className="tunnel__error">
          : <FailureReasonText reason={tunnel.error} />
        </span>
      )}
      {tunnel.retryAt !== null && <TunnelRetry retryAt={tunnel.retryAt} />}
    </span>
  );
}

/** When the keeper tries again after a failure, counted down in the owner's language. */
function TunnelRetry({ retryAt }: { retryAt: number }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const seconds = Math.ceil((retryAt - now) / 1000);
  return (
    <span className="tunnel__retry">
      {seconds > 0 ? t('status.tunnelRetryIn', { seconds }) : t('status.tunnelRetrying')}
    </span>
  );
}
