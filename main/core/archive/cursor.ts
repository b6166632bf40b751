import { z } from 'zod';
import { detail } from '../../../shared/domain/localized-text';
import { AppError } from '../errors';
import { parseJsonOrNull } from './json-text';

/** One page of a list, newest first, and the opaque cursor of the next (older) page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A keyset position: a row's time, then what orders rows of the same time (its id or rowid).
 * Keysets stay stable while new rows arrive, unlike offsets.
 */
export type Keyset<K extends string | number> = { at: number; key: K };

function encodeCursor(position: Keyset<string | number>): string {
  return Buffer.from(JSON.stringify([position.at, position.key])).toString('base64url');
}

/**
 * The position a cursor from `pageOf` names, or null for the first page. Anything else (edited,
 * truncated, or from another list whose key is of another type) is refused, never read as the
 * first page: the owner would see the same rows again as if they were older ones.
 */
export function decodeCursor<K extends string | number>(
  cursor: string | undefined,
  key: z.ZodType<K>,
): Keyset<K> | null {
  if (cursor === undefined) return null;
  const parsed = z
    .tuple([z.number().int(), key])
    .safeParse(parseJsonOrNull(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', 'This page of the list no longer exists.', {
      detail: detail('pageGone'),
    });
  }
  return { at: parsed.data[0], key: parsed.data[1] };
}

/**
 * A page of at most `limit` rows from `limit + 1` read: the extra row only says that another page
 * exists, whose cursor is the position of the last row kept.
 */
export function pageOf<R>(
  rows: readonly R[],
  limit: number,
  positionOf: (row: R) => Keyset<string | number>,
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null,
  };
}
