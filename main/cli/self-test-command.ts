import { parseArgs } from 'node:util';
import { UsageError } from '../../shared/domain/command-error';
import { checkBundle, formatSelfTest, type BundleLayout } from '../core/self-test';

/**
 * `inlet self-test [--json]`: checks the built app this CLI belongs to. Resolves with the exit
 * code: 0 when every check passed, 1 otherwise.
 */
export async function runSelfTestCommand(
  args: string[],
  deps: { outDir: string; stdout: (line: string) => void; layout?: Partial<BundleLayout> },
): Promise<number> {
  let json: boolean;
  try {
    json = parseArgs({ args, options: { json: { type: 'boolean' } } }).values.json ?? false;
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)}\nusage: inlet self-test [--json]`,
    );
  }
  const results = await checkBundle(deps.outDir, deps.layout);
  deps.stdout(formatSelfTest(results, json));
  return results.every((result) => result.ok) ? 0 : 1;
}
