import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../components/ExternalLink';
import { toSafeHttpUrl } from '../../lib/safe-url';

/**
 * The story a message replied to or mentioned the business in. Stories expire after a day and
 * their CDN links with them, so a preview that fails to load says so.
 */
export function StoryPreview({
  kind,
  url,
  direction,
}: {
  kind: 'reply' | 'mention';
  url: string | null;
  direction: 'in' | 'out';
}) {
  const { t } = useTranslation();
  const [isBroken, setBroken] = useState(false);
  const href = toSafeHttpUrl(url);
  const caption =
    kind === 'reply'
      ? t(direction === 'in' ? 'story.reply' : 'story.replyOut')
      : t(direction === 'in' ? 'story.mention' : 'story.mentionOut');

  return (
    <figure className="story">
      <figcaption className="story__caption">{caption}</figcaption>
      {href !== null && !isBroken ? (
        <img
          className="story__image"
          src={href}
          alt={t('story.image')}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setBroken(true)}
        />
      ) : (
        <p className="story__expired">
          {t('story.expired')}
          {href !== null && (
            <>
              {' '}
              <ExternalLink href={href}>{t('story.openLink')}</ExternalLink>
            </>
          )}
        </p>
      )}
    </figure>
  );
}
