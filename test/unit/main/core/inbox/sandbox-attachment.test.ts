import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSandbox } from '../../../../../main/sandbox/sandbox';
import { createCore } from '../../../../../main/core/create-core';
import type { Message } from '../../../../../shared/domain/schemas';
import { memoryKv } from '../../../../fakes/memory-kv';
import { memoryLogger } from '../../../../fakes/logger';
import { testCipher } from '../auth/auth-harness';

let dir: string;
let core: ReturnType<typeof createCore>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-sandbox-media-'));
  core = createCore({
    startSandbox,
    cipher: testCipher(),
    kv: memoryKv(),
    browser: { open: async () => undefined },
    notifier: { notify: () => undefined },
    clock: { now: () => Date.now() },
    fetch,
    logger: memoryLogger(),
    tunnel: {
      open: () => Promise.reject(new Error('no tunnel in this test')),
    },
    dataDir: dir,
    env: {},
    options: { sandbox: true, noTunnel: true, webhookPort: 0 },
  });
  await core.start();
});
afterEach(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The whole path in the sandbox: the file is kept, served under the webhook listener's origin,
 * fetched by the embedded emulator (which refuses the send if the download fails or is not an
 * image), and the message ends `sent`, confirmed once.
 */
it('an attached image goes out through the served URL and is confirmed once', async () => {
  const { conversations } = await core.handlers['inbox:listConversations']({ limit: 50 });
  const conversation = conversations.find((candidate) => candidate.lastInboundAt !== null)!;
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(512, 3)]);
  const { message } = await core.handlers['sending:sendAttachment']({
    conversationId: conversation.id,
    fileName: 'swatch.png',
    mimeType: 'image/png',
    dataBase64: png.toString('base64'),
  });
  const deadline = Date.now() + 10_000;
  let latest: Message | undefined;
  while (Date.now() < deadline) {
    const { messages } = await core.handlers['inbox:listMessages']({
      conversationId: conversation.id,
      limit: 50,
    });
    latest = messages.find((candidate) => candidate.id === message.id);
    if (latest?.status === 'sent' || latest?.status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(latest).toMatchObject({ status: 'sent', error: null });
  const { messages } = await core.handlers['inbox:listMessages']({
    conversationId: conversation.id,
    limit: 50,
  });
  // Its echo confirmed it instead of adding a bubble "from the Instagram app".
  expect(messages.filter((candidate) => candidate.mid === latest?.mid)).toHaveLength(1);
  expect(
    messages.filter((candidate) => candidate.isFromOtherApp && candidate.text === null),
  ).toEqual([]);
});
