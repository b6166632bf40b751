import { describe, expect, it } from 'vitest';
import { incomingText } from '../../../../fakes/incoming';
import { CONVERSATION, PAGE_GONE, tempArchive } from './archive-harness';

describe('InboxQueries', () => {
  it('pages a thread back in time, keeping same-millisecond messages in stored order', () => {
    const archive = tempArchive();
    for (const [mid, at] of [
      ['m1', 1],
      ['m2', 2],
      ['m3', 2],
      ['m4', 2],
      ['m5', 3],
    ] as const) {
      archive.inbound.saveMessage(incomingText(mid, at));
    }
    const pages: string[][] = [];
    let before: string | undefined;
    do {
      const page = archive.queries.listMessages({ conversationId: CONVERSATION, before, limit: 2 });
      pages.push(page.items.map((m) => m.mid ?? ''));
      before = page.nextCursor ?? undefined;
    } while (before !== undefined);
    expect(pages).toEqual([['m4', 'm5'], ['m2', 'm3'], ['m1']]);
  });

  it('refuses a malformed cursor, and one from the other list, on both lists', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    archive.inbound.saveMessage(incomingText('m2', 2));
    archive.inbound.saveMessage(incomingText('m3', 3, { customerId: '1284973601758393' }));
    const conversationsCursor = archive.queries.listConversations({ limit: 1 }).nextCursor;
    const messagesCursor = archive.queries.listMessages({
      conversationId: CONVERSATION,
      limit: 1,
    }).nextCursor;
    expect(conversationsCursor).not.toBeNull();
    expect(messagesCursor).not.toBeNull();
    const expectRefused = (read: () => unknown) =>
      expect(read).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', detail: PAGE_GONE }));
    for (const cursor of ['not-a-cursor', messagesCursor!]) {
      expectRefused(() => archive.queries.listConversations({ cursor, limit: 1 }));
    }
    for (const before of ['not-a-cursor', conversationsCursor!]) {
      expectRefused(() =>
        archive.queries.listMessages({ conversationId: CONVERSATION, before, limit: 1 }),
      );
    }
  });

  it('finds a saved message with its conversation, and nothing for one that is gone', () => {
    const archive = tempArchive();
    const saved = archive.inbound.saveMessage(incomingText('m1', 1));
    if (!saved) throw new Error('not saved');
    expect(archive.queries.findSaved(saved.message.id)).toEqual(saved);
    expect(archive.queries.findSaved('no-such-message')).toBeNull();
  });
});
