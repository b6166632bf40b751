import type { ReactNode } from 'react';
import { Popover as AriaPopover, type PopoverProps } from 'react-aria-components';

/** A floating layer under (or beside) its trigger, drawn with the tokens; menus sit in one too. */
export function Popover({
  className,
  children,
  ...props
}: Omit<PopoverProps, 'className' | 'children'> & { className?: string; children: ReactNode }) {
  return (
    <AriaPopover
      {...props}
      className={className === undefined ? 'popover' : `popover ${className}`}
    >
      {children}
    </AriaPopover>
  );
}
