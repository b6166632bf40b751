import { Clapperboard, Image as ImageIcon } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Comment } from '../../../../shared/ipc/comments-contract';
import { ExternalLink } from '../../components/ExternalLink';
import { archivedSource } from '../../lib/safe-url';
import { useBrokenSource } from '../../lib/use-broken-source';

const KIND_KEY = {
  REELS: 'comments.onReel',
  STORY: 'comments.onStory',
  AD: 'comments.onAd',
} as const;

/**
 * What a comment is on: the post's picture (a reel's cover), its caption and a link to it on
 * Instagram, as Instagram described it; until it has (or if it never will), the kind of post
 * alone, in the same place. A picture that fails to load leaves an icon of the same size.
 */
export function PostPreview({ comment }: { comment: Comment }) {
  const { t } = useTranslation();
  const { post, mediaProductType } = comment;
  const kind = t(KIND_KEY[(mediaProductType ?? '') as keyof typeof KIND_KEY] ?? 'comments.onPost');
  // Only Inlet's own copy: Instagram's link expires, and would tell Instagram who looks.
  const src = archivedSource(post?.pictureUrl);
  const [isBroken, markBroken] = useBrokenSource(src);
  const isVideo = post?.isVideo ?? mediaProductType === 'REELS';
  return (
    <div className="comment__post">
      {src !== null && !isBroken ? (
        // The caption beside it says what the picture is.
        <img
          className="comment__post-picture"
          src={src}
          alt=""
          loading="lazy"
          onError={() => markBroken()}
        />
      ) : (
        <span className="comment__post-picture comment__post-picture--none" aria-hidden="true">
          {isVideo ? <Clapperboard size={20} /> : <ImageIcon size={20} />}
        </span>
      )}
      <p className="comment__post-text">
        <span className="comment__post-kind">{kind}</span>
        {post?.caption && (
          <span className="comment__post-caption" dir="auto">
            {post.caption}
          </span>
        )}
      </p>
      {post?.permalink && (
        <ExternalLink className="comment__post-link" href={post.permalink}>
          {t('attachment.openOnInstagram')}
        </ExternalLink>
      )}
    </div>
  );
}
