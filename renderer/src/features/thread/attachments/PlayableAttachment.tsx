import { MediaFallbackLink } from './MediaFallbackLink';
import { useBrokenSource } from '../../../lib/use-broken-source';

/** Video or audio with the browser's own controls; a link when it cannot be played here. */
export function PlayableAttachment({
  kind,
  src,
  href,
  label,
}: {
  kind: 'video' | 'audio';
  /** The archived copy when Inlet has one, else the original. */
  src: string;
  href: string | null;
  label: string;
}) {
  const [isBroken, markBroken] = useBrokenSource(src);
  if (isBroken) return <MediaFallbackLink href={href ?? src} label={label} />;
  const props = {
    className: `attachment attachment--${kind}`,
    src,
    controls: true,
    preload: 'metadata',
    'aria-label': label,
    onError: () => markBroken(),
  } as const;
  return kind === 'video' ? <video {...props} /> : <audio {...props} />;
}
