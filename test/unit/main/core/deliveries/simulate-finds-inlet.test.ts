import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { createCore } from '../../../../../main/core/create-core';
import { findRunningInlet } from '../../../../../main/cli/running-inlet';
import { runSimulateCommand } from '../../../../../main/sandbox/simulate-command';
import { runDeliveriesCommand } from '../../../../../main/cli/deliveries-command';
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

/** Newest delivery once processed, as `inlet deliveries --json` reports it. */
async function newestDelivery() {
  for (;;) {
    const lines: string[] = [];
    await runDeliveriesCommand(['--sandbox', '--data-dir', dir, '--json', '--limit', '1'], {
      env: {},
      defaultDataDir: () => dir,
      stdout: (line) => void lines.push(line),
      now: Date.now,
    });
    const newest = JSON.parse(lines[0] ?? '{}') as {
      outcome?: string;
      accountIds: string[];
      unknownAccountIds: string[];
      changes: { messagesCreated: string[] };
    };
    if (newest.outcome && newest.outcome !== 'pending') return newest;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
  const newest = await newestDelivery();
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
  expect(await newestDelivery()).toMatchObject({ unknownAccountIds: ['17841400000000009'] });
});

it('says so when no Inlet runs on the data dir', async () => {
  await core.stop();
  await expect(runSimulateCommand(['message'], simulateIo([], []))).rejects.toThrow(
    /no running Inlet found; start inlet serve or give --url/,
  );
});
