import { describe, expect, it } from 'vitest';
import { incomingText } from '../../../../fakes/incoming';
import { CUSTOMER_ID, IG_ID } from '../../../../fakes/webhook-bodies';
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

  it('pages a conversation’s pictures and videos older than a thread cursor, counting them all', () => {
    const archive = tempArchive();
    const media = (type: string, url: string | null = `https://cdn.example/${type}`) => ({
      type,
      url,
      title: null,
    });
    const save = (mid: string, at: number, attachments: ReturnType<typeof media>[]) =>
      archive.inbound.saveMessage(incomingText(mid, at, { attachments }));
    save('photo1', 1, [media('image'), media('video')]);
    save('voice', 2, [media('audio')]);
    save('gone', 3, [media('image', null)]); // nothing to load it from: not in the viewer
    save('gif', 4, [media('animated_image')]);
    save('unsent', 5, [media('image')]);
    archive.inbound.applyUnsend({
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      deliveryId: null,
      mid: 'unsent',
      at: 6,
    });
    save('text', 7, []);
    save('photo2', 8, [media('image')]);
    save('newest', 9, []);

    // The thread loaded the newest two messages; the viewer asks for what lies before them.
    const thread = archive.queries.listMessages({ conversationId: CONVERSATION, limit: 2 });
    const before = thread.nextCursor ?? undefined;
    const first = archive.queries.listMedia({ conversationId: CONVERSATION, before, limit: 1 });
    expect(first.items.map((m) => m.mid)).toEqual(['gif']);
    expect(first.total).toBe(3); // photo1's image and video, and the GIF
    const second = archive.queries.listMedia({
      conversationId: CONVERSATION,
      before: first.nextCursor ?? undefined,
      limit: 5,
    });
    expect(second.items.map((m) => m.mid)).toEqual(['photo1']);
    expect(second.nextCursor).toBeNull();
    expect(second.total).toBe(2);
    // Without a cursor: the whole conversation, oldest first.
    const all = archive.queries.listMedia({ conversationId: CONVERSATION, limit: 10 });
    expect(all.items.map((m) => m.mid)).toEqual(['photo1', 'gif', 'photo2']);
    expect(all.total).toBe(4);
    expect(() =>
      archive.queries.listMedia({ conversationId: CONVERSATION, before: 'nope', limit: 1 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', detail: PAGE_GONE }));
  });

  it('finds a saved message with its conversation, and nothing for one that is gone', () => {
    const archive = tempArchive();
    const saved = archive.inbound.saveMessage(incomingText('m1', 1));
    if (!saved) throw new Error('not saved');
    expect(archive.queries.findSaved(saved.message.id)).toEqual(saved);
    expect(archive.queries.findSaved('no-such-message')).toBeNull();
  });
});
