import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../../shared/domain/schemas';
import {
  NEAR_BOTTOM_PX,
  countAfter,
  isNearBottom,
  isNearTop,
  newestMark,
} from '../../../../../renderer/src/features/thread/follow';
import { makeMessage } from '../../fixtures';

function thread(...messages: Message[]) {
  return {
    ids: messages.map((message) => message.id),
    byId: Object.fromEntries(messages.map((message) => [message.id, message])),
  };
}
const at = (id: string, time: number) => makeMessage({ id, at: time });

describe('isNearBottom / isNearTop', () => {
  const box = (scrollTop: number) => ({ scrollTop, scrollHeight: 5000, clientHeight: 600 });

  it('counts the last NEAR_BOTTOM_PX as the bottom, and no more', () => {
    expect(isNearBottom(box(4400))).toBe(true);
    expect(isNearBottom(box(4400 - NEAR_BOTTOM_PX))).toBe(true);
    expect(isNearBottom(box(4400 - NEAR_BOTTOM_PX - 1))).toBe(false);
    expect(isNearBottom(box(0))).toBe(false);
  });

  it('treats a log too short to scroll as at the bottom', () => {
    expect(isNearBottom({ scrollTop: 0, scrollHeight: 300, clientHeight: 600 })).toBe(true);
  });

  it('is near the top within one screen of it', () => {
    expect(isNearTop(box(0))).toBe(true);
    expect(isNearTop(box(600))).toBe(true);
    expect(isNearTop(box(601))).toBe(false);
  });
});

describe('newestMark', () => {
  it('is the last message of the thread', () => {
    const { ids, byId } = thread(at('a', 1), at('b', 2));
    expect(newestMark(ids, byId)).toEqual({ id: 'b', at: 2 });
  });

  it('skips ids whose message is missing, and is null for an empty thread', () => {
    const { ids, byId } = thread(at('a', 1));
    expect(newestMark([...ids, 'gone'], byId)).toEqual({ id: 'a', at: 1 });
    expect(newestMark([], {})).toBeNull();
  });
});

describe('countAfter', () => {
  it('counts the messages that sort after the mark', () => {
    const { ids, byId } = thread(at('a', 1), at('b', 2), at('c', 3), at('d', 4));
    expect(countAfter(ids, byId, { id: 'b', at: 2 })).toBe(2);
    expect(countAfter(ids, byId, { id: 'd', at: 4 })).toBe(0);
  });

  it('breaks ties in time by id, as the thread is ordered', () => {
    const { ids, byId } = thread(at('a', 5), at('b', 5), at('c', 5));
    expect(countAfter(ids, byId, { id: 'a', at: 5 })).toBe(2);
  });

  it('still counts when the marked message itself was deleted since', () => {
    const { ids, byId } = thread(at('a', 1), at('c', 3), at('d', 4));
    expect(countAfter(ids, byId, { id: 'b', at: 2 })).toBe(2);
  });

  it('does not count a late message that lands above the mark', () => {
    // Catch-up filled in a message from before the reader scrolled up: it is not below them.
    const { ids, byId } = thread(at('a', 1), at('late', 2), at('b', 3), at('new', 4));
    expect(countAfter(ids, byId, { id: 'b', at: 3 })).toBe(1);
  });

  it('counts every message when the thread was empty at the mark', () => {
    const { ids, byId } = thread(at('a', 1), at('b', 2));
    expect(countAfter(ids, byId, null)).toBe(2);
  });
});
