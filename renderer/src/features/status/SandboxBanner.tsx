import { useTranslation } from 'react-i18next';
import { FailureReasonText } from '../../components/FailureReasonText';
import { useApp } from '../../store/use-app';

/** Says plainly that nothing here is real, and how to make it real. */
export function SandboxBanner() {
  const { t } = useTranslation();
  const isSandbox = useApp((state) => state.status?.mode === 'sandbox');
  // The owner's real inbox fell back to the sandbox: that is the news, said first.
  const reason = useApp((state) => state.status?.sandboxReason ?? null);
  if (!isSandbox) return null;
  return (
    <aside
      className="banner banner--sandbox"
      data-testid="sandbox-banner"
      aria-labelledby="sandbox-title"
    >
      <p>
        <strong id="sandbox-title">{t('sandbox.title')}</strong>
        {': '}
        {t('sandbox.body')}
      </p>
      {reason !== null && (
        <p role="alert" data-testid="sandbox-reason">
          <FailureReasonText reason={reason} />
        </p>
      )}
      <p className="banner__hint">{t('sandbox.connect')}</p>
    </aside>
  );
}
