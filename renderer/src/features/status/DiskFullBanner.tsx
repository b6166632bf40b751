import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';

/**
 * While the disk is full nothing new can be stored; Instagram keeps retrying what it could not
 * deliver, so this is a calm notice, not an alarm. It goes when a delivery is stored again.
 */
export function DiskFullBanner() {
  const { t } = useTranslation();
  const isDiskFull = useApp((state) => state.status?.diskFull === true);
  if (!isDiskFull) return null;
  return (
    <aside className="banner banner--warning" data-testid="disk-full-banner" role="status">
      <p>
        <strong>{t('status.diskFull')}</strong>
      </p>
      <p className="banner__hint">{t('status.diskFullHint')}</p>
    </aside>
  );
}
