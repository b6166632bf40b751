import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { prepareArchive } from '../../../../../main/core/archive/archive-file';
import { transaction } from '../../../../../main/core/archive/database';
import { DeliveryWriter } from '../../../../../main/core/archive/delivery-writer';
import { DiskFullWatch, isDiskFull } from '../../../../../main/core/archive/disk-full';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { signBody } from '../../../../../main/core/webhook/signature';
import { fixedClock } from '../../../../fakes/clock';
import { fill, smallDisk } from '../../../../fakes/full-disk';
import { memoryLogger } from '../../../../fakes/logger';

const SECRET = 'app-secret';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ENOSPC = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

function watch(hasRoom = () => false) {
  const clock = fixedClock();
  const logger = memoryLogger();
  const changes: boolean[] = [];
  const diskFull = new DiskFullWatch({
    clock,
    logger,
    hasRoom,
    onChange: (full) => changes.push(full),
  });
  cleanups.push(() => diskFull.stop());
  return { clock, logger, changes, diskFull };
}

/**
 * The webhook listener wired as the core wires it: deliveries go through `store`, successes and
 * failures are told to the watch.
 */
async function listener(store: (body: Uint8Array) => Promise<unknown>, diskFull: DiskFullWatch) {
  const logger = memoryLogger();
  const server = new WebhookServer({
    port: 0,
    secrets: () => [SECRET],
    verifyToken: () => 'verify-me',
    onDelivery: async (body) => {
      await store(body);
      diskFull.stored();
    },
    onStoreFailed: (error) => diskFull.failed(error),
    logger,
  });
  await server.start();
  cleanups.push(() => server.stop());
  const deliver = async (text: string) => {
    const body = JSON.stringify({ object: 'instagram', entry: [], text });
    const response = await fetch(server.url ?? '', {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Signature-256': signBody(body, SECRET),
      },
    });
    return response.status;
  };
  return { deliver, logger };
}

describe('DiskFullWatch', () => {
  it('recognises SQLite\'s "database or disk is full" and ENOSPC, through causes', () => {
    const sqlite = Object.assign(new Error('database or disk is full'), { errcode: 13 });
    expect(isDiskFull(sqlite)).toBe(true);
    expect(isDiskFull(new Error('could not store', { cause: sqlite }))).toBe(true);
    expect(isDiskFull(ENOSPC())).toBe(true);
    expect(isDiskFull(Object.assign(new Error('busy'), { errcode: 5 }))).toBe(false);
    expect(isDiskFull('database or disk is full')).toBe(false);
  });

  it('logs a full disk once a minute with the count and the original error, and announces it once', () => {
    const { clock, logger, changes, diskFull } = watch();
    for (let index = 0; index < 500; index += 1) {
      diskFull.failed(ENOSPC());
      clock.advance(100); // 500 deliveries over 50 s
    }
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'error',
      fields: { error: 'Error: ENOSPC: no space left on device, write', refusedSinceLastLine: 1 },
    });
    clock.advance(10_000);
    diskFull.failed(ENOSPC());
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]?.fields).toMatchObject({ refusedSinceLastLine: 500 });
    expect(changes).toEqual([true]);
    expect(diskFull.full).toBe(true);
    diskFull.stored();
    diskFull.stored();
    expect(changes).toEqual([true, false]);
    expect(logger.lines.at(-1)?.message).toBe(
      'the disk has room again: deliveries are stored again',
    );
  });

  it('clears when the disk has room again, even if no delivery comes to prove it', () => {
    vi.useFakeTimers();
    try {
      let room = false;
      const { changes, diskFull } = watch(() => room);
      diskFull.failed(ENOSPC());
      vi.advanceTimersByTime(60_000);
      expect(changes).toEqual([true]);
      room = true;
      vi.advanceTimersByTime(30_000);
      expect(changes).toEqual([true, false]);
      expect(diskFull.full).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs every other storage failure as it happens, without calling the disk full', () => {
    const { logger, changes, diskFull } = watch();
    diskFull.failed(new Error('delivery writer crashed'));
    diskFull.failed(new Error('delivery writer crashed'));
    expect(logger.lines.map((line) => line.message)).toEqual([
      'webhook delivery could not be stored',
      'webhook delivery could not be stored',
    ]);
    expect(changes).toEqual([]);
  });

  it('with an injected ENOSPC the listener answers 503, logs once, and recovers', async () => {
    const { diskFull, changes, logger } = watch();
    let full = true;
    const { deliver } = await listener(async () => {
      if (full) throw ENOSPC();
    }, diskFull);
    expect(await deliver('a')).toBe(503);
    expect(await deliver('b')).toBe(503);
    expect(await deliver('c')).toBe(503);
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(changes).toEqual([true]);
    full = false;
    expect(await deliver('d')).toBe(200);
    expect(changes).toEqual([true, false]);
  });
});

describe('transaction', () => {
  it('throws the error that stopped the work, even when SQLite already rolled back', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (x)');
    // The work ends the transaction itself, as SQLite does on a full disk: ROLLBACK would fail
    // with "no transaction is active" and must not replace the real cause.
    const failing = () =>
      transaction(db, () => {
        db.exec('ROLLBACK');
        throw Object.assign(new Error('database or disk is full'), { errcode: 13 });
      });
    expect(failing).toThrow('database or disk is full');
    expect(db.isTransaction).toBe(false);
    db.close();
  });
});

describe.skipIf(process.getuid?.() !== 0)('on a full tmpfs', () => {
  it("the archive keeps SQLite's own error, the listener answers 503, and storing resumes with room", async (context) => {
    const disk = smallDisk(cleanups);
    if (disk === null) return context.skip('cannot mount a tmpfs here');
    const dir = mkdtempSync(join(disk, 'data-'));
    const path = join(dir, 'archive.sqlite');
    await prepareArchive(path, Date.now);
    const archive = new Archive(path);
    const writer = new DeliveryWriter(path);
    cleanups.push(() => archive.close());
    cleanups.push(() => writer.close());
    const { diskFull, changes, logger } = watch();
    const big = 'x'.repeat(256 * 1024); // each delivery needs new WAL pages
    const { deliver } = await listener(
      (body) => writer.write([{ body: Buffer.concat([body, Buffer.from(big)]), receivedAt: 1 }]),
      diskFull,
    );
    expect(await deliver('before')).toBe(200);
    const free = fill(disk);

    const statuses = [];
    for (let index = 0; index < 10; index += 1) statuses.push(await deliver(`refused ${index}`));
    expect(statuses).toEqual(Array(10).fill(503));
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.fields?.error)).toContain('database or disk is full');
    expect(changes).toEqual([true]);
    // The main connection's transaction() too: SQLite's words, not ROLLBACK's.
    expect(() => archive.deliveries.storeMany([{ body: Buffer.from(big), receivedAt: 2 }])).toThrow(
      'database or disk is full',
    );

    free();
    expect(await deliver('after')).toBe(200);
    expect(changes).toEqual([true, false]);
    const stored = archive.deliveries.unprocessed().map((row) => Buffer.from(row.body).toString());
    expect(stored.map((body) => /"text":"([^"]+)"/.exec(body)?.[1])).toEqual(['before', 'after']);
  });
});
