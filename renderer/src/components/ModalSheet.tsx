import { useEffect, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';

/**
 * A modal sheet over the inbox: backdrop click and Escape close it, focus moves to `initialFocus`
 * on open and back to whatever had it on close. `onKeyDown` sees keys first (return true when it
 * handled one), for sheets with keys of their own.
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
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    initialFocus.current?.focus();
    return () => opener?.focus();
  }, [initialFocus]);

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (onKeyDown?.(event) === true) return;
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  };

  return createPortal(
    <div className="search-backdrop" onClick={onClose}>
      <div
        className={className === undefined ? 'shortcut-sheet' : `shortcut-sheet ${className}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={handleKeyDown}
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id={titleId} className="shortcut-sheet__title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
