import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import {
  ArchiveRefusedError,
  describeStartupFailure,
  markerPathOf,
  mediaDirsIn,
  prepareArchive,
  RESTORE_BUTTON,
} from '../../../../../main/core/archive/archive-file';
import { listBackups, writeBackup } from '../../../../../main/core/archive/backups';
import { MIGRATIONS } from '../../../../../main/core/archive/database';
import { DeliveryWriter } from '../../../../../main/core/archive/delivery-writer';

let dir: string;
let path: string;
const now = () => Date.UTC(2026, 11, 5, 9, 0, 0);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-archive-file-'));
  path = join(dir, 'archive.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (file: string) => statSync(file).mode & 0o777;

/** An archive as a running Inlet leaves it: prepared, opened, a few deliveries, closed. */
async function archiveWithHistory(deliveries = 50): Promise<void> {
  await prepareArchive(path, now);
  const archive = new Archive(path);
  archive.deliveries.storeMany(
    Array.from({ length: deliveries }, (_, index) => ({
      body: Buffer.from(`{"delivery":${index},"padding":"${'x'.repeat(2000)}"}`),
      receivedAt: index,
    })),
  );
  archive.close();
}

/**
 * The files a crash leaves: the archive with its last commits only in the WAL (copied while the
 * writing connection is still open, so nothing was checkpointed).
 */
async function crashedWithWal(): Promise<void> {
  await archiveWithHistory();
  const elsewhere = mkdtempSync(join(tmpdir(), 'inlet-archive-live-'));
  const live = join(elsewhere, 'archive.sqlite');
  copyFileSync(path, live);
  const db = new DatabaseSync(live);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0');
  const insert = db.prepare('INSERT INTO deliveries (received_at, body) VALUES (?, ?)');
  for (let index = 0; index < 10; index += 1) insert.run(index, Buffer.from('{}'));
  for (const suffix of ['', '-wal', '-shm']) copyFileSync(`${live}${suffix}`, `${path}${suffix}`);
  db.close();
  rmSync(elsewhere, { recursive: true, force: true });
  expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
}

/** Start-up on a refused archive: the error, and the folder's files as before, byte for byte. */
async function expectRefusal(problem: string, sentence: RegExp): Promise<void> {
  const before = new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
  const refusal = await prepareArchive(path, now).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(ArchiveRefusedError);
  expect((refusal as ArchiveRefusedError).problem).toBe(problem);
  expect((refusal as Error).message).toContain(path);
  expect((refusal as Error).message).toMatch(sentence);
  const after = new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort()); // no -wal, -shm, journal
  for (const [name, bytes] of before) {
    // The -shm file is SQLite's shared-memory index of the WAL, which any reader rebuilds; it
    // holds no data. The archive and its WAL are what must stay untouched.
    if (!name.endsWith('-shm'))
      expect([name, after.get(name)?.equals(bytes)]).toEqual([name, true]);
  }
}

describe('prepareArchive', () => {
  it('creates a new archive owner-only, with its header written and remembered', async () => {
    await prepareArchive(path, now);
    expect(statSync(path).size).toBeGreaterThan(0);
    expect(mode(path)).toBe(0o600);
    expect(existsSync(markerPathOf(path))).toBe(true);
    // SQLite gives the WAL and SHM the archive's mode; the delivery writer's connection too.
    const archive = new Archive(path);
    const writer = new DeliveryWriter(path);
    await writer.write([{ body: Buffer.from('{}'), receivedAt: 1 }]);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    await writer.close();
    archive.close();
  });

  it('makes an existing 0644 archive and its WAL owner-only', async () => {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x)');
    db.exec('INSERT INTO t VALUES (1)');
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o644);
    chmodSync(`${path}-wal`, 0o644);
    await prepareArchive(path, now);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    db.close();
  });

  it('opens a sound archive whose last commits are still in its WAL (a crash)', async () => {
    await crashedWithWal();
    await expect(prepareArchive(path, now)).resolves.toBeUndefined();
    const archive = new Archive(path);
    expect(archive.deliveries.unprocessed()).toHaveLength(60);
    archive.close();
  });

  it('refuses a damaged archive left with a WAL by a crash, and replays nothing into it', async () => {
    await crashedWithWal();
    const fd = openSync(path, 'r+');
    for (const page of [2, 3, 5]) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
    closeSync(fd);
    await expectRefusal('damaged', /is damaged/);
  });

  it('refuses an archive with pages overwritten, and leaves it byte-identical', async () => {
    await archiveWithHistory();
    const fd = openSync(path, 'r+');
    for (const page of [2, 3, 5]) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
    closeSync(fd);
    await expectRefusal('damaged', /is damaged \(.+\)\. Inlet has not changed the file/);
  });

  it('refuses a truncated archive, and leaves it byte-identical', async () => {
    await archiveWithHistory();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    await expectRefusal('damaged', /cut off/);
  });

  it('refuses a file that is not an SQLite database', async () => {
    writeFileSync(path, 'these are not the bytes you are looking for');
    await expectRefusal('damaged', /does not start like an SQLite database/);
  });

  it('refuses an emptied (0-byte) archive instead of starting an empty one', async () => {
    await archiveWithHistory();
    writeFileSync(path, '');
    await expectRefusal('empty', /is empty \(0 bytes\)/);
    expect(statSync(path).size).toBe(0);
  });

  it('refuses a 0-byte archive even before Inlet remembered it (an upgrade)', async () => {
    writeFileSync(path, '');
    await expectRefusal('empty', /is empty/);
  });

  it('refuses a missing archive where there was one, and creates nothing', async () => {
    await archiveWithHistory();
    rmSync(path);
    await expectRefusal('missing', /is missing, but Inlet kept one there before.*--data-dir/);
    expect(existsSync(path)).toBe(false);
  });

  it('says how to restore when there is a backup, and how not to lose more when there is none', async () => {
    await archiveWithHistory();
    writeFileSync(path, '');
    const withoutBackup = (await prepareArchive(path, now).catch((e: unknown) => e)) as Error;
    expect(withoutBackup.message).toMatch(/There is no backup to restore/);
    expect(describeStartupFailure(withoutBackup).restorePath).toBeNull();
    rmSync(path);
    rmSync(markerPathOf(path));
    await archiveWithHistory();
    await writeBackup(path, now());
    rmSync(path);
    const withBackup = (await prepareArchive(path, now).catch((e: unknown) => e)) as Error;
    expect(withBackup.message).toContain(`run: inlet restore --data-dir ${dir}`);
    const failure = describeStartupFailure(withBackup);
    expect(failure).toMatchObject({ title: 'Inlet could not open its archive', restorePath: path });
    expect(failure.message).toContain(RESTORE_BUTTON);
    expect(failure.message).toContain(path);
  });

  it('names the sandbox archive in the restore command', async () => {
    const sandbox = join(dir, 'sandbox.sqlite');
    await prepareArchive(sandbox, now);
    new Archive(sandbox).close();
    await writeBackup(sandbox, now());
    writeFileSync(sandbox, '');
    await expect(prepareArchive(sandbox, now)).rejects.toThrow(
      `inlet restore --data-dir ${dir} --sandbox`,
    );
  });

  it('backs the archive up before a migration, the backup at the old schema', async () => {
    await archiveWithHistory();
    // An archive one migration behind, as the previous release left it.
    const db = new DatabaseSync(path);
    db.exec(
      `DROP TABLE profile_pictures; DROP INDEX messages_quoting; PRAGMA user_version = ${MIGRATIONS.length - 1}`,
    );
    db.close();
    expect(listBackups(path)).toEqual([]);
    await prepareArchive(path, now);
    const [backup] = listBackups(path);
    expect(backup).toBeDefined();
    const copy = new DatabaseSync(backup!.path, { readOnly: true });
    expect(copy.prepare('PRAGMA user_version').get()).toEqual({
      user_version: MIGRATIONS.length - 1,
    });
    expect(copy.prepare('SELECT count(*) AS n FROM deliveries').get()).toEqual({ n: 50 });
    copy.close();
    const archive = new Archive(path); // migrates
    archive.close();
    // Up to date now: no backup on every start.
    await prepareArchive(path, () => now() + 1000);
    expect(listBackups(path)).toHaveLength(1);
  });

  it('describes any other start-up failure without offering a restore', () => {
    expect(describeStartupFailure(new Error('port 4100 is busy'))).toEqual({
      title: 'Inlet could not start',
      message: 'port 4100 is busy',
      restorePath: null,
    });
  });
});

describe('mediaDirsIn', () => {
  it('keeps received and outgoing attachments beside their archive, the sandbox’s apart', () => {
    expect(mediaDirsIn('/data', false)).toEqual({
      received: join('/data', 'media'),
      outgoing: join('/data', 'media-out'),
    });
    expect(mediaDirsIn('/data', true)).toEqual({
      received: join('/data', 'sandbox-media'),
      outgoing: join('/data', 'sandbox-media-out'),
    });
  });
});
