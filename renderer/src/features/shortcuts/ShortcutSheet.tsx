import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalSheet } from '../../components/ModalSheet';

/** What the sheet lists; the keys themselves are handled in use-shortcuts.ts and MessageLog. */
const SHORTCUTS = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'previous' },
  { keys: ['↑', '↓'], action: 'messages' },
  { keys: ['Home', 'End'], action: 'ends' },
  { keys: ['r'], action: 'reply' },
  { keys: ['.'], action: 'messageMenu' },
  { keys: ['e'], action: 'done' },
  { keys: ['u'], action: 'unread' },
  { keys: ['Ctrl/⌘', 'K'], action: 'search' },
  { keys: ['?'], action: 'help' },
] as const;

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);

  // '?' closes the sheet it opened; Tab stays on the one button.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === '?' || event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return true;
    }
    if (event.key === 'Tab') {
      event.preventDefault();
      return true;
    }
    return false;
  };

  return (
    <ModalSheet
      titleId="shortcut-sheet-title"
      title={t('shortcuts.title')}
      initialFocus={closeRef}
      onClose={onClose}
      onKeyDown={onKeyDown}
    >
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
    </ModalSheet>
  );
}
