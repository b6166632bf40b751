import { useEffect, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../components/ExternalLink';

/**
 * A full-size image over the app: a modal dialog that takes focus, keeps Tab inside, closes on
 * Esc, the Close button or a click outside the image, and hands focus back to what opened it.
 */
export function MediaViewer({
  src,
  original,
  label,
  onClose,
}: {
  src: string;
  /** Instagram's URL, opened in the browser; `src` may be Inlet's archived copy. */
  original: string | null;
  label: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => opener?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Tab') {
      keepFocusInside(event, dialogRef.current);
    }
  }

  return createPortal(
    <div className="viewer" onClick={onClose}>
      <div
        ref={dialogRef}
        className="viewer__dialog"
        role="dialog"
        aria-modal="true"
        aria-label={label}
        // Focusable itself, so Esc still reaches it after a click on the image.
        tabIndex={-1}
        onKeyDown={onKeyDown}
        onClick={(event) => event.stopPropagation()}
      >
        <img className="viewer__image" src={src} alt={label} referrerPolicy="no-referrer" />
        <div className="viewer__actions">
          <ExternalLink className="button" href={original}>
            {t('viewer.openOriginal')}
          </ExternalLink>
          <button ref={closeRef} type="button" className="button" onClick={onClose}>
            {t('viewer.close')}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}

function keepFocusInside(event: KeyboardEvent, container: HTMLElement | null): void {
  if (container === null) return;
  const focusable = Array.from(
    container.querySelectorAll<HTMLElement>('a[href], button:not([disabled])'),
  );
  const first = focusable[0];
  const last = focusable.at(-1);
  if (first === undefined || last === undefined) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
