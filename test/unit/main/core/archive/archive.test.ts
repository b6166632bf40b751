import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive, previewOf } from '../../../../../main/core/archive/archive';
import { incomingText } from '../../../../fakes/incoming';
import { MIGRATIONS } from '../../../../../main/core/archive/database';

const ACCOUNT = '17841405309211844';
const CUSTOMER = '1284973601758392';
const CONVERSATION = `${ACCOUNT}:${CUSTOMER}`;

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-archive-'));
  path = join(dir, 'archive.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A version-1 archive as the previous release wrote it, with a thread in it. */
function writeVersionOne(): void {
  const db = new DatabaseSync(path);
  db.exec(MIGRATIONS[0] ?? '');
  db.exec('PRAGMA user_version = 1');
  db.prepare(
    `INSERT INTO deliveries (received_at, body, processed_at) VALUES (1, '{"object":"instagram"}', 2)`,
  ).run();
  db.prepare(
    `INSERT INTO conversations (id, account_id, customer_id, last_message_at, last_message_preview, last_inbound_at, unread_count)
     VALUES (?, ?, ?, 2000, 'Yes, M in beige', 1000, 1)`,
  ).run(CONVERSATION, ACCOUNT, CUSTOMER);
  const insert = db.prepare(
    `INSERT INTO messages (id, mid, conversation_id, direction, text, attachments, at, status, is_from_other_app, delivery_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run('a', 'in-1', CONVERSATION, 'in', 'Size M?', '[]', 1000, 'received', 0, 1);
  insert.run('b', 'out-1', CONVERSATION, 'out', 'Yes, M in beige', '[]', 2000, 'sent', 0, null);
  db.close();
}

describe('Archive schema', () => {
  it('upgrades a version-1 archive in place, keeping its data and accepting new events', () => {
    writeVersionOne();
    const archive = new Archive(path);
    expect(archive.deliveryCount()).toBe(1);
    const page = archive.listMessages({ conversationId: CONVERSATION, limit: 10 });
    expect(page.items.map((m) => [m.mid, m.text, m.editCount, m.reactions, m.seenAt])).toEqual([
      ['in-1', 'Size M?', 0, [], null],
      ['out-1', 'Yes, M in beige', 0, [], null],
    ]);
    expect(page.items[0]).toMatchObject({
      replyTo: null,
      story: null,
      isDeleted: false,
      isUnsupported: false,
      context: null,
    });
    const base = { accountId: ACCOUNT, customerId: CUSTOMER, deliveryId: null };
    expect(
      archive.applyEdit({ ...base, mid: 'in-1', text: null, numEdit: 1, at: 3000 })?.message,
    ).toMatchObject({ text: 'Size M?', editCount: 1 }); // the pre-migration text survives
    archive.applyReaction({ ...base, mid: 'out-1', by: 'customer', emoji: '🔥', at: 3100 });
    expect(
      archive.applySeen({ ...base, mid: 'out-1', at: 3200 }).map((s) => s.message.mid),
    ).toEqual(['out-1']);
    archive.close();

    const reopened = new Archive(path);
    expect(reopened.findMessageByMid('out-1')).toMatchObject({
      reactions: [{ by: 'customer', emoji: '🔥' }],
      seenAt: 3200,
    });
    reopened.close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: MIGRATIONS.length });
    db.close();
  });

  it('refuses an archive written by a newer Inlet instead of guessing', () => {
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new Archive(path)).toThrow(/newer Inlet/);
  });
});

describe('Archive events', () => {
  it('hydrates a whole page with reactions and quotes, hiding an unsent quote’s text', () => {
    const archive = new Archive(path);
    archive.saveIncoming(incomingText('m1', 1));
    archive.saveIncoming(incomingText('m2', 2, { replyToMid: 'm1' }));
    archive.saveIncoming(incomingText('m3', 3, { replyToMid: 'gone' }));
    archive.saveIncoming(
      incomingText('e1', 4, { direction: 'out', text: 'reply', isFromOtherApp: true }),
    );
    const base = { accountId: ACCOUNT, customerId: CUSTOMER, deliveryId: null };
    archive.applyReaction({ ...base, mid: 'm1', by: 'business', emoji: '👍', at: 5 });
    archive.applyReaction({ ...base, mid: 'm1', by: 'customer', emoji: '😆', at: 5 });
    archive.applyReaction({ ...base, mid: 'e1', by: 'customer', emoji: '❤️', at: 6 });
    let page = archive.listMessages({ conversationId: CONVERSATION, limit: 10 });
    expect(page.items.map((m) => [m.mid, m.reactions, m.replyTo])).toEqual([
      [
        'm1',
        [
          { by: 'customer', emoji: '😆' },
          { by: 'business', emoji: '👍' },
        ],
        null,
      ],
      ['m2', [], { mid: 'm1', text: 'm1' }],
      ['m3', [], { mid: 'gone', text: null }],
      ['e1', [{ by: 'customer', emoji: '❤️' }], null],
    ]);
    archive.applyUnsend({ ...base, mid: 'm1', at: 7 });
    page = archive.listMessages({ conversationId: CONVERSATION, limit: 10 });
    expect(page.items[1]?.replyTo).toEqual({ mid: 'm1', text: null });
    expect(page.items[0]?.isDeleted).toBe(true);
    archive.close();
  });

  it('keeps the newest reaction whatever the arrival order, and ignores repeats', () => {
    const archive = new Archive(path);
    archive.saveIncoming(incomingText('m1', 1));
    const base = { accountId: ACCOUNT, customerId: CUSTOMER, deliveryId: null, mid: 'm1' };
    const react = (emoji: string | null, at: number) =>
      archive.applyReaction({ ...base, by: 'customer', emoji, at });
    expect(react('🔥', 20)?.message.reactions).toEqual([{ by: 'customer', emoji: '🔥' }]);
    expect(react('🔥', 20)).toBeNull();
    expect(react('❤️', 10)).toBeNull(); // older than 🔥
    expect(react(null, 30)?.message.reactions).toEqual([]);
    expect(react(null, 30)).toBeNull();
    archive.close();
  });

  it('keeps the newest edit with text, and counts edits from num_edit', () => {
    const archive = new Archive(path);
    archive.saveIncoming(incomingText('m1', 1, { text: 'v0' }));
    const edit = (numEdit: number, text: string | null) =>
      archive.applyEdit({
        accountId: ACCOUNT,
        customerId: null,
        mid: 'm1',
        numEdit,
        text,
        at: 10 + numEdit,
        deliveryId: null,
      });
    expect(edit(2, 'v2')?.message).toMatchObject({ text: 'v2', editCount: 2 });
    expect(edit(1, 'v1')).toBeNull(); // arrived late: nothing visible changes
    expect(edit(2, 'v2')).toBeNull();
    expect(edit(0, null)).toBeNull();
    expect(archive.findMessageByMid('m1')).toMatchObject({ text: 'v2', editCount: 2 });
    archive.close();
  });

  it('stores each comment once and lists them per media', () => {
    const archive = new Archive(path);
    const comment = (id: string, mediaId: string, at: number) => ({
      accountId: ACCOUNT,
      field: 'comments' as const,
      id,
      mediaId,
      mediaProductType: 'FEED',
      fromId: '952467318864215',
      fromUsername: 'priya.makes',
      text: `comment ${id}`,
      at,
      parentId: null,
      isSelf: false,
      deliveryId: null,
    });
    expect(archive.saveComment(comment('c2', 'media-1', 2))).toBe(true);
    expect(archive.saveComment(comment('c1', 'media-1', 1))).toBe(true);
    expect(archive.saveComment(comment('c1', 'media-1', 1))).toBe(false);
    expect(archive.saveComment(comment('c3', 'media-2', 3))).toBe(true);
    expect(
      archive.listComments({ accountId: ACCOUNT, mediaId: 'media-1' }).map((c) => c.id),
    ).toEqual(['c1', 'c2']);
    expect(archive.listComments({ accountId: ACCOUNT })).toHaveLength(3);
    archive.close();
  });

  it('previews what a message is when it has no text', () => {
    expect(previewOf({ text: null, attachments: [], story: { kind: 'mention' } })).toBe(
      '[story mention]',
    );
    expect(previewOf({ text: null, attachments: [], isUnsupported: true })).toBe('[unsupported]');
    expect(previewOf({ text: 'hi', attachments: [], isDeleted: true })).toBe('[unsent]');
    expect(
      previewOf({ text: '  ', attachments: [{ type: 'ig_reel', url: null, title: null }] }),
    ).toBe('[ig_reel]');
  });
});
