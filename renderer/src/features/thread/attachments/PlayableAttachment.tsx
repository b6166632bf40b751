import { useState } from 'react';
import { MediaFallbackLink } from './MediaFallbackLink';

/** Video or audio with the browser's own controls; a link when it cannot be played here. */
export function PlayableAttachment({
  kind,
  href,
  label,
}: {
  kind: 'video' | 'audio';
  href: string;
  label: string;
}) {
  const [isBroken, setBroken] = useState(false);
  if (isBroken) return <MediaFallbackLink href={href} label={label} />;
  const props = {
    className: `attachment attachment--${kind}`,
    src: href,
    controls: true,
    preload: 'metadata',
    'aria-label': label,
    onError: () => setBroken(true),
  } as const;
  return kind === 'video' ? <video {...props} /> : <audio {...props} />;
}
