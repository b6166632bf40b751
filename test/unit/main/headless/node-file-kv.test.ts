import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_FILE, nodeFileKv } from '../../../../main/headless/node-file-kv';
import { memoryLogger } from '../../../fakes/logger';

let dataDir: string;
let settingsPath: string;

beforeEach(() => {
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'inlet-kv-')), 'data');
  settingsPath = path.join(dataDir, SETTINGS_FILE);
});
afterEach(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));

const onDisk = (): unknown => JSON.parse(readFileSync(settingsPath, 'utf8'));

describe('nodeFileKv', () => {
  it('creates the data dir and persists values that a new instance reads back', () => {
    const kv = nodeFileKv(dataDir);
    expect(kv.get('missing')).toBeUndefined();
    kv.set('graphVersion', 'v24.0');
    kv.set('vault', { v: 1, sealed: 'abc' });
    expect(onDisk()).toEqual({ graphVersion: 'v24.0', vault: { v: 1, sealed: 'abc' } });
    expect(statSync(settingsPath).mode & 0o777).toBe(0o600);

    const reopened = nodeFileKv(dataDir);
    expect(reopened.get('vault')).toEqual({ v: 1, sealed: 'abc' });
    reopened.delete('vault');
    expect(onDisk()).toEqual({ graphVersion: 'v24.0' });
    expect(nodeFileKv(dataDir).get('vault')).toBeUndefined();
  });

  it('writes a new file and renames it over the old one, leaving no temporary files', () => {
    const kv = nodeFileKv(dataDir);
    kv.set('a', 1);
    const before = statSync(settingsPath).ino;
    // A reader holding the old file keeps seeing the complete old content, never a half-write.
    const fd = openSync(settingsPath, 'r');
    try {
      kv.set('a', 'x'.repeat(100_000));
      expect(statSync(settingsPath).ino).not.toBe(before);
      const buffer = Buffer.alloc(64);
      const read = readSync(fd, buffer, 0, 64, 0);
      expect(JSON.parse(buffer.subarray(0, read).toString('utf8'))).toEqual({ a: 1 });
    } finally {
      closeSync(fd);
    }
    expect(onDisk()).toEqual({ a: 'x'.repeat(100_000) });
    expect(readdirSync(dataDir)).toEqual([SETTINGS_FILE]);
  });

  it('refuses values JSON cannot hold and keeps the previous state', () => {
    const kv = nodeFileKv(dataDir);
    kv.set('a', 1);
    expect(() => kv.set('a', undefined)).toThrow(TypeError);
    expect(() => kv.set('a', 10n)).toThrow(TypeError);
    expect(kv.get('a')).toBe(1);
    expect(onDisk()).toEqual({ a: 1 });
  });

  it('keeps memory in step with the disk when a write fails', () => {
    const kv = nodeFileKv(dataDir);
    // A non-empty directory where the file should be makes the rename fail.
    mkdirSync(path.join(settingsPath, 'blocker'), { recursive: true });
    expect(() => kv.set('a', 1)).toThrow();
    expect(kv.get('a')).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual([SETTINGS_FILE]);
  });

  it('hands out copies, so callers cannot change stored values in place', () => {
    const kv = nodeFileKv(dataDir);
    const value = { list: [1, 2] };
    kv.set('k', value);
    value.list.push(3);
    (kv.get('k') as { list: number[] }).list.push(4);
    expect(kv.get('k')).toEqual({ list: [1, 2] });
  });

  it('moves an unreadable settings file aside and starts empty', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(settingsPath, '{"half": ');
    const logger = memoryLogger();
    const kv = nodeFileKv(dataDir, { logger });
    expect(kv.get('half')).toBeUndefined();
    const aside = readdirSync(dataDir).find((name) => name.startsWith(`${SETTINGS_FILE}.corrupt-`));
    expect(aside).toBeDefined();
    expect(readFileSync(path.join(dataDir, aside ?? ''), 'utf8')).toBe('{"half": ');
    expect(existsSync(settingsPath)).toBe(false);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn' })]);
  });

  it('treats a JSON value that is not an object as unreadable', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(settingsPath, '[1,2]');
    expect(nodeFileKv(dataDir).get('0')).toBeUndefined();
    expect(existsSync(settingsPath)).toBe(false);
  });
});
