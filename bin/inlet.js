#!/usr/bin/env node
// The `inlet` command: a thin launcher for the bundled CLI (main/cli), built by `npm run build:app`
// (which `npm install` runs through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `inlet needs Node.js 22.13 or newer (it uses node:sqlite); this is ${process.version}. ` +
      'Inside the repository, run it through npx or npm run, which use the bundled Node 24.',
  );
  process.exit(1);
}
if (!existsSync(cli)) {
  console.error('inlet is not built yet: run `npm run build:app` (npm install does it for you).');
  process.exit(1);
}
await import(cli);
