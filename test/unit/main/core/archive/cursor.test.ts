import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../../../../../main/core/archive/cursor';
import { AppError } from '../../../../../main/core/errors';
import { PAGE_GONE } from './archive-harness';

const rows = [
  { at: 30, id: 'c' },
  { at: 20, id: 'b' },
  { at: 20, id: 'a' },
];
const positionOf = (row: { at: number; id: string }) => ({ at: row.at, key: row.id });

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

describe('the keyset cursor', () => {
  it('names the last row kept when another page exists, and nothing on the last page', () => {
    const first = pageOf(rows, 2, positionOf);
    expect(first.rows).toEqual(rows.slice(0, 2));
    expect(decodeCursor(first.nextCursor ?? undefined, z.string())).toEqual({ at: 20, key: 'b' });
    expect(pageOf(rows, 3, positionOf)).toEqual({ rows, nextCursor: null });
    expect(pageOf([], 3, positionOf)).toEqual({ rows: [], nextCursor: null });
  });

  it('reads no cursor as the first page', () => {
    expect(decodeCursor(undefined, z.string())).toBeNull();
  });

  it('round-trips numeric keys (rowids)', () => {
    const page = pageOf(
      [
        { at: 5, seq: 9 },
        { at: 4, seq: 8 },
      ],
      1,
      (row) => ({
        at: row.at,
        key: row.seq,
      }),
    );
    expect(decodeCursor(page.nextCursor ?? undefined, z.number().int())).toEqual({
      at: 5,
      key: 9,
    });
  });

  it.each([
    ['not base64 JSON at all', 'not-a-cursor'],
    ['empty', ''],
    ['JSON of another shape', base64url('{"at":1,"key":"a"}')],
    ['a time that is not a whole number', base64url('[1.5,"a"]')],
    ['a missing key', base64url('[1]')],
    ['an extra element', base64url('[1,"a",2]')],
    ['a key of the wrong type (another list’s cursor)', base64url('[1,2]')],
    ['the old comments format', '1773842751091.4'],
  ])('refuses %s as INVALID_INPUT, never as the first page', (_what, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, z.string());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'This page of the list no longer exists.',
      detail: PAGE_GONE,
    });
  });
});
