import type { Message } from '../../../../shared/domain/schemas';

/** Within this distance of the newest message the log counts as "at the bottom" and follows it. */
export const NEAR_BOTTOM_PX = 48;

/** What the log needs of its scroll element (an HTMLElement, or a plain object in tests). */
export type ScrollBox = { scrollTop: number; scrollHeight: number; clientHeight: number };

export function isNearBottom(box: ScrollBox): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= NEAR_BOTTOM_PX;
}

/**
 * Within a screen of the top: older history is fetched from here, so it is usually in place
 * before the reader reaches the start of what is loaded.
 */
export function isNearTop(box: ScrollBox): boolean {
  return box.scrollTop <= box.clientHeight;
}

/** Where the thread ended when the reader left the bottom (messages sort by `at`, then id). */
export type NewestMark = Pick<Message, 'id' | 'at'>;

/** The thread's order (store/transitions compareMessages): by time, ties by id. */
function sortsAfter(message: NewestMark, mark: NewestMark): boolean {
  return message.at > mark.at || (message.at === mark.at && message.id > mark.id);
}

/** The newest message of a thread (ids oldest first); null for an empty one. */
export function newestMark(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
): NewestMark | null {
  for (let index = messageIds.length - 1; index >= 0; index -= 1) {
    const message = messagesById[messageIds[index] ?? ''];
    if (message !== undefined) return { id: message.id, at: message.at };
  }
  return null;
}

/**
 * How many messages sort after `mark`: the ones that arrived below the reader since they
 * scrolled up (`mark` null: the thread was empty then, so all of them). Compared by position rather than looked up by id, so it still counts when the
 * marked message itself was deleted; a late message that sorts above the mark (catch-up filling
 * in history) is not "below" and is not counted.
 */
export function countAfter(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
  mark: NewestMark | null,
): number {
  let count = 0;
  for (let index = messageIds.length - 1; index >= 0; index -= 1) {
    const message = messagesById[messageIds[index] ?? ''];
    if (message === undefined) continue;
    if (mark !== null && !sortsAfter(message, mark)) break;
    count += 1;
  }
  return count;
}
