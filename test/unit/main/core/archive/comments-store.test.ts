import { describe, expect, it } from 'vitest';
import { IG_ID } from '../../../../fakes/webhook-bodies';
import { incomingText } from '../../../../fakes/incoming';
import { comment, PAGE_GONE, tempArchive } from './archive-harness';

describe('CommentsStore', () => {
  it('stores each comment once and lists them per media', () => {
    const archive = tempArchive();
    expect(archive.comments.save(comment('c2', 'media-1', 2))).toBe(true);
    expect(archive.comments.save(comment('c1', 'media-1', 1))).toBe(true);
    expect(archive.comments.save(comment('c1', 'media-1', 1))).toBe(false);
    expect(archive.comments.save(comment('c3', 'media-2', 3))).toBe(true);
    expect(
      archive.comments.list({ accountId: IG_ID, mediaId: 'media-1' }).map((c) => c.id),
    ).toEqual(['c1', 'c2']);
    expect(archive.comments.list({ accountId: IG_ID })).toHaveLength(3);
  });

  it('pages customers’ comments newest first, in stored order within the same second', () => {
    const { comments } = tempArchive();
    comments.save(comment('old', 'media-1', 1000));
    comments.save(comment('same-a', 'media-1', 2000));
    comments.save(comment('same-b', 'media-2', 2000));
    comments.save(comment('own', 'media-1', 3000, true));
    comments.save(comment('new', 'media-2', 4000));
    const ids: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = comments.listForAccount(IG_ID, { cursor, limit: 2 });
      ids.push(page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(ids).toEqual([
      ['new', 'same-b'],
      ['same-a', 'old'],
    ]);
  });

  it('refuses a cursor it did not write, or one from a list of another kind', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    archive.inbound.saveMessage(incomingText('m2', 2, { customerId: '1284973601758393' }));
    const conversationsCursor = archive.queries.listConversations({ limit: 1 }).nextCursor;
    expect(conversationsCursor).not.toBeNull();
    for (const cursor of ['garbage', conversationsCursor!]) {
      expect(() => archive.comments.listForAccount(IG_ID, { cursor, limit: 2 })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', detail: PAGE_GONE }),
      );
    }
  });
});
