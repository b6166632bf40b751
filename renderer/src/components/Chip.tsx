import type { ReactNode } from 'react';

/** A small rounded label: a reaction, a label, a filter's count. Never interactive by itself. */
export function Chip({
  tone = 'neutral',
  className,
  children,
}: {
  tone?: 'neutral' | 'accent';
  className?: string;
  children: ReactNode;
}) {
  const classes = `chip chip--${tone}${className === undefined ? '' : ` ${className}`}`;
  return <span className={classes}>{children}</span>;
}
