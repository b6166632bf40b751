import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import type { Delivered } from '../../../../../main/core/archive/delivery-journal';
import type { CommentEvent } from '../../../../../main/core/webhook/webhook-events';
import { CUSTOMER_ID, IG_ID } from '../../../../fakes/webhook-bodies';

/** The conversation of the fixture account with the fixture customer. */
export const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;

/** A new archive in its own temporary directory, closed and removed when the test ends. */
export function tempArchive(): Archive {
  const dir = mkdtempSync(join(tmpdir(), 'inlet-archive-'));
  const archive = new Archive(join(dir, 'archive.sqlite'));
  onTestFinished(() => {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return archive;
}

/** The refusal of a cursor the list did not write. */
export const PAGE_GONE = { key: 'errorDetail.pageGone', vars: null };

/** A comment on `mediaId` as the parser delivers it (a customer's, unless `isSelf`). */
export function comment(
  id: string,
  mediaId: string,
  at: number,
  isSelf = false,
  accountId = IG_ID,
): Delivered<CommentEvent> {
  return {
    accountId,
    field: 'comments',
    id,
    mediaId,
    mediaProductType: 'FEED',
    fromId: '952467318864215',
    fromUsername: 'priya.makes',
    text: `comment ${id}`,
    at,
    parentId: null,
    isSelf,
    deliveryId: null,
  };
}
