import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Archive } from '../core/archive/archive';
import { writeExport, type ExportFormat } from '../core/archive/export';
import { UsageError } from '../../shared/domain/command-error';

export const EXPORT_USAGE = `usage: inlet export [--data-dir DIR] [--account IG_ID] [--format json|csv] [--sandbox]
Writes the archive to stdout: JSON (the documented "inlet-export" format, default) or CSV, one row per
message. --sandbox exports the sandbox's archive instead of the live one.`;

/** `inlet export`: the owner's complete history, out of Inlet, in a documented format. */
export function runExportCommand(
  args: string[],
  deps: {
    env: Readonly<Record<string, string | undefined>>;
    defaultDataDir: () => string;
    write: (chunk: string) => void;
    now: () => number;
  },
): void {
  let values: {
    'data-dir'?: string;
    account?: string;
    format?: string;
    sandbox?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        account: { type: 'string' },
        format: { type: 'string' },
        sandbox: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`export: ${(error as Error).message}\n${EXPORT_USAGE}`);
  }
  if (values.help) return deps.write(`${EXPORT_USAGE}\n`);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw new UsageError(`export: --format must be json or csv, got "${format}"`);
  }
  if (values.account !== undefined && !/^\d+$/.test(values.account)) {
    throw new UsageError('export: --account takes the numeric Instagram account id');
  }
  const dataDir = values['data-dir'] ?? deps.env.INLET_DATA_DIR ?? deps.defaultDataDir();
  const path = join(dataDir, values.sandbox ? 'sandbox.sqlite' : 'archive.sqlite');
  if (!existsSync(path)) {
    throw new Error(
      `export: no archive at ${path}. ${values.sandbox ? 'The sandbox has not run with this data dir yet.' : 'Inlet has not received anything in live mode with this data dir (use --sandbox for the sandbox archive).'}`,
    );
  }
  const archive = new Archive(path);
  try {
    writeExport(
      archive,
      { accountId: values.account, format: format satisfies ExportFormat, now: deps.now() },
      deps.write,
    );
  } finally {
    archive.close();
  }
}
