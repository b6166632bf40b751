import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { prepareArchive } from '../../../../../main/core/archive/archive-file';
import { isDiskFull } from '../../../../../main/core/archive/disk-full';
import type { ListenerAnswer } from '../../../../../main/core/deliveries/listener-record';
import type { StoredNotice } from '../../../../../main/core/webhook/receiver-protocol';
import { signBody } from '../../../../../main/core/webhook/signature';
import {
  WebhookReceiver,
  type WebhookReceiverOptions,
} from '../../../../../main/core/webhook/webhook-receiver';
import { fill, smallDisk } from '../../../../fakes/full-disk';
import { memoryLogger } from '../../../../fakes/logger';
import { startedWorkers as threads } from '../../../../fakes/recorded-workers';
import { textMessageBody } from '../../../../fakes/webhook-bodies';

// The receiver threads this test started, so one can be made to die as a crash would.
vi.mock('node:worker_threads', async (original) =>
  (await import('../../../../fakes/recorded-workers')).recordingWorkers(await original()),
);

const SECRET = 'app-secret';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  threads.length = 0;
});

async function setUp(options: Partial<WebhookReceiverOptions> & { dir?: string } = {}) {
  const { dir: given, ...overrides } = options;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'inlet-receiver-'));
  if (!given) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const databasePath = join(dir, 'archive.sqlite');
  await prepareArchive(databasePath, Date.now);
  const archive = new Archive(databasePath); // runs the migrations the receiver relies on
  cleanups.push(() => archive.close());
  const logger = memoryLogger();
  const seen = {
    stored: [] as StoredNotice[],
    answers: [] as ListenerAnswer[],
    signatures: [] as number[],
    verified: 0,
    storeFailures: [] as Error[],
    restarts: 0,
  };
  const receiver = new WebhookReceiver({
    port: 0,
    databasePath,
    secrets: () => [SECRET],
    verifyToken: () => 'verify-me',
    forwarding: () => false,
    onStored: (notice) => seen.stored.push(notice),
    onAnswered: (answer) => seen.answers.push(answer),
    onSignatureChecked: (matched) => seen.signatures.push(matched),
    onVerified: () => (seen.verified += 1),
    onStoreFailed: (error) => seen.storeFailures.push(error),
    onRestarted: () => (seen.restarts += 1),
    logger,
    ...overrides,
  });
  await receiver.start();
  cleanups.push(() => receiver.stop());
  return { receiver, archive, logger, seen, databasePath, url: receiver.url ?? '' };
}

function deliver(url: string, body: string, secret = SECRET) {
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, secret) },
  });
}

const message = (text: string) => textMessageBody({ text, mid: `m-${text}` });

describe('WebhookReceiver', () => {
  it('stores a signed delivery on its thread before the 200, and tells this thread its id', async () => {
    const { archive, seen, url } = await setUp();
    const body = message('hello');
    const response = await deliver(url, body);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('EVENT_RECEIVED');
    // Acknowledged means committed: the row is in the archive as soon as the 200 is.
    const [row] = archive.deliveries.unprocessed();
    expect(Buffer.from(row?.body ?? []).toString()).toBe(body);
    await vi.waitFor(() => expect(seen.stored).toHaveLength(1));
    expect(seen.stored[0]).toEqual({
      kind: 'stored',
      id: row?.id,
      receivedAt: row?.receivedAt,
      forward: null,
    });
    await vi.waitFor(() =>
      expect(seen.answers).toEqual([
        { kind: 'stored', deliveryId: row?.id, answerMs: expect.any(Number) as number },
      ]),
    );
    expect(seen.signatures).toEqual([0]);
  });

  it('refuses a wrong signature with 401, stores nothing, and reports the refused request', async () => {
    const { archive, seen, logger, url } = await setUp();
    const body = message('forged');
    const response = await deliver(url, body, 'not-the-secret');
    expect(response.status).toBe(401);
    await vi.waitFor(() => expect(seen.answers).toHaveLength(1));
    const [answer] = seen.answers;
    expect(answer).toMatchObject({ kind: 'refused', status: 401, signature: 'wrong' });
    if (answer?.kind !== 'refused') throw new Error('expected a refusal');
    expect(Buffer.from(answer.body).toString()).toBe(body);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(seen.signatures).toEqual([-1]);
    expect(seen.stored).toEqual([]);
    expect(archive.deliveries.count()).toBe(0);
    // The receiver thread's log lines reach this thread's logger.
    expect(logger.lines.map((line) => line.message)).toContain(
      'webhook refused: signature missing or wrong',
    );
  });

  it("answers Meta's verification handshake with the challenge, and refuses a wrong token", async () => {
    const { seen, url } = await setUp();
    const query = (token: string) =>
      `${url}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=12345`;
    const ok = await fetch(query('verify-me'));
    expect([ok.status, await ok.text()]).toEqual([200, '12345']);
    expect((await fetch(query('wrong'))).status).toBe(403);
    await vi.waitFor(() => expect(seen.verified).toBe(1));
  });

  it('checks against the secrets pushed to it when they change', async () => {
    let secrets = [SECRET];
    const { receiver, seen, url } = await setUp({ secrets: () => secrets });
    expect((await deliver(url, message('old'))).status).toBe(200);
    secrets = ['rotated-secret'];
    receiver.settingsChanged();
    await vi.waitFor(async () =>
      expect((await deliver(url, message('new'), 'rotated-secret')).status).toBe(200),
    );
    expect((await deliver(url, message('stale'))).status).toBe(401);
    expect(receiver.replayTarget).toEqual({ url, secret: 'rotated-secret' });
    await vi.waitFor(() => expect(seen.stored).toHaveLength(2));
  });

  it('passes the exact bytes and headers along while forwarding is on', async () => {
    const { seen, url } = await setUp({ forwarding: () => true });
    const body = message('forward me');
    await deliver(url, body);
    await vi.waitFor(() => expect(seen.stored).toHaveLength(1));
    const forward = seen.stored[0]?.forward;
    expect(Buffer.from(forward?.body ?? []).toString()).toBe(body);
    expect(forward?.headers['x-hub-signature-256']).toBe(signBody(body, SECRET));
  });

  it('serves mounted paths from this thread, streaming large bodies both ways with status and headers', async () => {
    const { receiver, url } = await setUp();
    receiver.mount('/echo/', async (request, response) => {
      response.writeHead(201, { 'X-Route': 'echo', 'Content-Type': 'application/octet-stream' });
      await pipeline(request, response);
    });
    const origin = new URL(url).origin;
    // Larger than any webhook body may be, sent and answered in chunks.
    const chunk = Buffer.alloc(256 * 1024, 7);
    const chunks = 24;
    const answer = await new Promise<{ status: number; route: string; bytes: Buffer }>(
      (resolve, reject) => {
        const upload = request(`${origin}/echo/file?x=1`, { method: 'PUT' }, (response) => {
          const parts: Buffer[] = [];
          response.on('data', (part: Buffer) => parts.push(part));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              route: String(response.headers['x-route']),
              bytes: Buffer.concat(parts),
            }),
          );
        });
        upload.on('error', reject);
        for (let index = 0; index < chunks; index += 1) upload.write(chunk);
        upload.end();
      },
    );
    expect(answer.status).toBe(201);
    expect(answer.route).toBe('echo');
    expect(answer.bytes.equals(Buffer.concat(Array(chunks).fill(chunk)))).toBe(true);
    expect((await fetch(`${origin}/nothing-here`)).status).toBe(404);
  });

  it('starts its thread again when it dies, on the same port, and says so', async () => {
    const { archive, seen, logger, url } = await setUp();
    expect((await deliver(url, message('before'))).status).toBe(200);
    // A thread that dies may take the notices of its last deliveries with it; they are in the
    // journal, which is what onRestarted is for.
    await threads[0]?.terminate();
    await vi.waitFor(() => expect(seen.restarts).toBe(1), { timeout: 5000 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'the receiver thread stopped; starting it again',
      }),
    );
    expect((await deliver(url, message('after'))).status).toBe(200);
    const stored = archive.deliveries.unprocessed();
    expect(stored.map((row) => Buffer.from(row.body).toString())).toEqual([
      message('before'),
      message('after'),
    ]);
    await vi.waitFor(() => expect(seen.stored.at(-1)?.id).toBe(stored[1]?.id));
  });

  it('says clearly when its port is taken', async () => {
    const { receiver, databasePath } = await setUp();
    const second = new WebhookReceiver({
      port: receiver.port ?? 0,
      databasePath,
      secrets: () => [SECRET],
      verifyToken: () => 'verify-me',
      forwarding: () => false,
      onStored: () => undefined,
      logger: memoryLogger(),
    });
    await expect(second.start()).rejects.toThrow(/already in use/);
    expect(second.url).toBeNull();
  });

  describe.skipIf(process.getuid?.() !== 0)('on a full tmpfs', () => {
    it("answers 503 with SQLite's disk-full code, and stores again with room", async (context) => {
      const disk = smallDisk(cleanups);
      if (disk === null) return context.skip('cannot mount a tmpfs here');
      const { seen, url } = await setUp({ dir: disk });
      const big = 'x'.repeat(256 * 1024); // each delivery needs new WAL pages
      expect((await deliver(url, message(`before ${big}`))).status).toBe(200);
      const free = fill(disk);
      expect((await deliver(url, message(`refused ${big}`))).status).toBe(503);
      await vi.waitFor(() => expect(seen.storeFailures).toHaveLength(1));
      expect(isDiskFull(seen.storeFailures[0])).toBe(true);
      free();
      expect((await deliver(url, message(`after ${big}`))).status).toBe(200);
    });
  });
});
