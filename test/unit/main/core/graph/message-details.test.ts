import { describe, expect, it, vi } from 'vitest';
import { classifyGraphFailure, GraphError } from '../../../../../main/core/graph/graph-errors';
import type { GraphMessage } from '../../../../../main/core/graph/graph-schemas';
import { DETAIL_LIMIT, withDetails } from '../../../../../main/core/graph/message-details';

const idOnly = (id: string) => ({ id, createdTime: 1_000, from: null }) as unknown as GraphMessage;
const detailed = (id: string) =>
  ({
    id,
    createdTime: 1_000,
    from: { id: '1', username: null },
    text: 'hi',
  }) as unknown as GraphMessage;
const refusal = (code: number, message: string, httpStatus = 400) =>
  new GraphError(
    classifyGraphFailure({ httpStatus, body: { error: { message, code } }, requestSent: true }),
    { operation: 'getMessage', isIdempotent: true },
  );
const paced = <T>(call: () => Promise<T>) => call();

describe('withDetails: ids-only nodes read one by one', () => {
  it('reads only the wanted id-only nodes among the readable newest, in order', async () => {
    const getMessage = vi.fn(async (_token: string, mid: string) => detailed(mid));
    const nodes = [idOnly('a'), detailed('b'), idOnly('known'), idOnly('c')];
    const out = await withDetails({ getMessage }, 'token', nodes, {
      paced,
      wanted: (node) => node.id !== 'known',
    });
    expect(getMessage.mock.calls.map(([, mid]) => mid)).toEqual(['a', 'c']);
    expect(out.map((node) => [node.id, node.from !== null])).toEqual([
      ['a', true],
      ['b', true],
      ['known', false],
      ['c', true],
    ]);
  });

  it('never reads beyond the readable newest', async () => {
    const getMessage = vi.fn(async (_token: string, mid: string) => detailed(mid));
    const nodes = Array.from({ length: DETAIL_LIMIT + 3 }, (_, i) => idOnly(`m${i}`));
    await withDetails({ getMessage }, 'token', nodes, { paced, wanted: () => true });
    expect(getMessage).toHaveBeenCalledTimes(DETAIL_LIMIT);
  });

  it('keeps a message Graph will not give as it came, and goes on', async () => {
    const getMessage = vi
      .fn()
      .mockRejectedValueOnce(refusal(100, 'Unsupported get request. Object does not exist'))
      .mockImplementation(async (_token: string, mid: string) => detailed(mid));
    const out = await withDetails({ getMessage }, 'token', [idOnly('gone'), idOnly('ok')], {
      paced,
      wanted: () => true,
    });
    expect(out.map((node) => node.from !== null)).toEqual([false, true]);
  });

  it('stops on a refused login or a throttle instead of hammering on', async () => {
    for (const error of [
      refusal(190, 'Invalid OAuth access token'),
      refusal(4, 'Application request limit reached'),
    ]) {
      const getMessage = vi.fn().mockRejectedValue(error);
      await expect(
        withDetails({ getMessage }, 'token', [idOnly('a'), idOnly('b')], {
          paced,
          wanted: () => true,
        }),
      ).rejects.toBe(error);
      expect(getMessage).toHaveBeenCalledTimes(1);
    }
  });
});
