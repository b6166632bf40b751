import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';
import {
  listenerFilePath,
  readListenerFile,
} from '../../../../../main/core/deliveries/listener-file';
import { signBody } from '../../../../../main/core/webhook/signature';
import { SANDBOX_APP_SECRET } from '../../../../../main/sandbox/sandbox';
import { runReplayCommand } from '../../../../../main/cli/deliveries-command';
import { newestOnceThat, sandboxDeliveries } from './deliveries-json';
import { textMessageBody } from '../../../../fakes/webhook-bodies';
import { sandboxCorePerTest } from '../sandbox-core';

const sandbox = sandboxCorePerTest('inlet-replay-');

const deps = (lines: string[]) => ({
  env: {},
  defaultDataDir: () => sandbox.dir,
  stdout: (line: string) => void lines.push(line),
  now: Date.now,
  fetch,
  isRunning: (pid: number) => pid === process.pid,
  sleep: () => new Promise<void>((resolve) => setTimeout(resolve, 20)),
});

/** The whole path: the real core's listener, journal, processing and archive, in the sandbox. */
it('replays through the running Inlet: the same delivery changes nothing, an edited one creates its message', async () => {
  const archivePath = join(sandbox.dir, 'sandbox.sqlite');
  const listener = readListenerFile(archivePath, (pid) => pid === process.pid);
  expect(listener?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
  const db = new DatabaseSync(archivePath, { readOnly: true });
  const { ig_user_id: accountId } = db.prepare('SELECT ig_user_id FROM accounts').get() as {
    ig_user_id: string;
  };
  db.close();

  const body = textMessageBody({
    mid: 'aWdfZAG1-replay-1',
    text: 'Is the shirt in stock?',
    accountId,
  });
  const posted = await fetch(listener?.url ?? '', {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(body, SANDBOX_APP_SECRET),
    },
  });
  expect(posted.status).toBe(200);
  const { id } = await newestOnceThat(sandbox.dir);
  // The Developer section reads the same record, with the bytes exactly as received.
  const detail = await sandbox.core.handlers['developer:getDelivery']({ id });
  expect(Buffer.from(detail.bodyBase64, 'base64').toString()).toBe(body);
  expect(detail.delivery).toMatchObject({ id, signature: 'valid', outcome: 'understood' });
  const listed = await sandbox.core.handlers['developer:listDeliveries']({ limit: 1 });
  expect(listed.deliveries.map((delivery) => delivery.id)).toEqual([id]);
  await expect(
    sandbox.core.handlers['developer:getDelivery']({ id: 'r999' }),
  ).rejects.toMatchObject({
    code: 'NOT_FOUND',
  });
  const first: string[] = [];
  await runReplayCommand([id, '--sandbox', '--data-dir', sandbox.dir, '--json'], deps(first));
  const replayed = JSON.parse(first[0] ?? '{}') as { changes: { messagesCreated: string[] } };
  expect(replayed).toMatchObject({ outcome: 'understood', unknownAccountIds: [] });
  expect(replayed.changes.messagesCreated).toEqual([]);

  const original = (await sandboxDeliveries(sandbox.dir, ['--limit', '1000'])).find(
    (record) => record.changes.messagesCreated.length > 0,
  );
  expect(original?.changes.messagesCreated).toHaveLength(1);

  const edited = join(sandbox.dir, 'edited.json');
  writeFileSync(
    edited,
    textMessageBody({ mid: 'aWdfZAG1-replay-2', text: 'And in size L?', accountId }),
  );
  const second: string[] = [];
  await runReplayCommand(
    ['1', '--sandbox', '--data-dir', sandbox.dir, '--edit', edited],
    deps(second),
  );
  expect(second[0]).toMatch(/^Replayed as delivery \d+: created messages \S+\.$/);

  await sandbox.core.stop();
  expect(existsSync(listenerFilePath(archivePath))).toBe(false);
  await expect(
    runReplayCommand(['1', '--sandbox', '--data-dir', sandbox.dir], deps([])),
  ).rejects.toThrow(/no Inlet is running/);
});
