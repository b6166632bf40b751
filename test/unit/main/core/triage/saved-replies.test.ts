import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { SavedRepliesStore } from '../../../../../main/core/archive/saved-replies-store';
import { savedRepliesHandlers } from '../../../../../main/core/triage/saved-replies';
import { repliesInvokeContract } from '../../../../../shared/ipc/replies-contract';
import { fixedClock } from '../../../../fakes/clock';

let dir: string;
let archive: Archive;
let handlers: ReturnType<typeof savedRepliesHandlers>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-replies-'));
  archive = new Archive(join(dir, 'archive.sqlite'));
  handlers = savedRepliesHandlers(new SavedRepliesStore(archive.database), fixedClock());
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('saved replies', () => {
  it('creates, edits and deletes, answering the list sorted by shortcut', async () => {
    await handlers['replies:save']({ shortcut: 'thanks', body: 'Thank you, {first_name}!' });
    const { replies } = await handlers['replies:save']({ shortcut: 'Hours', body: 'Open 9–18' });
    expect(replies.map((reply) => reply.shortcut)).toEqual(['Hours', 'thanks']);
    const hours = replies[0];
    if (hours === undefined) throw new Error('missing');
    const edited = await handlers['replies:save']({
      id: hours.id,
      shortcut: 'hours',
      body: 'Open 10–18',
    });
    expect(edited.replies[0]).toEqual({ id: hours.id, shortcut: 'hours', body: 'Open 10–18' });
    expect(
      (await handlers['replies:delete']({ id: hours.id })).replies.map((r) => r.shortcut),
    ).toEqual(['thanks']);
  });

  it('refuses a taken shortcut (any case) and unknown ids, changing nothing', async () => {
    await handlers['replies:save']({ shortcut: 'thanks', body: 'Thank you!' });
    await expect(handlers['replies:save']({ shortcut: 'THANKS', body: 'x' })).rejects.toMatchObject(
      {
        message: /already uses the shortcut \/THANKS/,
        detail: { key: 'errorDetail.shortcutTaken', vars: { shortcut: 'THANKS' } },
      },
    );
    await expect(
      handlers['replies:save']({ id: 99, shortcut: 'new', body: 'x' }),
    ).rejects.toMatchObject({
      message: /no longer exists/,
      detail: { key: 'errorDetail.savedReplyGone', vars: null },
    });
    await expect(handlers['replies:delete']({ id: 99 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      detail: { key: 'errorDetail.savedReplyGone', vars: null },
    });
    expect((await handlers['replies:list']()).replies).toHaveLength(1);
  });

  it('validates input at the contract: one-word shortcut, non-empty body within 1000 bytes', () => {
    const input = repliesInvokeContract['replies:save'].input;
    expect(input.safeParse({ shortcut: 'two words', body: 'x' }).success).toBe(false);
    expect(input.safeParse({ shortcut: 'ok', body: '   ' }).success).toBe(false);
    expect(input.safeParse({ shortcut: 'ok', body: 'é'.repeat(501) }).success).toBe(false);
    expect(input.safeParse({ shortcut: 'frete_grátis', body: 'ok' }).success).toBe(true);
  });
});
