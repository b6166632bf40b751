import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
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
