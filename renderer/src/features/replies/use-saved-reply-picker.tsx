import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import { fillVariables, pickerQuery } from './fill-variables';

/**
 * Typing "/" at the start of an empty reply lists saved replies; ↑/↓ choose, Enter or Tab insert
 * (variables filled for this customer), Esc dismisses. With nothing to list it says why (none
 * saved yet, or none with that shortcut) and where to make one, instead of staying silent. The composer renders `element` and gives
 * its keys to `onKeyDown` first; a true return means the picker used the key.
 */
export function useSavedReplyPicker(
  conversationId: string,
  draft: string,
  setDraft: (text: string) => void,
): {
  element: ReactNode;
  onKeyDown: (event: KeyboardEvent) => boolean;
  /** For the reply box: points assistive technology at the list and the chosen entry. */
  inputProps: Record<string, string>;
} {
  const { t } = useTranslation();
  const replies = useApp((state) => state.savedReplies);
  const conversation = useApp((state) => state.conversationsById[conversationId]);
  const [active, setActive] = useState(0);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  const listId = `saved-replies-${conversationId}`;

  const query = pickerQuery(draft);
  const isOpen = query !== null && dismissedFor !== draft;
  const matches = !isOpen
    ? []
    : replies.filter((reply) =>
        reply.shortcut.toLocaleLowerCase().startsWith(query.toLocaleLowerCase()),
      );
  const current = Math.min(active, Math.max(matches.length - 1, 0));

  const insert = (index: number) => {
    const reply = matches[index];
    if (reply === undefined) return;
    setDraft(fillVariables(reply.body, conversation));
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (matches.length === 0) {
      if (!isOpen || event.key !== 'Escape') return false;
      setDismissedFor(draft);
      event.preventDefault();
      return true;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + matches.length) % matches.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      insert(current);
    } else if (event.key === 'Escape') {
      setDismissedFor(draft);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const element = !isOpen ? null : matches.length === 0 ? (
    <p className="reply-picker reply-picker--empty" role="status" data-testid="saved-reply-empty">
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
  return { element, onKeyDown, inputProps };
}
