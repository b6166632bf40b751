import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/use-now';
import { useApp } from '../../store/use-app';

/**
 * A headless server that restarted has a new per-run token, so this page can never get back in;
 * after a few failures, say how to recover instead of retrying silently forever.
 */
const HINT_AFTER_ATTEMPTS = 3;

/** Shown while the headless WebSocket is down; the desktop preload never gets here. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useApp((state) => state.connection);
  const retry = useApp((state) => state.retryConnection);
  const isDown =
    connection.kind === 'lost' || (connection.kind === 'connecting' && connection.attempt > 0);
  if (!isDown) return null;
  return (
    <div className="banner banner--error" data-testid="connection-banner">
      <div className="banner__text">
        <p>
          {/* Only the loss is announced; the ticking countdown beside it would be noise. */}
          <strong role="alert">{t('connection.lost')}</strong>{' '}
          {connection.kind === 'lost' ? (
            <RetryCountdown retryAt={connection.retryAt} />
          ) : (
            t('connection.retrying')
          )}
        </p>
        {connection.attempt >= HINT_AFTER_ATTEMPTS && (
          <p className="banner__hint">{t('connection.restartHint')}</p>
        )}
      </div>
      {connection.kind === 'lost' && (
        <button type="button" className="button button--small" onClick={retry}>
          {t('connection.retryNow')}
        </button>
      )}
    </div>
  );
}

function RetryCountdown({ retryAt }: { retryAt: number }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const seconds = Math.ceil((retryAt - now) / 1000);
  return <>{seconds > 0 ? t('connection.retryIn', { seconds }) : t('connection.retrying')}</>;
}
