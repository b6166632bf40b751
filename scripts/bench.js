// Runs every bench/*.bench.ts suite in sequence (each writes its own key of bench-results.json).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const suites = readdirSync(join(root, 'bench'))
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
if (suites.length === 0) {
  console.error('no bench/*.bench.ts suite found');
  process.exit(1);
}
for (const suite of suites) {
  console.error(`\n== ${suite}`);
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), join('bench', suite)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) {
    console.error(`${suite} failed (${run.status ?? run.signal})`);
    process.exit(1);
  }
}
