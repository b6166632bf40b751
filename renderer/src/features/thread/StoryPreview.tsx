import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../components/ExternalLink';
import { attachmentSource, toSafeHttpUrl } from '../../lib/safe-url';
import { useBrokenSource } from '../../lib/use-broken-source';

/**
 * The story a message replied to or mentioned the business in, from Inlet's archived copy when
 * there is one. Stories expire after a day and their CDN links with them, so a preview that
 * fails to load says so, in the same size.
 */
export function StoryPreview({
  kind,
  url,
  archivedUrl,
  direction,
}: {
  kind: 'reply' | 'mention';
  url: string | null;
  archivedUrl?: string | undefined;
  direction: 'in' | 'out';
}) {
  const { t } = useTranslation();
  const href = toSafeHttpUrl(url);
  // The same checks as an attachment's copy: only an archived file name, else the http(s) link.
  const src = attachmentSource({ type: 'story', url, title: null, archivedUrl });
  const [isBroken, markBroken] = useBrokenSource(src);
  const caption =
    kind === 'reply'
      ? t(direction === 'in' ? 'story.reply' : 'story.replyOut')
      : t(direction === 'in' ? 'story.mention' : 'story.mentionOut');

  return (
    <figure className="story">
      <figcaption className="story__caption">{caption}</figcaption>
      {src !== null && !isBroken ? (
        <img
          className="story__image"
          src={src}
          alt={t('story.image')}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => markBroken()}
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
