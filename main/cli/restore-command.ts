import { statSync } from 'node:fs';
import { archivePathIn } from '../core/archive/archive-file';
import { listBackups, restoreBackup } from '../core/archive/backups';
import { inspectArchive } from '../core/archive/integrity';
import { UsageError } from '../../shared/domain/command-error';
import { commandDataDir, parseCommandOptions } from './command-args';

export const RESTORE_USAGE = `usage: inlet restore [--data-dir DIR] [--sandbox] [--list] [--from FILE]
Puts the newest backup that passes SQLite's check back in place of the archive. The archive it
replaces (with its WAL) is renamed to archive-before-restore-<time>.sqlite beside it, never deleted.
Run it while Inlet is not running.
  --list       show the backups, newest first, and whether each passes the check; change nothing
  --from FILE  restore FILE instead of the newest backup (it must pass the check too)
  --sandbox    the sandbox's archive instead of the live one`;

/** `inlet restore`: the last good backup back in place, the archive it replaces kept aside. */
export async function runRestoreCommand(
  args: string[],
  deps: {
    env: Readonly<Record<string, string | undefined>>;
    defaultDataDir: () => string;
    stdout: (line: string) => void;
    now: () => number;
  },
): Promise<void> {
  const values = parseCommandOptions(
    'restore',
    args,
    {
      'data-dir': { type: 'string' },
      sandbox: { type: 'boolean' },
      list: { type: 'boolean' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    RESTORE_USAGE,
  );
  if (values.help) return deps.stdout(RESTORE_USAGE);
  if (values.list && values.from !== undefined) {
    throw new UsageError('restore: --list and --from do not go together');
  }
  const dataDir = commandDataDir(values['data-dir'], deps.env, deps.defaultDataDir);
  const archivePath = archivePathIn(dataDir, values.sandbox === true);
  if (values.list) {
    const backups = listBackups(archivePath);
    if (backups.length === 0) deps.stdout(`No backups of ${archivePath} yet.`);
    for (const backup of backups) {
      const { problem } = inspectArchive(backup.path);
      const megabytes = (statSync(backup.path).size / 1e6).toFixed(1);
      deps.stdout(
        `${new Date(backup.takenAt).toISOString()}  ${megabytes} MB  ${problem ?? 'ok'}  ${backup.path}`,
      );
    }
    return;
  }
  const { backup, keptAside } = await restoreBackup(archivePath, {
    from: values.from,
    now: deps.now(),
  });
  const taken = Number.isNaN(backup.takenAt)
    ? ''
    : ` (taken ${new Date(backup.takenAt).toISOString()})`;
  deps.stdout(`Restored ${backup.path}${taken} to ${archivePath}.`);
  deps.stdout(
    keptAside === null
      ? 'There was no archive to keep aside.'
      : `The archive it replaced is kept at ${keptAside}.`,
  );
}
