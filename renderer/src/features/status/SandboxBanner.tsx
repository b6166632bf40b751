import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';

/** Says plainly that nothing here is real, and how to make it real. */
export function SandboxBanner() {
  const { t } = useTranslation();
  const isSandbox = useApp((state) => state.status?.mode === 'sandbox');
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
      <p className="banner__hint">{t('sandbox.connect')}</p>
    </aside>
  );
}
