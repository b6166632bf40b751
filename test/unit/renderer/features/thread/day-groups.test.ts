import { describe, expect, it } from 'vitest';
import { logRows } from '../../../../../renderer/src/features/thread/day-groups';
import { HOUR, NOW, makeMessage } from '../../fixtures';

const message = (id: string, hoursAgo: number, extra: Parameters<typeof makeMessage>[0] = {}) =>
  makeMessage({ id, mid: `mid_${id}`, text: id, at: NOW - hoursAgo * HOUR, ...extra });

describe('logRows', () => {
  it('lays out the "load older" button, then each day label followed by its messages', () => {
    const messages = [message('a', 30), message('b', 29), message('c', 1)];
    const byId = Object.fromEntries(messages.map((each) => [each.id, each]));
    const rows = logRows(['a', 'b', 'c'], byId, true);
    expect(rows.map((row) => [row.kind, row.kind === 'day' ? 'label' : row.key])).toEqual([
      ['older', 'older:'],
      ['day', 'label'],
      ['message', 'a'],
      ['message', 'b'],
      ['day', 'label'],
      ['message', 'c'],
    ]);
    // Day keys can never collide with a message id, whatever the id looks like.
    expect(
      rows.filter((row) => row.kind === 'day').every((row) => row.key.startsWith('day:')),
    ).toBe(true);
    expect(logRows(['a'], byId, false).map((row) => row.kind)).toEqual(['day', 'message']);
  });

  it('marks a catch-up gap so arrow keys pass over it', () => {
    const messages = [
      message('a', 3),
      message('gap', 2, { mid: 'gap:x', text: null, context: { kind: 'gap' } }),
      message('b', 1),
    ];
    const byId = Object.fromEntries(messages.map((each) => [each.id, each]));
    const gaps = logRows(['a', 'gap', 'b'], byId, false).flatMap((row) =>
      row.kind === 'message' ? [[row.key, row.isGap]] : [],
    );
    expect(gaps).toEqual([
      ['a', false],
      ['gap', true],
      ['b', false],
    ]);
  });
});
