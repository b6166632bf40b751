import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { DeliveryWriter } from '../../../../../main/core/archive/delivery-writer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'inlet-writer-'));
  const path = join(dir, 'archive.sqlite');
  const archive = new Archive(path); // runs the migrations the writer relies on
  const writer = new DeliveryWriter(path);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => archive.close());
  cleanups.push(() => writer.close());
  return { archive, writer, path };
}

const item = (text: string, receivedAt = 1) => ({ body: Buffer.from(text), receivedAt });

describe('DeliveryWriter', () => {
  it('commits a group in one transaction and returns ids in order, visible to the archive', async () => {
    const { archive, writer } = setUp();
    const ids = await writer.write([item('a', 10), item('b', 11), item('c', 12)]);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const stored = archive.deliveries.unprocessed();
    expect(stored.map((row) => [row.id, Buffer.from(row.body).toString(), row.receivedAt])).toEqual(
      [
        [ids[0], 'a', 10],
        [ids[1], 'b', 11],
        [ids[2], 'c', 12],
      ],
    );
  });

  it('keeps the bytes exactly, escapes and all', async () => {
    const { archive, writer } = setUp();
    const raw = Buffer.from('{"text":"\\ud83d\\udc4b \\/ caf\\u00e9"}');
    await writer.write([{ body: raw, receivedAt: 1 }]);
    expect(Buffer.from(archive.deliveries.unprocessed()[0]?.body ?? [])).toEqual(raw);
  });

  it('stores bodies that are views into a larger buffer byte for byte', async () => {
    const { archive, writer } = setUp();
    const shared = Buffer.from('xxhelloyyworldzz');
    const ids = await writer.write([
      { body: shared.subarray(2, 7), receivedAt: 1 },
      { body: new Uint8Array(shared.buffer, shared.byteOffset + 9, 5), receivedAt: 2 },
      { body: Buffer.alloc(0), receivedAt: 3 },
    ]);
    expect(ids).toHaveLength(3);
    expect(archive.deliveries.unprocessed().map((row) => Buffer.from(row.body).toString())).toEqual(
      ['hello', 'world', ''],
    );
    // The caller's buffer is copied, not taken away.
    expect(shared.toString()).toBe('xxhelloyyworldzz');
  });

  it('commits writes sent before earlier ones settled, in the order sent', async () => {
    const { archive, writer } = setUp();
    const writes = Array.from({ length: 30 }, (_, index) =>
      writer.write([item(`w${index}a`), item(`w${index}b`)]),
    );
    const ids = await Promise.all(writes);
    const flat = ids.flat();
    expect(flat).toHaveLength(60);
    expect([...flat].sort((x, y) => x - y)).toEqual(flat);
    const stored = new Map(
      archive.deliveries.unprocessed().map((row) => [row.id, Buffer.from(row.body).toString()]),
    );
    ids.forEach(([first, second], index) => {
      expect(stored.get(first ?? -1)).toBe(`w${index}a`);
      expect(stored.get(second ?? -1)).toBe(`w${index}b`);
    });
  });

  it('refuses only the failing write when writes queued together share a transaction', async () => {
    const { archive, writer, path } = setUp();
    const saboteur = new DatabaseSync(path);
    saboteur.exec(`CREATE TRIGGER fail BEFORE INSERT ON deliveries
      WHEN CAST(NEW.body AS TEXT) = 'bad' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const settled = await Promise.allSettled([
      writer.write([item('one')]),
      writer.write([item('two'), item('bad')]),
      writer.write([item('three')]),
    ]);
    saboteur.exec('DROP TRIGGER fail');
    saboteur.close();
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]).toMatchObject({
      reason: new Error('could not store deliveries: disk I/O error'),
    });
    const texts = archive.deliveries.unprocessed().map((row) => Buffer.from(row.body).toString());
    expect(texts).toEqual(['one', 'three']);
  });

  it('rejects a group that fails midway and leaves none of it behind', async () => {
    const { archive, writer, path } = setUp();
    const saboteur = new DatabaseSync(path);
    saboteur.exec(`CREATE TRIGGER fail BEFORE INSERT ON deliveries
      WHEN CAST(NEW.body AS TEXT) = 'bad' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    await expect(writer.write([item('good'), item('bad'), item('also good')])).rejects.toThrow(
      /could not store deliveries: .*disk I\/O error/,
    );
    expect(archive.deliveries.count()).toBe(0);
    saboteur.exec('DROP TRIGGER fail');
    saboteur.close();
    await expect(writer.write([item('later')])).resolves.toHaveLength(1);
    expect(archive.deliveries.count()).toBe(1);
  });

  it('refuses writes after close with a clear error', async () => {
    const { writer } = setUp();
    await writer.close();
    await expect(writer.write([item('x')])).rejects.toThrow(/delivery writer stopped/);
  });

  it('reports a database it cannot open on the first write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inlet-writer-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const writer = new DeliveryWriter(join(dir, 'missing', 'archive.sqlite'));
    await expect(writer.write([item('x')])).rejects.toThrow(/delivery writer/);
  });
});
