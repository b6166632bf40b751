import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MediaViewer } from '../MediaViewer';
import { MediaFallbackLink } from './MediaFallbackLink';
import { brokenImageHandlers, useBrokenSource } from '../../../lib/use-broken-source';

/**
 * A thumbnail at the picture's aspect ratio that opens the viewer; a link when the image cannot
 * be loaded or has no pixels. `src` is the
 * archived copy when Inlet has one, `href` Instagram's original URL.
 */
export function ImageAttachment({
  src,
  href,
  label,
}: {
  src: string;
  href: string | null;
  label: string;
}) {
  const { t } = useTranslation();
  const [isBroken, markBroken] = useBrokenSource(src);
  const [isViewerOpen, setViewerOpen] = useState(false);

  if (isBroken) return <MediaFallbackLink href={href ?? src} label={label} />;
  return (
    <>
      <button
        type="button"
        className="attachment attachment--image"
        aria-haspopup="dialog"
        title={t('viewer.open')}
        onClick={() => setViewerOpen(true)}
      >
        <img
          src={src}
          alt={label}
          loading="lazy"
          referrerPolicy="no-referrer"
          {...brokenImageHandlers(markBroken)}
        />
      </button>
      {isViewerOpen && (
        <MediaViewer src={src} original={href} label={label} onClose={() => setViewerOpen(false)} />
      )}
    </>
  );
}
