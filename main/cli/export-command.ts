import { existsSync } from 'node:fs';
import { Archive } from '../core/archive/archive';
import { archivePathIn, prepareArchive } from '../core/archive/archive-file';
import { writeExport, writeExportFile, type ExportOptions } from '../core/archive/export';
import { UsageError } from '../../shared/domain/command-error';
import { commandDataDir, parseCommandOptions } from './command-args';

export const EXPORT_USAGE = `usage: inlet export [--data-dir DIR] [--account IG_ID] [--format json|csv] [--sandbox] [--out FILE]
Writes the archive to stdout: JSON (the documented "inlet-export" format, default) or CSV, one row per
message. --sandbox exports the sandbox's archive instead of the live one. --out FILE writes it to FILE
instead (owner-only; FILE only ever holds a complete export: it is written aside, synced, then renamed).`;

/** `inlet export`: the owner's complete history, out of Inlet, in a documented format. */
export async function runExportCommand(
  args: string[],
  deps: {
    env: Readonly<Record<string, string | undefined>>;
    defaultDataDir: () => string;
    write: (chunk: string) => void;
    now: () => number;
  },
): Promise<void> {
  const values = parseCommandOptions(
    'export',
    args,
    {
      'data-dir': { type: 'string' },
      account: { type: 'string' },
      format: { type: 'string' },
      sandbox: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    EXPORT_USAGE,
  );
  if (values.help) return deps.write(`${EXPORT_USAGE}\n`);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw new UsageError(`export: --format must be json or csv, got "${format}"`);
  }
  if (values.account !== undefined && !/^\d+$/.test(values.account)) {
    throw new UsageError('export: --account takes the numeric Instagram account id');
  }
  const dataDir = commandDataDir(values['data-dir'], deps.env, deps.defaultDataDir);
  const path = archivePathIn(dataDir, values.sandbox === true);
  if (!existsSync(path)) {
    throw new Error(
      `export: no archive at ${path}. ${values.sandbox ? 'The sandbox has not run with this data dir yet.' : 'Inlet has not received anything in live mode with this data dir (use --sandbox for the sandbox archive).'}`,
    );
  }
  await prepareArchive(path, deps.now); // a damaged archive is refused, not exported
  const archive = new Archive(path);
  const options: ExportOptions = { accountId: values.account, format, now: deps.now() };
  try {
    if (values.out === undefined) writeExport(archive, options, deps.write);
    else await writeExportFile(values.out, (write) => writeExport(archive, options, write));
  } finally {
    archive.close();
  }
}
