import { expect, it } from 'vitest';
import { runDeliveriesCommand } from '../../../../../main/cli/deliveries-command';
import { findRunningInlet } from '../../../../../main/cli/running-inlet';
import { runSimulateCommand } from '../../../../../main/sandbox/simulate-command';
import { newestOnceThat } from './deliveries-json';
import { sandboxCorePerTest } from '../sandbox-core';

const sandbox = sandboxCorePerTest('inlet-simulate-');

const isThisProcess = (pid: number) => pid === process.pid;

function simulateIo(out: string[], err: string[]) {
  return {
    stdout: (line: string) => void out.push(line),
    stderr: (line: string) => void err.push(line),
    env: {},
    findInlet: (dataDir: string | undefined, isSandbox: boolean) =>
      findRunningInlet(dataDir ?? sandbox.dir, isSandbox, isThisProcess),
  };
}

it('finds the running sandbox Inlet, its secret and its account, and the message lands', async () => {
  const running = findRunningInlet(sandbox.dir, false, isThisProcess);
  expect(running?.mode).toBe('sandbox');
  expect(running?.secret).toMatch(/\S/);
  expect(running?.accountIds).toHaveLength(1);
  const out: string[] = [];
  const err: string[] = [];
  await runSimulateCommand(['message', '--text', 'Found you'], simulateIo(out, err));
  expect(out.at(-1)).toBe('HTTP 200');
  expect(err).toEqual([`simulate: sending to the sandbox Inlet at ${running?.url}`]);
  const newest = await newestOnceThat(sandbox.dir);
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
  expect(await newestOnceThat(sandbox.dir)).toMatchObject({
    unknownAccountIds: ['17841400000000009'],
  });
  // and `inlet deliveries` says the event was skipped
  const lines: string[] = [];
  await runDeliveriesCommand(['--sandbox', '--data-dir', sandbox.dir, '--limit', '1'], {
    env: {},
    defaultDataDir: () => sandbox.dir,
    stdout: (line) => void lines.push(line),
    now: Date.now,
  });
  expect(lines[0]).toMatch(
    /message for 17841400000000009: understood; not connected, skipped: 17841400000000009$/,
  );
});

it('says so when no Inlet runs on the data dir', async () => {
  await sandbox.core.stop();
  await expect(runSimulateCommand(['message'], simulateIo([], []))).rejects.toThrow(
    /no running Inlet found; start inlet serve or give --url/,
  );
});
