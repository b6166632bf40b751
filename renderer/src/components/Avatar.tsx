import { archivedSource } from '../lib/safe-url';
import { brokenImageHandlers, useBrokenSource } from '../lib/use-broken-source';

/**
 * The customer's profile picture (Inlet's archived copy: Instagram's links expire), else initials
 * on a colour picked from the customer id, so a face is recognisable at a glance. Decorative: the
 * name beside it is what assistive technology reads.
 */
export function Avatar({
  name,
  seed,
  src = null,
}: {
  name: string;
  seed: string;
  src?: string | null;
}) {
  const picture = archivedSource(src);
  const [isBroken, markBroken] = useBrokenSource(picture);
  if (picture !== null && !isBroken) {
    return (
      <img
        className="avatar avatar--picture"
        src={picture}
        alt=""
        {...brokenImageHandlers(markBroken)}
      />
    );
  }
  return (
    <span className={`avatar avatar--hue-${hueIndex(seed)}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

const HUES = 8;

function hueIndex(seed: string): number {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % HUES;
}

export function initials(name: string): string {
  const words = name
    .replace(/^@/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const first = Array.from(words[0] ?? '');
  const letters = words.length > 1 ? [first[0], Array.from(words[1] ?? '')[0]] : first.slice(0, 2);
  return letters.join('').toLocaleUpperCase();
}
