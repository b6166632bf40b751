import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../../../shared/domain/schemas';
import { CopyButton } from '../../components/CopyButton';
import { FailureReasonText } from '../../components/FailureReasonText';
import { RelativeTime } from '../../components/RelativeTime';
import { useNow } from '../../lib/use-now';
import { useApp } from '../../store/use-app';

/**
 * Settings → Connection: how Instagram reaches this computer — the webhook address, the tunnel
 * and the last event. Technical detail for whoever sets up Meta's side (the verify token to paste
 * beside the address is under "For Meta's dashboard"); the inbox itself shows only the health
 * light.
 */
export function ConnectionSection() {
  const { t } = useTranslation();
  const status = useApp((state) => state.status);
  if (status === null) return null;

  // The public URL is what goes into Meta's dashboard; without a tunnel only the local one exists.
  const webhookUrl = status.publicWebhookUrl ?? status.webhookUrl;
  return (
    <section
      className="settings__section"
      aria-labelledby="settings-connection"
      data-testid="connection-details"
    >
      <h3 id="settings-connection">{t('settings.connection.title')}</h3>
      <dl className="settings__facts">
        <dt>{t('status.webhook')}</dt>
        <dd>
          {webhookUrl === null ? (
            t('status.webhookNone')
          ) : (
            <>
              <code className="connection-url" title={webhookUrl}>
                {webhookUrl}
              </code>
              <CopyButton text={webhookUrl} label={t('status.copyWebhook')} />
            </>
          )}
        </dd>
        <dt>{t('status.tunnel')}</dt>
        <dd>
          <TunnelState tunnel={status.tunnel} />
        </dd>
        <dt>{t('status.lastEvent')}</dt>
        <dd>
          {status.lastEventAt === null ? (
            t('status.noEvent')
          ) : (
            <RelativeTime at={status.lastEventAt} />
          )}
        </dd>
      </dl>
    </section>
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
