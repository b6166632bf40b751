import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, expect, it, vi } from 'vitest';
import { readListenerFile } from '../../../../../main/core/deliveries/listener-file';
import { matchSignature, signBody } from '../../../../../main/core/webhook/signature';
import { SANDBOX_APP_SECRET } from '../../../../../main/sandbox/sandbox';
import { newestOnceThat, sandboxDeliveries } from './deliveries-json';
import { textMessageBody } from '../../../../fakes/webhook-bodies';
import { sandboxCore } from '../sandbox-core';
import { startWebhookHandler } from '../../../../fakes/webhook-handler';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `inlet serve --forward-to`: the real core forwards what it verified, and the journal says how it went. */
it('forwards each verified delivery as received, never a refused one, and records the result', async () => {
  const handler = await startWebhookHandler({ answer: () => 204 });
  const { received } = handler;
  cleanups.push(handler.stop);
  const target = handler.url;

  const dir = mkdtempSync(join(tmpdir(), 'inlet-forward-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const core = sandboxCore(dir, { forwardTo: [target] });
  await core.start();
  cleanups.push(() => core.stop());
  const archivePath = join(dir, 'sandbox.sqlite');
  const url = readListenerFile(archivePath, () => true)?.url ?? '';

  const body = textMessageBody({ mid: 'aWdfZAG1-fwd', text: 'Forward me \\u2728' });
  const post = (signature: string | null) =>
    fetch(url, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        ...(signature === null ? {} : { 'X-Hub-Signature-256': signature }),
      },
    });
  expect((await post(null)).status).toBe(401);
  expect((await post(signBody(body, SANDBOX_APP_SECRET))).status).toBe(200);
  // The sandbox's own first deliveries are forwarded too, and may still be on their way.
  const ours = () => received.filter((request) => request.body.equals(Buffer.from(body)));
  await vi.waitFor(() => expect(ours()).toHaveLength(1));
  const [forwarded] = ours();
  expect(matchSignature(forwarded!.body, forwarded?.signature, [SANDBOX_APP_SECRET])).toBe(0);

  const db = new DatabaseSync(archivePath, { readOnly: true });
  const { id } = db.prepare('SELECT max(id) AS id FROM deliveries').get() as { id: number };
  db.close();
  // The result is written with the listener's record, batched once a second.
  const newest = await newestOnceThat(dir, (record) => record.forwards.length > 0);
  const [, refused] = await sandboxDeliveries(dir, ['--limit', '2']);
  expect(newest).toMatchObject({
    id: String(id),
    forwards: [{ target, status: 204, error: null, attempts: 1 }],
  });
  expect(refused).toMatchObject({ signature: 'missing', outcome: 'refused', forwards: [] });
  expect(ours()).toHaveLength(1); // the refused copy never went out
});
