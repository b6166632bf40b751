import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../../components/ExternalLink';

/**
 * Shown when media cannot be displayed in the window: CDN links expire, and the page's content
 * security policy keeps non-https sources (such as the sandbox emulator) out. The browser may
 * still open it.
 */
export function MediaFallbackLink({ href, label }: { href: string; label: string }) {
  const { t } = useTranslation();
  return (
    <ExternalLink className="attachment attachment--link" href={href}>
      {t('attachment.openInBrowser', { kind: label })}
    </ExternalLink>
  );
}
