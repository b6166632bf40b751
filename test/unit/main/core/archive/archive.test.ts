import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
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
    expect(archive.deliveries.count()).toBe(1);
    const page = archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 });
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
      archive.inbound.applyEdit({ ...base, mid: 'in-1', text: null, numEdit: 1, at: 3000 })
        ?.message,
    ).toMatchObject({ text: 'Size M?', editCount: 1 }); // the pre-migration text survives
    archive.inbound.applyReaction({ ...base, mid: 'out-1', by: 'customer', emoji: '🔥', at: 3100 });
    expect(
      archive.inbound.applySeen({ ...base, mid: 'out-1', at: 3200 }).map((s) => s.message.mid),
    ).toEqual(['out-1']);
    archive.close();

    const reopened = new Archive(path);
    expect(reopened.queries.findMessageByMid('out-1')).toMatchObject({
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
