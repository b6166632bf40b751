import { useEffect, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Dialog } from './Dialog';

/**
 * A modal sheet over the inbox (a Dialog with the sheet's look): focus moves to `initialFocus` on
 * open. `onKeyDown` sees keys first (return true when it handled one), for sheets with keys of
 * their own.
 */
export function ModalSheet({
  titleId,
  title,
  className,
  initialFocus,
  onClose,
  onKeyDown,
  children,
}: {
  titleId: string;
  title: string;
  className?: string;
  initialFocus: RefObject<HTMLElement | null>;
  onClose: () => void;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => boolean;
  children: ReactNode;
}) {
  useEffect(() => {
    initialFocus.current?.focus();
  }, [initialFocus]);

  return (
    <Dialog
      title={title}
      titleId={titleId}
      className={className === undefined ? 'shortcut-sheet' : `shortcut-sheet ${className}`}
      onClose={onClose}
      {...(onKeyDown === undefined ? {} : { onKeyDown })}
    >
      {children}
    </Dialog>
  );
}
