import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import type { IncomingMessage } from '../../../../../main/core/archive/inbound-store';
import { incomingText } from '../../../../fakes/incoming';
import { MIGRATIONS } from '../../../../../main/core/archive/database';
import {
  SearchStore,
  editDistance,
  toFtsQuery,
} from '../../../../../main/core/archive/search-store';
import { TriageStore } from '../../../../../main/core/archive/triage-store';
import { untranslated } from '../../../../../shared/domain/failure-reason';

const ACCOUNT = '17841405309211844';
const CUSTOMER = '1284973601758392';
const OTHER = '1284973601758393';
const CONVERSATION = `${ACCOUNT}:${CUSTOMER}`;
const START = '\u0002';
const END = '\u0003';

let dir: string;
let path: string;
let archive: Archive;
let triage: TriageStore;
let search: SearchStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-triage-'));
  path = join(dir, 'archive.sqlite');
});
afterEach(() => {
  archive?.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): void {
  archive = new Archive(path);
  triage = new TriageStore(archive.database);
  search = new SearchStore(archive.database);
}

function save(mid: string, at: number, fields: Partial<IncomingMessage> = {}): string {
  const saved = archive.inbound.saveMessage(incomingText(mid, at, fields));
  if (!saved) throw new Error(`${mid} was not saved`);
  return saved.message.id;
}

describe('TriageStore', () => {
  beforeEach(open);

  it('knows nothing about conversations the archive does not have', () => {
    expect(triage.setDone('nope', true, 1)).toBeNull();
    expect(triage.snooze('nope', 5)).toBeNull();
    expect(triage.setLabels('nope', ['vip'])).toBeNull();
    expect(triage.setNote('nope', 'hi', 1)).toBeNull();
    expect(triage.get('nope')).toBeNull();
    expect(triage.list()).toEqual([]);
  });

  it('marks done and reopens only for a customer message stored afterwards', () => {
    const first = save('m1', 1000);
    expect(triage.setDone(CONVERSATION, true, 5000)).toMatchObject({ doneAt: 5000 });
    // An edit of the older message is no reason to reopen.
    expect(triage.reopenForMessage(first)).toBeNull();
    const reply = archive.outgoing.queue(CONVERSATION, 'thanks', 6000);
    expect(triage.reopenForMessage(reply.message.id)).toBeNull(); // our own message
    // Even with a timestamp older than "done" (clock skew, late delivery), a new message reopens.
    const late = save('m2', 900);
    expect(triage.reopenForMessage(late)).toMatchObject({ doneAt: null, snoozedUntil: null });
    expect(triage.reopenForMessage(late)).toBeNull(); // already open: no second event
  });

  it('snoozes until a time, clears done, and wakes early on a new message', () => {
    save('m1', 1000);
    triage.setDone(CONVERSATION, true, 2000);
    expect(triage.snooze(CONVERSATION, 90_000)).toMatchObject({
      doneAt: null,
      snoozedUntil: 90_000,
    });
    expect(triage.setDone(CONVERSATION, true, 3000)).toMatchObject({
      doneAt: 3000,
      snoozedUntil: null,
    });
    triage.snooze(CONVERSATION, 90_000);
    expect(triage.reopenForMessage(save('m2', 4000))).toMatchObject({ snoozedUntil: null });
    triage.snooze(CONVERSATION, 90_000);
    expect(triage.snooze(CONVERSATION, null)).toMatchObject({ snoozedUntil: null });
  });

  it('keeps labels trimmed and unique, in the order given', () => {
    save('m1', 1000);
    expect(triage.setLabels(CONVERSATION, [' VIP', 'vip', 'wholesale', ' '])?.labels).toEqual([
      'VIP',
      'wholesale',
    ]);
    expect(triage.list()).toEqual([
      {
        conversationId: CONVERSATION,
        doneAt: null,
        snoozedUntil: null,
        labels: ['VIP', 'wholesale'],
        note: '',
      },
    ]);
  });

  it('keeps a note per customer, deletes it when emptied, and survives a restart', () => {
    save('m1', 1000);
    save('o1', 1000, { customerId: OTHER });
    expect(triage.setNote(CONVERSATION, 'Prefers size M', 10)?.note).toBe('Prefers size M');
    expect(triage.get(`${ACCOUNT}:${OTHER}`)?.note).toBe('');
    archive.close();
    open();
    expect(triage.get(CONVERSATION)?.note).toBe('Prefers size M');
    expect(triage.list().map((t) => t.conversationId)).toEqual([CONVERSATION]);
    expect(triage.setNote(CONVERSATION, '   ', 11)?.note).toBe('');
    expect(triage.list()).toEqual([]);
  });

  it('reads a corrupted labels column as no labels instead of failing', () => {
    save('m1', 1000);
    triage.setLabels(CONVERSATION, ['vip']);
    archive.database.prepare(`UPDATE conversation_triage SET labels = '{oops'`).run();
    expect(triage.get(CONVERSATION)?.labels).toEqual([]);
  });

  it('mark-unread puts at least one unread message back', async () => {
    save('m1', 1000);
    await archive.conversations.markRead(CONVERSATION);
    expect(archive.conversations.markUnread(CONVERSATION)?.unreadCount).toBe(1);
    save('m2', 2000);
    expect(archive.conversations.markUnread(CONVERSATION)?.unreadCount).toBe(2);
    expect(archive.conversations.markUnread('nope')).toBeNull();
  });
});

describe('SearchStore', () => {
  it('turns typed words into quoted prefix terms and ignores FTS syntax', () => {
    expect(toFtsQuery('  tenis  azul ')).toBe('"tenis"* "azul"*');
    expect(toFtsQuery('NEAR(a "b" OR c*')).toBe('"NEAR(a"* "b"* "OR"* "c*"*');
    expect(toFtsQuery(' " * - ')).toBeNull();
  });

  it('finds words by prefix and without accents, newest first, with marked snippets', () => {
    open();
    save('m1', 1000, { text: 'Olá! Você tem o tênis azul no número 38?' });
    save('m2', 2000, { text: 'Tenho interesse no tênis vermelho' });
    save('m3', 3000, { text: 'Straße und Größe?', customerId: OTHER });
    const hits = search.searchMessages('tenis', 10);
    expect(hits.map((hit) => hit.snippet)).toEqual([
      `Tenho interesse no ${START}tênis${END} vermelho`,
      `Olá! Você tem o ${START}tênis${END} azul no número 38?`,
    ]);
    expect(hits[0]).toMatchObject({ conversationId: CONVERSATION, direction: 'in', at: 2000 });
    expect(search.searchMessages('num', 10)).toHaveLength(1);
    expect(search.searchMessages('TÊNIS AZ', 10).map((hit) => hit.at)).toEqual([1000]);
    // Diacritics fold (ö → o); ß is a letter of its own in unicode61, not "ss", so "grosse" is
    // found only as a near match (two edits away).
    expect(search.searchMessages('große', 10).map((hit) => hit.customerId)).toEqual([OTHER]);
    expect(search.searchMessages('gross', 10)).toEqual([]);
    expect(search.searchMessages('grosse', 10).map((hit) => hit.customerId)).toEqual([OTHER]);
    expect(search.searchMessages('tenis', 1)).toHaveLength(1);
    expect(search.searchMessages('"', 10)).toEqual([]);
    expect(search.searchMessages('OR AND NOT', 10)).toEqual([]);
  });

  it('finds a misspelt word by its near neighbours, only when nothing matches as typed', () => {
    open();
    save('m1', 1000, { text: 'Do you ship to Canada?' });
    save('m2', 2000, { text: 'Sneakers in size 42, please' });
    save('m3', 3000, { text: 'Is the candle still available?' });
    const texts = (query: string) =>
      search
        .searchMessages(query, 10)
        .map((hit) => hit.snippet.replaceAll(START, '').replaceAll(END, ''));
    expect(texts('canda')).toEqual(['Do you ship to Canada?']); // a letter missing
    expect(texts('snaekers')).toEqual(['Sneakers in size 42, please']); // two letters swapped
    expect(texts('sneekres size')).toEqual(['Sneakers in size 42, please']); // two typos, long word
    expect(search.searchMessages('canda', 10)[0]?.snippet).toContain(`${START}Canada${END}`);
    // Typed as a prefix of a real word: no guessing.
    expect(texts('cand')).toEqual(['Is the candle still available?']);
    // Too short to guess, too far, or a different first letter.
    expect(texts('cnd')).toEqual([]);
    expect(texts('canqqqa')).toEqual([]);
    expect(texts('kanada')).toEqual([]);
    // Every word must still match: a near word and a word found nowhere find nothing.
    expect(texts('canda zebra')).toEqual([]);
  });

  it('never fails on FTS syntax, quotes, emoji, CJK or very long input', () => {
    open();
    save('m1', 1000, { text: 'Обувь 👟 你好世界 "quoted" NEAR(x) size:42' });
    const inputs = [
      '"',
      '""""',
      'NEAR(a b)',
      'size:42',
      '*',
      '^start',
      'a OR b AND NOT c',
      '👟',
      '👟👟 emoji',
      '你好',
      '你好世界',
      'обувь',
      '(unbalanced',
      `${'x'.repeat(180)} ${'long '.repeat(4)}`,
      'word '.repeat(40),
    ];
    for (const input of inputs) {
      expect(() => search.searchMessages(input, 10), input).not.toThrow();
      expect(() => search.searchCustomers(input, 10), input).not.toThrow();
    }
    expect(search.searchMessages('你好', 10)).toHaveLength(1);
    expect(search.searchMessages('обувь', 10)).toHaveLength(1);
    expect(search.searchMessages('size:42', 10)).toHaveLength(1);
    expect(search.searchMessages('👟', 10)).toEqual([]);
  });

  it('finds customers by name and username, as prefixes and without accents', () => {
    open();
    save('m1', 1000);
    save('m2', 2000, { customerId: OTHER });
    archive.conversations.setCustomerProfile(CONVERSATION, { username: 'tom.baker', name: 'Tom' });
    archive.conversations.setCustomerProfile(`${ACCOUNT}:${OTHER}`, {
      username: 'joao.p',
      name: 'João Pereira',
    });
    expect(search.searchCustomers('tom', 5)).toEqual([CONVERSATION]);
    expect(search.searchCustomers('BAK', 5)).toEqual([CONVERSATION]);
    expect(search.searchCustomers('joao per', 5)).toEqual([`${ACCOUNT}:${OTHER}`]);
    expect(search.searchCustomers('joao.p', 5)).toEqual([`${ACCOUNT}:${OTHER}`]);
    expect(search.searchCustomers('tom joao', 5)).toEqual([]);
    // A renamed customer is found by the new name.
    archive.conversations.setCustomerProfile(CONVERSATION, { username: null, name: 'Thomas' });
    expect(search.searchCustomers('thom', 5)).toEqual([CONVERSATION]);
    expect(search.searchCustomers('tom', 5)).toEqual([CONVERSATION]); // still @tom.baker
    archive.conversations.setCustomerProfile(CONVERSATION, { username: 'thomas_b', name: null });
    expect(search.searchCustomers('tom', 5)).toEqual([]);
  });

  it('counts edits: substitutions, insertions, deletions and neighbour swaps', () => {
    expect(editDistance('canda', 'canada')).toBe(1);
    expect(editDistance('snaekers', 'sneakers')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('naïve', 'naive')).toBe(1);
    expect(editDistance('👟a', '👟b')).toBe(1); // by code point, not UTF-16 unit
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3); // stops early past the limit
  });

  it('returns exactly the newest matches, whichever conversations they are in', () => {
    open();
    // 3,000 conversations (more than both fast-path windows) with messages saved out of time
    // order, so rowid order says nothing about time; compared with sorting every match.
    const db = archive.database;
    const conversation = db.prepare(
      `INSERT INTO conversations (id, account_id, customer_id, last_message_at) VALUES (?, ?, ?, ?)`,
    );
    const message = db.prepare(
      `INSERT INTO messages (id, conversation_id, direction, text, at, status)
       VALUES (?, ?, 'in', ?, ?, 'received')`,
    );
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    db.exec('BEGIN');
    for (let c = 0; c < 3000; c += 1) {
      const id = `${ACCOUNT}:${c}`;
      // The first 1,000 conversations are older than all others: "old" matches only there.
      const base = c < 1000 ? 0 : 1_000_000;
      const times = [0, 0, 0].map(() => base + random(1_000_000));
      conversation.run(id, ACCOUNT, String(c), Math.max(...times));
      times.forEach((at, m) => {
        // "common" everywhere; "half" in every other conversation; "mid" in a tenth (fewer
        // matches than the fast path needs); "rare" in three; "old" in the 1,000 oldest (too
        // far down for either window).
        const words = [
          'common',
          c % 2 === 0 ? 'half' : '',
          c % 10 === 0 ? 'mid' : '',
          c % 997 === 5 ? 'rare' : '',
          c < 1000 ? 'old' : '',
        ];
        message.run(`${c}-${m}`, id, words.join(' '), at);
      });
    }
    db.exec('COMMIT');
    const brute = db.prepare(
      `SELECT m.id FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
       WHERE messages_fts MATCH ? ORDER BY m.at DESC, m.rowid DESC LIMIT ?`,
    );
    for (const [word, limit] of [
      ['common', 50],
      ['common', 100],
      ['common', 1],
      ['half', 100],
      ['half', 7],
      ['old', 100],
      ['mid', 100],
      ['rare', 50],
      ['rar', 2],
      ['nothing', 10],
    ] as const) {
      const expected = (brute.all(`"${word}"*`, limit) as { id: string }[]).map((row) => row.id);
      const hits = search.searchMessages(word, limit);
      expect(hits.map((hit) => hit.messageId)).toEqual(expected);
    }
    expect(search.searchMessages('rare', 50)[0]?.snippet).toContain(`${START}rare${END}`);
    expect(search.searchMessages('half', 3)[0]?.snippet).toContain(`${START}half${END}`);
  });

  it('follows edits, unsends and deleted outgoing messages', () => {
    open();
    save('m1', 1000, { text: 'first draft' });
    const base = { accountId: ACCOUNT, customerId: CUSTOMER, deliveryId: null };
    archive.inbound.applyEdit({ ...base, mid: 'm1', text: 'final version', numEdit: 1, at: 1100 });
    expect(search.searchMessages('draft', 10)).toEqual([]);
    expect(search.searchMessages('final', 10)).toHaveLength(1);
    archive.inbound.applyUnsend({ ...base, mid: 'm1', at: 1200 });
    expect(search.searchMessages('final', 10)).toEqual([]);
    const queued = archive.outgoing.queue(CONVERSATION, 'pending parcel', 1300);
    expect(search.searchMessages('parcel', 10).map((hit) => hit.messageId)).toEqual([
      queued.message.id,
    ]);
    archive.outgoing.setStatus(queued.message.id, {
      status: 'failed',
      error: untranslated('refused'),
    });
    archive.outgoing.deleteUndelivered(queued.message.id);
    expect(search.searchMessages('parcel', 10)).toEqual([]);
  });

  it('indexes the messages of an archive written before search existed', () => {
    const db = new DatabaseSync(path);
    for (const migration of MIGRATIONS.slice(0, -1)) db.exec(migration);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length - 1}`);
    db.prepare(
      `INSERT INTO conversations (id, account_id, customer_id, last_message_at) VALUES (?, ?, ?, 1)`,
    ).run(CONVERSATION, ACCOUNT, CUSTOMER);
    db.prepare(
      `INSERT INTO messages (id, mid, conversation_id, direction, text, at, status, is_deleted)
       VALUES ('a', 'a', ?, 'in', 'old sneakers', 1, 'received', 0),
              ('b', 'b', ?, 'in', 'unsent sneakers', 2, 'received', 1)`,
    ).run(CONVERSATION, CONVERSATION);
    db.close();
    open();
    expect(search.searchMessages('sneak', 10).map((hit) => hit.messageId)).toEqual(['a']);
  });
});
