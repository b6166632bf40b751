import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { writeExportFile } from '../../../../../main/core/archive/export';

/** Every fsync and rename, in order, on the way to the real calls. */
const calls = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${real.fstatSync(fd).isDirectory() ? 'folder' : 'file'}`);
      real.fsyncSync(fd);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      calls.push('rename');
      real.renameSync(from, to);
    },
  };
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'inlet-durable-'));
  calls.length = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('an export is fsynced before it is renamed into place, and then its folder is fsynced', async () => {
  const target = join(dir, 'inlet-export.json');
  await writeExportFile(target, (write) => write('{"whole":true}'));
  expect(calls).toEqual(['fsync file', 'rename', 'fsync folder']);
  expect(fs.readFileSync(target, 'utf8')).toBe('{"whole":true}');
  expect(fs.statSync(target).mode & 0o777).toBe(0o600);
});
