import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendFailure } from '../../../../../shared/domain/failure-reason';
import { createGraphClient } from '../../../../../main/core/graph/graph-client';
import { createGraphSender } from '../../../../../main/core/inbox/graph-sender';
import {
  MEDIA_PATH,
  MEDIA_URL_TTL_MS,
  OutgoingMedia,
} from '../../../../../main/core/inbox/outgoing-media';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { startHarness, type Harness } from '../../sandbox/harness';
import { expectHostileRequestsRefused } from '../http/raw-http';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(3000, 7),
]);
/** Reads the whole answer, so no connection is left half-read between requests. */
async function statusOf(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return response.status;
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
let server: WebhookServer;
let origin: string;
let clock: ReturnType<typeof fixedClock>;
let media: OutgoingMedia;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-media-'));
  clock = fixedClock();
  const logger = memoryLogger();
  media = new OutgoingMedia({ dir: join(dir, 'media-out'), clock, logger });
  server = new WebhookServer({
    port: 0,
    secrets: () => [],
    verifyToken: () => 'unused-verify-token',
    onDelivery: () => undefined,
    logger,
  });
  server.mount(MEDIA_PATH, media.handler);
  await server.start();
  origin = `http://127.0.0.1:${server.port}`;
});
afterEach(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('OutgoingMedia', () => {
  it('answers 404, not a crash, when the file is gone, a directory, a FIFO or a dangling link', async () => {
    const tokenPath = async () => {
      const path = await media.store(PNG, 'image/png', 'photo.png');
      await media.publish(path);
      return { path, file: join(dir, 'media-out', path.slice(MEDIA_PATH.length)) };
    };
    const removed = await tokenPath();
    rmSync(removed.file);
    expect(await statusOf(`${origin}${removed.path}`)).toBe(404);
    const directory = await tokenPath();
    rmSync(directory.file);
    mkdirSync(directory.file);
    expect(await statusOf(`${origin}${directory.path}`)).toBe(404);
    const fifo = await tokenPath();
    rmSync(fifo.file);
    execFileSync('mkfifo', [fifo.file]);
    expect(await statusOf(`${origin}${fifo.path}`)).toBe(404);
    const dangling = await tokenPath();
    rmSync(dangling.file);
    symlinkSync(join(dir, 'no-such-file'), dangling.file);
    expect(await statusOf(`${origin}${dangling.path}`)).toBe(404);
    const kept = await tokenPath();
    expect(await statusOf(`${origin}${kept.path}`)).toBe(200);
  });

  it('refuses malformed requests to the media route with their exact status, and keeps serving', async () => {
    const path = await media.store(PNG, 'image/png', 'photo.png');
    await media.publish(path);
    await expectHostileRequestsRefused(server.port ?? 0, path, 'a', { readsBody: false });
    expect(await statusOf(`${origin}${path}`)).toBe(200);
  });

  it('serves a stored file only while published, at an unguessable path, then 404', async () => {
    const path = await media.store(PNG, 'image/png', 'photo.png');
    expect(path).toMatch(/^\/media\/out\/[A-Za-z0-9_-]{43}$/);
    expect(await statusOf(`${origin}${path}`)).toBe(404); // queued: not published yet
    expect(await media.publish(path)).toBe(true);
    const served = await fetch(`${origin}${path}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(PNG));
    clock.advance(MEDIA_URL_TTL_MS + 1);
    expect(await statusOf(`${origin}${path}`)).toBe(404);
    // A retry publishes it again.
    expect(await media.publish(path)).toBe(true);
    expect(await statusOf(`${origin}${path}`)).toBe(200);
  });

  it('answers 404 to unknown, malformed and traversal tokens, and to other methods', async () => {
    const path = await media.store(PNG, 'image/png', 'photo.png');
    await media.publish(path);
    const unknown = `${MEDIA_PATH}${'A'.repeat(43)}`;
    for (const probe of [unknown, `${MEDIA_PATH}short`, MEDIA_PATH]) {
      expect(await statusOf(`${origin}${probe}`), probe).toBe(404);
    }
    // Refused by the listener before the route sees it.
    expect(await statusOf(`${origin}${MEDIA_PATH}..%2F..%2Fetc`)).toBe(400);
    expect(await statusOf(`${origin}${path}`, { method: 'POST', body: 'x' })).toBe(404);
    expect(await media.publish(unknown)).toBe(false);
    expect(await media.publish('/elsewhere')).toBe(false);
  });

  it('prunes files whose URL expired a week ago, and keeps unpublished (queued) ones', async () => {
    const sent = await media.store(PNG, 'image/png', 'a.png');
    const queued = await media.store(PNG, 'image/png', 'b.png');
    await media.publish(sent);
    clock.advance(8 * 24 * 60 * 60 * 1000);
    await media.prune();
    const left = readdirSync(join(dir, 'media-out'));
    expect(left).toHaveLength(2);
    expect(existsSync(join(dir, 'media-out', queued.slice(MEDIA_PATH.length)))).toBe(true);
    expect(await media.publish(sent)).toBe(false);
  });
});

describe('an attachment send through the emulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.client.customerSends(h.customer.igsid, { text: 'Can I see it?' });
  });
  afterEach(() => h.stop());

  function sender(publicOrigin: string | null) {
    const graph = createGraphClient({
      fetch,
      graphUrl: h.emulator.url,
      tokenUrl: h.emulator.url,
      version: 'v24.0',
      logger: memoryLogger(),
      clock,
    });
    return createGraphSender(graph, () => h.account.accessToken, {
      media: {
        publish: async (path) => {
          if (publicOrigin === null)
            return { ok: false, reason: sendFailure('no tunnel', 'mediaNeedsTunnel') };
          if (!(await media.publish(path)))
            return { ok: false, reason: sendFailure('gone', 'mediaMissing') };
          return { ok: true, url: `${publicOrigin}${path}` };
        },
      },
    });
  }

  it('Meta fetches the served URL and receives exactly the file', async () => {
    const path = await media.store(PNG, 'image/png', 'photo.png');
    const outcome = await sender(origin).sendAttachment(h.account.igUserId, h.customer.igsid, {
      type: 'image',
      path,
    });
    const [request] = (await h.client.sent(h.account.igUserId)).slice(-1);
    expect(outcome).toEqual({ ok: true, messageId: request?.storedMid });
    expect(request?.fetched).toEqual([
      {
        url: `${origin}${path}`,
        status: 200,
        contentType: 'image/png',
        size: PNG.byteLength,
        sha256: sha256(PNG),
      },
    ]);
  });

  it('fails with the reason when the URL cannot be served, or Meta cannot fetch it', async () => {
    const path = await media.store(PNG, 'image/png', 'photo.png');
    expect(
      await sender(null).sendAttachment(h.account.igUserId, h.customer.igsid, {
        type: 'image',
        path,
      }),
    ).toEqual({
      ok: false,
      outcome: 'failed',
      reason: sendFailure('no tunnel', 'mediaNeedsTunnel'),
    });
    // A public origin Meta cannot reach: the upload fails (docs/platform.md#text-limits), and
    // nothing was created.
    const unreachable = await sender('http://127.0.0.1:9').sendAttachment(
      h.account.igUserId,
      h.customer.igsid,
      { type: 'image', path },
    );
    expect(unreachable).toMatchObject({
      ok: false,
      outcome: 'failed',
      reason: { detail: { key: 'sendError.attachmentRejected' } },
    });
    const [request] = (await h.client.sent(h.account.igUserId)).slice(-1);
    expect(request?.fetched?.[0]).toMatchObject({ status: null, sha256: null });
    expect(request?.storedMid ?? null).toBeNull();
  });
});
