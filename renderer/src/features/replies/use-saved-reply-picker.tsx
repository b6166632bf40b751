import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import { fillVariables, pickerQuery } from './fill-variables';

/**
 * Typing "/" at the start of an empty reply lists saved replies; ↑/↓ choose, Enter or Tab insert
 * (variables filled for this customer), Esc dismisses. With nothing to list it says why (none
 * saved yet, or none with that shortcut) and where to make one, instead of staying silent. The
 * composer renders `element` and gives its keys to `onKeyDown` first; a true return means the
 * picker used the key. `open` lists them all from the composer's button: then a chosen reply is
 * added after what is already written rather than replacing it, and typing closes the list.
 */
export function useSavedReplyPicker(
  conversationId: string,
  draft: string,
  setDraft: (text: string) => void,
): {
  element: ReactNode;
  onKeyDown: (event: KeyboardEvent) => boolean;
  isOpen: boolean;
  /** The list's id while it shows, for the button's `aria-controls`. */
  listId: string;
  open: () => void;
  /** For the reply box: points assistive technology at the list and the chosen entry. */
  inputProps: Record<string, string>;
} {
  const { t } = useTranslation();
  const replies = useApp((state) => state.savedReplies);
  const conversation = useApp((state) => state.conversationsById[conversationId]);
  const [active, setActive] = useState(0);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  // Opened by the button, for this very draft: any edit to the draft closes it again.
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const listId = `saved-replies-${conversationId}`;

  const typed = pickerQuery(draft);
  const isOpenedByButton = openedFor === draft;
  const query = typed ?? (isOpenedByButton ? '' : null);
  const isOpen = query !== null && (isOpenedByButton || dismissedFor !== draft);
  const matches = !isOpen
    ? []
    : replies.filter((reply) =>
        reply.shortcut.toLocaleLowerCase().startsWith(query.toLocaleLowerCase()),
      );
  const current = Math.min(active, Math.max(matches.length - 1, 0));

  const insert = (index: number) => {
    const reply = matches[index];
    if (reply === undefined) return;
    const filled = fillVariables(reply.body, conversation);
    // A "/word" being typed is replaced; words the owner wrote before opening the list are kept.
    const kept = typed === null ? draft.trimEnd() : '';
    setDraft(kept === '' ? filled : `${kept} ${filled}`);
    setOpenedFor(null);
    setActive(0);
  };

  const open = () => {
    setOpenedFor(draft);
    setDismissedFor(null);
    setActive(0);
  };

  const dismiss = () => {
    setOpenedFor(null);
    setDismissedFor(draft);
  };

  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (matches.length === 0) {
      if (!isOpen || event.key !== 'Escape') return false;
      dismiss();
      event.preventDefault();
      return true;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + matches.length) % matches.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      insert(current);
    } else if (event.key === 'Escape') {
      dismiss();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const element = !isOpen ? null : matches.length === 0 ? (
    <p
      id={listId}
      className="reply-picker reply-picker--empty"
      role="status"
      data-testid="saved-reply-empty"
    >
      {replies.length === 0 ? t('replies.noneYet') : t('replies.noMatch', { shortcut: query })}
    </p>
  ) : (
    <ul id={listId} className="reply-picker" role="listbox" aria-label={t('replies.picker')}>
      {matches.map((reply, index) => (
        <li
          key={reply.id}
          id={`${listId}-${reply.id}`}
          role="option"
          aria-selected={index === current}
          className="reply-picker__option"
          data-testid="saved-reply-option"
          onMouseDown={(event) => {
            event.preventDefault(); // keep focus in the reply box
            insert(index);
          }}
        >
          <span className="reply-picker__shortcut">/{reply.shortcut}</span>
          <span className="reply-picker__body">{reply.body}</span>
        </li>
      ))}
    </ul>
  );
  const chosen = matches[current];
  const inputProps: Record<string, string> =
    chosen === undefined
      ? {}
      : {
          'aria-controls': listId,
          'aria-activedescendant': `${listId}-${chosen.id}`,
          'aria-autocomplete': 'list',
        };
  return { element, onKeyDown, inputProps, isOpen, listId, open };
}
