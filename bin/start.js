#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, otherwise headless mode (`inlet serve`),
// announced in one line on stderr. stdout stays the child's: headless prints its ready line there.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSignalRelay, exitCodeOf, findElectronBinary, planStart } from './start-decision.js';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const plan = planStart({
  electronBinary: findElectronBinary(
    path.join(projectDir, 'node_modules', 'electron'),
    process.env,
    {
      existsSync,
      readFileSync,
    },
  ),
  platform: process.platform,
  env: process.env,
  projectDir,
  inletCli: fileURLToPath(new URL('inlet.js', import.meta.url)),
  nodePath: process.execPath,
  args: process.argv.slice(2),
});
if (plan.notice) console.error(plan.notice);

// On POSIX the child gets its own process group, so terminal signals reach it only through the
// relay below (once), never twice. Windows has no process groups in that sense.
const isPosix = process.platform !== 'win32';
const child = spawn(plan.command, plan.args, { stdio: 'inherit', detached: isPosix });
const relay = createSignalRelay((signal) => child.kill(signal), Date.now);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => relay(signal));

child.on('error', (error) => {
  console.error(`Inlet: could not start ${plan.command}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(exitCodeOf(code, signal, constants.signals)));
