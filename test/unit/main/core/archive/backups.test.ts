import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { prepareArchive } from '../../../../../main/core/archive/archive-file';
import {
  BACKUPS_KEPT,
  backupsDirOf,
  DailyBackups,
  listBackups,
  restoreBackup,
  writeBackup,
} from '../../../../../main/core/archive/backups';
import { inspectArchive } from '../../../../../main/core/archive/integrity';
import { runRestoreCommand } from '../../../../../main/cli/restore-command';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
let dir: string;
let path: string;
let archive: Archive;
const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);

function store(archive: Archive, text: string): void {
  archive.deliveries.storeMany([{ body: Buffer.from(text), receivedAt: 1 }]);
}
const bodies = (path: string) => {
  const opened = new Archive(path);
  const result = opened.deliveries.unprocessed().map((row) => Buffer.from(row.body).toString());
  opened.close();
  return result;
};
function damage(file: string): void {
  const fd = openSync(file, 'r+');
  for (const page of [1, 2, 3]) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
  closeSync(fd);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-backups-'));
  path = join(dir, 'archive.sqlite');
  await prepareArchive(path, () => T0);
  archive = new Archive(path);
  store(archive, 'first');
});
afterEach(() => {
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('writeBackup', () => {
  it('copies the open archive, checked, owner-only, and keeps the newest three', async () => {
    for (let day = 0; day < BACKUPS_KEPT + 2; day += 1) {
      store(archive, `day ${day}`);
      await writeBackup(path, T0 + day * DAY);
    }
    const backups = listBackups(path);
    expect(backups.map((backup) => backup.takenAt)).toEqual([
      T0 + 4 * DAY,
      T0 + 3 * DAY,
      T0 + 2 * DAY,
    ]);
    for (const backup of backups) {
      expect(statSync(backup.path).mode & 0o777).toBe(0o600);
      expect(inspectArchive(backup.path).problem).toBeNull();
    }
    expect(statSync(backupsDirOf(path)).mode & 0o777).toBe(0o700);
    // Only the backups themselves: no temporary file, journal or older backup is left.
    expect(readdirSync(backupsDirOf(path)).sort()).toEqual(
      backups.map((backup) => backup.path.slice(backupsDirOf(path).length + 1)).sort(),
    );
    expect(bodies(backups[0]!.path)).toEqual([
      'first',
      'day 0',
      'day 1',
      'day 2',
      'day 3',
      'day 4',
    ]);
  });
});

describe('restoreBackup', () => {
  it('round trip: a damaged archive is replaced by the last backup and kept aside unchanged', async () => {
    await writeBackup(path, T0);
    store(archive, 'after the backup');
    archive.close();
    damage(path);
    const damaged = readFileSync(path);
    const restored = await restoreBackup(path, { now: T0 + HOUR });
    expect(restored.backup.takenAt).toBe(T0);
    expect(restored.keptAside).toBe(
      join(dir, 'archive-before-restore-2026-12-05T10-00-00.000Z.sqlite'),
    );
    expect(readFileSync(restored.keptAside!).equals(damaged)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(prepareArchive(path, () => T0 + HOUR)).resolves.toBeUndefined();
    expect(bodies(path)).toEqual(['first']);
    archive = new Archive(path);
  });

  it('skips a newest backup that fails its check, and keeps the archive WAL with it aside', async () => {
    await writeBackup(path, T0);
    store(archive, 'second');
    await writeBackup(path, T0 + DAY);
    damage(listBackups(path)[0]!.path);
    // The archive still open: its WAL holds commits, and goes aside with it.
    const restored = await restoreBackup(path, { now: T0 + 2 * DAY });
    expect(restored.backup.takenAt).toBe(T0);
    expect(existsSync(`${restored.keptAside}-wal`)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    archive.close();
    expect(bodies(path)).toEqual(['first']);
    archive = new Archive(path);
  });

  it('changes nothing when no backup passes the check, or there is none', async () => {
    await expect(restoreBackup(path, { now: T0 })).rejects.toThrow(
      /There is no backup of .* nothing was changed/,
    );
    await writeBackup(path, T0);
    damage(listBackups(path)[0]!.path);
    const before = readdirSync(dir).sort();
    await expect(restoreBackup(path, { now: T0 })).rejects.toThrow(
      /No backup passed SQLite's check, so nothing was changed/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('restores a named file with --from, and puts a missing archive back', async () => {
    await writeBackup(path, T0);
    archive.close();
    const elsewhere = join(dir, 'copy.sqlite');
    writeFileSync(elsewhere, readFileSync(listBackups(path)[0]!.path));
    rmSync(path);
    const lines: string[] = [];
    await runRestoreCommand(['--data-dir', dir, '--from', elsewhere], {
      env: {},
      defaultDataDir: () => '/nowhere',
      stdout: (line) => lines.push(line),
      now: () => T0,
    });
    expect(lines).toEqual([
      `Restored ${elsewhere} to ${path}.`,
      'There was no archive to keep aside.',
    ]);
    expect(bodies(path)).toEqual(['first']);
    archive = new Archive(path);
  });
});

describe('inlet restore', () => {
  const deps = (lines: string[]) => ({
    env: {},
    defaultDataDir: () => dir,
    stdout: (line: string) => lines.push(line),
    now: () => T0 + DAY,
  });

  it('--list shows each backup with its check, and changes nothing', async () => {
    await writeBackup(path, T0);
    await writeBackup(path, T0 + HOUR);
    damage(listBackups(path)[0]!.path);
    const lines: string[] = [];
    await runRestoreCommand(['--list'], deps(lines));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^2026-12-05T10:00:00.000Z {2}[\d.]+ MB {2}SQLite could not read it|^2026-12-05T10:00:00.000Z {2}[\d.]+ MB {2}SQLite's check found/,
    );
    expect(lines[1]).toMatch(/^2026-12-05T09:00:00.000Z {2}[\d.]+ MB {2}ok {2}\//);
  });

  it('puts the newest good backup back and says where the replaced archive is', async () => {
    await writeBackup(path, T0);
    archive.close();
    damage(path);
    const lines: string[] = [];
    await runRestoreCommand([], deps(lines));
    expect(lines[0]).toBe(
      `Restored ${listBackups(path)[0]!.path} (taken 2026-12-05T09:00:00.000Z) to ${path}.`,
    );
    expect(lines[1]).toMatch(/^The archive it replaced is kept at .*archive-before-restore-/);
    archive = new Archive(path);
  });

  it('refuses bad flags with exit code 2', async () => {
    await expect(runRestoreCommand(['--bogus'], deps([]))).rejects.toMatchObject({ exitCode: 2 });
    await expect(runRestoreCommand(['--list', '--from', 'x'], deps([]))).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});

describe('DailyBackups', () => {
  it('takes a backup when the newest is a day old, and not before', async () => {
    const clock = fixedClock(T0);
    const logger = memoryLogger();
    const daily = new DailyBackups({ archivePath: path, clock, logger });
    expect(await daily.runIfDue()).toMatchObject({ takenAt: T0 });
    clock.advance(23 * HOUR);
    expect(await daily.runIfDue()).toBeNull();
    clock.advance(HOUR);
    expect(await daily.runIfDue()).toMatchObject({ takenAt: T0 + DAY });
    expect(listBackups(path)).toHaveLength(2);
    await daily.stop();
  });

  it('logs a failed backup and tries again later', async () => {
    const logger = memoryLogger();
    const daily = new DailyBackups({
      archivePath: join(dir, 'missing', 'archive.sqlite'),
      clock: fixedClock(T0),
      logger,
    });
    expect(await daily.runIfDue()).toBeNull();
    expect(logger.lines.map((line) => line.message)).toEqual([
      'the daily archive backup failed; trying again within the hour',
    ]);
  });
});
