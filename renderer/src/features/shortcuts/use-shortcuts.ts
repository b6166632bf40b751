import { useEffect } from 'react';
import { useAppStore } from '../../store/use-app';

/** Keys typed into these belong to the field, not to the inbox. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Opens the conversation `step` rows away from the open one, in the order the list shows. */
function moveConversation(step: number): void {
  const rows = Array.from(
    document.querySelectorAll<HTMLButtonElement>('[data-testid="conversation"]'),
  );
  if (rows.length === 0) return;
  const current = rows.findIndex((row) => row.getAttribute('aria-current') === 'true');
  const next = current === -1 ? (step > 0 ? 0 : rows.length - 1) : current + step;
  const row = rows[Math.min(Math.max(next, 0), rows.length - 1)];
  if (row === undefined) return;
  row.click();
  row.focus();
  // Opening re-renders the list while the thread loads; a row the list moved or re-created has
  // dropped focus to the page. Put it back on the open row then, unless the owner moved on.
  const id = row.dataset['conversationId'];
  requestAnimationFrame(() => {
    if (document.activeElement !== document.body || id === undefined) return;
    document
      .querySelector<HTMLButtonElement>(`[data-conversation-id="${CSS.escape(id)}"]`)
      ?.focus();
  });
}

/**
 * The inbox's single-key shortcuts (listed on the `?` sheet) and Ctrl/Cmd+K. Single keys only
 * act when no field has focus, so typing a reply never triggers them.
 */
export function useShortcuts(openSheet: () => void): void {
  const store = useAppStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        store.getState().openSearch();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const state = store.getState();
      // An open dialog owns the keyboard.
      if (state.isSearchOpen || document.querySelector('[aria-modal="true"]') !== null) return;
      const selected = state.selectedConversationId;
      const actions: Record<string, () => void> = {
        j: () => moveConversation(1),
        k: () => moveConversation(-1),
        '?': openSheet,
        r: () => document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus(),
        e: () => {
          if (selected !== null) void state.setDone(selected, true);
        },
        u: () => {
          if (selected !== null) void state.markUnread(selected);
        },
      };
      const action = actions[event.key];
      if (action === undefined) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, openSheet]);
}
