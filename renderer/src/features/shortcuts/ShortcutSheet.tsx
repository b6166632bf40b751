import { useEffect, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

/** What the sheet lists; the keys themselves are handled in use-shortcuts.ts and MessageLog. */
const SHORTCUTS = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'previous' },
  { keys: ['↑', '↓'], action: 'messages' },
  { keys: ['r'], action: 'reply' },
  { keys: ['e'], action: 'done' },
  { keys: ['u'], action: 'unread' },
  { keys: ['Ctrl/⌘', 'K'], action: 'search' },
  { keys: ['?'], action: 'help' },
] as const;

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => opener?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' || event.key === '?') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Tab') {
      event.preventDefault(); // one button: focus stays on it
    }
  };

  return createPortal(
    <div className="search-backdrop" onClick={onClose}>
      <div
        className="shortcut-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-sheet-title"
        onKeyDown={onKeyDown}
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="shortcut-sheet-title" className="shortcut-sheet__title">
          {t('shortcuts.title')}
        </h2>
        <dl className="shortcut-sheet__list">
          {SHORTCUTS.map(({ keys, action }) => (
            <div key={action} className="shortcut-sheet__row">
              <dt>
                {keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </dt>
              <dd>{t(`shortcuts.action.${action}`)}</dd>
            </div>
          ))}
        </dl>
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          {t('shortcuts.close')}
        </button>
      </div>
    </div>,
    document.body,
  );
}
