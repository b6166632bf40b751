import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../../components/ExternalLink';

export function FileAttachment({ href, title }: { href: string; title: string | null }) {
  const { t } = useTranslation();
  return (
    <ExternalLink className="attachment attachment--file" href={href} download={title ?? true}>
      <span aria-hidden="true" className="attachment__icon">
        ⤓
      </span>
      {title === null ? t('attachment.downloadUnnamed') : t('attachment.download', { name: title })}
    </ExternalLink>
  );
}
