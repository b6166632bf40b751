import type { ComponentPropsWithoutRef } from 'react';
import { toSafeHttpUrl } from '../lib/safe-url';

type Props = Omit<ComponentPropsWithoutRef<'a'>, 'href' | 'target' | 'rel'> & {
  href: string | null;
};

/**
 * A link to the outside world. Only http(s) becomes an anchor; anything else renders as plain
 * text. `target=_blank` lets the Electron shell route it to the system browser; the window itself
 * never navigates away.
 */
export function ExternalLink({ href, children, ...rest }: Props) {
  const safe = toSafeHttpUrl(href);
  if (safe === null) return <span className={rest.className}>{children}</span>;
  return (
    <a {...rest} href={safe} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
