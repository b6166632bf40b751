import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from '../../shared/domain/command-error';

/** A command's flags, strictly: an unknown flag or a positional is a usage error (exit code 2). */
export function parseCommandOptions<const Options extends ParseArgsOptionsConfig>(
  command: string,
  args: string[],
  options: Options,
  usage: string,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}\n${usage}`);
  }
}

/** The data folder a command works on: --data-dir, else INLET_DATA_DIR, else the default. */
export function commandDataDir(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  defaultDataDir: () => string,
): string {
  return flag ?? env.INLET_DATA_DIR ?? defaultDataDir();
}
