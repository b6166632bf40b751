import { useState, type SyntheticEvent } from 'react';

/**
 * Whether `src` failed to load, and how to say it did. Tied to the source, not the component: a
 * message first shows Instagram's original (which may fail: the page's policy, an expired link)
 * and then the archived copy once Inlet has downloaded it, which must get its own chance.
 */
export function useBrokenSource(src: string | null): [isBroken: boolean, markBroken: () => void] {
  const [brokenSrc, setBrokenSrc] = useState<string | null>(null);
  return [src !== null && brokenSrc === src, () => setBrokenSrc(src)];
}

/**
 * An `<img>`'s handlers that call `markBroken` when it fails to load, or decodes to nothing
 * (0×0): such a file is as useless as one that fails.
 */
export function brokenImageHandlers(markBroken: () => void) {
  return {
    onError: () => markBroken(),
    onLoad: (event: SyntheticEvent<HTMLImageElement>) => {
      if (event.currentTarget.naturalWidth === 0) markBroken();
    },
  };
}
