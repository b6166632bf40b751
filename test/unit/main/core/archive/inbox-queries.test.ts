import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { MediaStore } from '../../../../../main/core/archive/media-store';
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

  it('gives a quote the quoted message’s id and first attachment, with Inlet’s copy of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inlet-quotes-'));
    const archive = new Archive(join(dir, 'archive.sqlite'));
    const media = new MediaStore(join(dir, 'archive.sqlite'));
    onTestFinished(() => {
      media.close();
      archive.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const photo = { type: 'image', url: 'https://lookaside.fbsbx.com/1', title: null };
    const sent = archive.inbound.saveMessage(
      incomingText('p1', 1, { text: null, attachments: [photo] }),
    );
    const story = archive.inbound.saveMessage(
      incomingText('s1', 2, { story: { kind: 'reply', url: 'https://lookaside.fbsbx.com/s' } }),
    );
    const file = '0b6f1a52-7c1e-4a8e-9d65-2f4f8f1e2a3b.jpg';
    media.recordStored(
      { messageId: sent!.message.id, idx: 0, url: photo.url },
      { file, contentType: 'image/jpeg', size: 9 },
      3,
    );
    for (const [mid, quoted] of [
      ['r1', 'p1'],
      ['r2', 's1'],
      ['r3', 'p1'],
    ] as const) {
      archive.inbound.saveMessage(incomingText(mid, 4, { replyToMid: quoted }));
    }
    const page = archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 });
    const quoteOf = (mid: string) => page.items.find((message) => message.mid === mid)?.replyTo;
    expect(quoteOf('r1')).toEqual({
      mid: 'p1',
      text: null,
      messageId: sent!.message.id,
      attachment: { ...photo, archivedUrl: `/archive/media/${file}` },
    });
    expect(quoteOf('r3')).toEqual(quoteOf('r1'));
    // Archiving the photo changes its quotes too: they are found with it.
    expect(archive.queries.savedWithQuotes(sent!.message.id).map((s) => s.message.mid)).toEqual([
      'p1',
      'r1',
      'r3',
    ]);
    // A story the quoted message answered is its picture, not yet archived here: the link stays.
    expect(quoteOf('r2')).toEqual({
      mid: 's1',
      text: 's1',
      messageId: story!.message.id,
      attachment: { type: 'story_mention', url: 'https://lookaside.fbsbx.com/s', title: null },
    });
    // Unsent, the quoted message shows nothing of itself.
    archive.inbound.applyUnsend({
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      deliveryId: null,
      mid: 'p1',
      at: 5,
    });
    expect(archive.queries.findMessageByMid('r1')?.replyTo).toEqual({
      mid: 'p1',
      text: null,
      messageId: sent!.message.id,
      attachment: null,
    });
  });
});
