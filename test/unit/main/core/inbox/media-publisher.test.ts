import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaPublisher } from '../../../../../main/core/inbox/media-publisher';
import { MEDIA_PATH, OutgoingMedia } from '../../../../../main/core/inbox/outgoing-media';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';

const TUNNEL = 'https://calm-otter.ngrok-free.app';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let dir: string;
let media: OutgoingMedia;
let stored: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-media-publisher-'));
  media = new OutgoingMedia({ dir, clock: fixedClock(), logger: memoryLogger() });
  stored = await media.store(PNG, 'image/png', 'vase.png');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mediaPublisher: an attached file at a URL Instagram can fetch', () => {
  it('serves the file under the tunnel’s public origin', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => TUNNEL });
    expect(stored.startsWith(MEDIA_PATH)).toBe(true);
    expect(await publisher.publish(stored)).toEqual({ ok: true, url: `${TUNNEL}${stored}` });
  });

  it('refuses while the tunnel is down in live mode: a real Instagram cannot reach this machine', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => null });
    expect(await publisher.publish(stored)).toEqual({
      ok: false,
      reason: {
        text: expect.stringContaining('public address (tunnel)') as unknown,
        detail: { key: 'sendError.mediaNeedsTunnel', vars: null },
      },
    });
  });

  it('in sandbox mode uses the local listener, which the emulator on this machine can reach', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => null, localPort: () => 4100 });
    expect(await publisher.publish(stored)).toEqual({
      ok: true,
      url: `http://127.0.0.1:4100${stored}`,
    });
  });

  it('prefers the tunnel over the local listener when both are there', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => TUNNEL, localPort: () => 4100 });
    expect(await publisher.publish(stored)).toEqual({ ok: true, url: `${TUNNEL}${stored}` });
  });

  it('refuses in sandbox mode while the local listener is not listening', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => null, localPort: () => null });
    expect(await publisher.publish(stored)).toMatchObject({
      ok: false,
      reason: { detail: { key: 'sendError.mediaNeedsTunnel' } },
    });
  });

  it('says the file is gone when it is no longer on this computer', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => TUNNEL });
    rmSync(dir, { recursive: true, force: true });
    expect(await publisher.publish(stored)).toEqual({
      ok: false,
      reason: {
        text: 'The attached file is no longer on this computer.',
        detail: { key: 'sendError.mediaMissing', vars: null },
      },
    });
  });

  it('never offers a path that is not an attachment Inlet stored', async () => {
    const publisher = mediaPublisher({ media, publicOrigin: () => TUNNEL });
    expect(await publisher.publish(`${MEDIA_PATH}../../archive.sqlite`)).toMatchObject({
      ok: false,
      reason: { detail: { key: 'sendError.mediaMissing' } },
    });
  });
});
