import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MediaViewer } from '../MediaViewer';
import { MediaFallbackLink } from './MediaFallbackLink';

/** A thumbnail that opens the viewer; a link when the image cannot be loaded. */
export function ImageAttachment({ href, label }: { href: string; label: string }) {
  const { t } = useTranslation();
  const [isBroken, setBroken] = useState(false);
  const [isViewerOpen, setViewerOpen] = useState(false);

  if (isBroken) return <MediaFallbackLink href={href} label={label} />;
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
          src={href}
          alt={label}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setBroken(true)}
        />
      </button>
      {isViewerOpen && (
        <MediaViewer src={href} label={label} onClose={() => setViewerOpen(false)} />
      )}
    </>
  );
}
