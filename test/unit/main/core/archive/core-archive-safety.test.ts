import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ArchiveRefusedError } from '../../../../../main/core/archive/archive-file';
import { listBackups } from '../../../../../main/core/archive/backups';
import { sandboxCore } from '../sandbox-core';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-core-archive-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const core = () => sandboxCore(dir);

it('the core keeps a checked backup, reports no full disk, and refuses to start on an emptied archive', async () => {
  const first = core();
  await first.start();
  expect(first.status().diskFull).toBe(false);
  await first.stop(); // waits for the backup taken at start
  const archivePath = join(dir, 'sandbox.sqlite');
  expect(listBackups(archivePath)).toHaveLength(1);
  expect(statSync(archivePath).mode & 0o777).toBe(0o600);

  writeFileSync(archivePath, '');
  const second = core();
  const refusal = await second.start().then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(ArchiveRefusedError);
  expect((refusal as Error).message).toContain(`inlet restore --data-dir ${dir} --sandbox`);
  expect(readFileSync(archivePath)).toHaveLength(0);
});
