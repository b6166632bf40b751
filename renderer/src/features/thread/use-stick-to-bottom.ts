import { useCallback, useLayoutEffect, useRef, type RefObject } from 'react';

const NEAR_BOTTOM_PX = 48;

/**
 * Keeps a scrolling log pinned to its newest entry while the reader is at the bottom, and leaves
 * it alone while they read older messages. Older pages prepend above without moving the view,
 * thanks to the browser's scroll anchoring, so only a new last entry matters.
 */
export function useStickToBottom(
  ref: RefObject<HTMLElement | null>,
  lastEntryKey: string | undefined,
): () => void {
  const isAtBottom = useRef(true);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element !== null && isAtBottom.current) element.scrollTop = element.scrollHeight;
  }, [ref, lastEntryKey]);

  return useCallback(() => {
    const element = ref.current;
    if (element === null) return;
    isAtBottom.current =
      element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
  }, [ref]);
}
