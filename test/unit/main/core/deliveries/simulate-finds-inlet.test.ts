import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { createCore } from '../../../../../main/core/create-core';
import { findRunningInlet } from '../../../../../main/cli/running-inlet';
import { runSimulateCommand } from '../../../../../main/sandbox/simulate-command';
import { newestOnceThat } from './deliveries-json';
import { sandboxCore } from '../sandbox-core';

let dir: string;
let core: ReturnType<typeof createCore>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-simulate-'));
  core = sandboxCore(dir);
  await core.start();
});
afterEach(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

const isThisProcess = (pid: number) => pid === process.pid;

function simulateIo(out: string[], err: string[]) {
  return {
    stdout: (line: string) => void out.push(line),
    stderr: (line: string) => void err.push(line),
    env: {},
    findInlet: (dataDir: string | undefined, sandbox: boolean) =>
      findRunningInlet(dataDir ?? dir, sandbox, isThisProcess),
  };
}

it('finds the running sandbox Inlet, its secret and its account, and the message lands', async () => {
  const running = findRunningInlet(dir, false, isThisProcess);
  expect(running?.mode).toBe('sandbox');
  expect(running?.secret).toMatch(/\S/);
  expect(running?.accountIds).toHaveLength(1);
  const out: string[] = [];
  const err: string[] = [];
  await runSimulateCommand(['message', '--text', 'Found you'], simulateIo(out, err));
  expect(out.at(-1)).toBe('HTTP 200');
  expect(err).toEqual([`simulate: sending to the sandbox Inlet at ${running?.url}`]);
  const newest = await newestOnceThat(dir);
  expect(newest).toMatchObject({ outcome: 'understood', accountIds: running?.accountIds });
  expect(newest.changes.messagesCreated).toHaveLength(1);
});

it('warns when the event names an account Inlet does not know', async () => {
  const err: string[] = [];
  await runSimulateCommand(
    ['message', '--sandbox', '--account', '17841400000000009'],
    simulateIo([], err),
  );
  expect(err.at(-1)).toMatch(
    /warning: Inlet does not know account 17841400000000009 \(it knows \d+\); it will keep the event but skip it/,
  );
  expect(await newestOnceThat(dir)).toMatchObject({ unknownAccountIds: ['17841400000000009'] });
});

it('says so when no Inlet runs on the data dir', async () => {
  await core.stop();
  await expect(runSimulateCommand(['message'], simulateIo([], []))).rejects.toThrow(
    /no running Inlet found; start inlet serve or give --url/,
  );
});
