import { describe, expect, it } from 'vitest';
import {
  endsRun,
  logRows,
  runPositions,
} from '../../../../../renderer/src/features/thread/day-groups';
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

describe('runPositions: the time once per run', () => {
  const at = (minutes: number) => NOW - HOUR + minutes * 60_000;
  const positions = (messages: ReturnType<typeof makeMessage>[]) => {
    const byId = Object.fromEntries(messages.map((each) => [each.id, each]));
    const runs = runPositions(
      messages.map((each) => each.id),
      byId,
    );
    return messages.map((each) => [each.id, runs.get(each.id), endsRun(runs.get(each.id)!)]);
  };

  it('joins one side’s messages up to 5 minutes apart and shows the time under the last', () => {
    expect(
      positions([
        makeMessage({ id: 'a', at: at(0) }),
        makeMessage({ id: 'b', at: at(3) }),
        makeMessage({ id: 'c', at: at(8) }),
        // More than 5 minutes after c: a new run.
        makeMessage({ id: 'd', at: at(13) + 1 }),
      ]),
    ).toEqual([
      ['a', 'first', false],
      ['b', 'middle', false],
      ['c', 'last', true],
      ['d', 'single', true],
    ]);
  });

  it('breaks the run when the other side writes or a message quotes another', () => {
    expect(
      positions([
        makeMessage({ id: 'a', at: at(0) }),
        makeMessage({ id: 'b', at: at(1), direction: 'out' }),
        makeMessage({ id: 'c', at: at(2), direction: 'out' }),
        makeMessage({
          id: 'd',
          at: at(3),
          direction: 'out',
          replyTo: { mid: 'mid_a', text: 'a', messageId: 'a', attachment: null },
        }),
      ]),
    ).toEqual([
      ['a', 'single', true],
      ['b', 'first', false],
      ['c', 'last', true],
      ['d', 'single', true],
    ]);
  });
});
