import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../../components/ExternalLink';

/** A shared post, reel, link or template: what it is, its caption, and where to open it. */
export function ShareCard({
  kindLabel,
  caption,
  href,
  linkLabel,
}: {
  kindLabel: string;
  caption: string | null;
  href: string | null;
  linkLabel: string;
}) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <div className="share-card">
      <p className="share-card__kind">{kindLabel}</p>
      <p id={captionId} className="share-card__caption">
        {caption ?? <span className="share-card__none">{t('attachment.noCaption')}</span>}
      </p>
      {href !== null && (
        <ExternalLink className="share-card__link" href={href} aria-describedby={captionId}>
          {linkLabel}
        </ExternalLink>
      )}
    </div>
  );
}
