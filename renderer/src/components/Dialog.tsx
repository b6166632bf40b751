import type { KeyboardEvent, ReactNode } from 'react';
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

/**
 * A modal dialog over the inbox, open while mounted: React Aria keeps focus inside, hides the page
 * behind it from screen readers, closes on Escape or a click outside, and gives focus back to
 * whatever had it. `onKeyDown` sees keys first (return true when it handled one), for dialogs with
 * keys of their own.
 */
export function Dialog({
  title,
  titleId,
  className,
  onClose,
  onKeyDown,
  children,
}: {
  title: string;
  titleId?: string;
  className?: string;
  onClose: () => void;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => boolean;
  children: ReactNode;
}) {
  return (
    <ModalOverlay
      className="dialog-backdrop"
      isOpen
      isDismissable
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      <Modal className="dialog-frame">
        <AriaDialog className={className === undefined ? 'dialog' : `dialog ${className}`}>
          <div
            className="dialog__body"
            onKeyDown={(event) => {
              if (onKeyDown?.(event) === true) event.stopPropagation();
            }}
          >
            <Heading slot="title" id={titleId} className="dialog__title">
              {title}
            </Heading>
            {children}
          </div>
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
