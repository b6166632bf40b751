import { expect, it } from 'vitest';
import type { Message } from '../../../../../shared/domain/schemas';
import { sandboxCorePerTest } from '../sandbox-core';

const sandbox = sandboxCorePerTest('inlet-sandbox-media-');

/**
 * The whole path in the sandbox: the file is kept, served under the webhook listener's origin,
 * fetched by the embedded emulator (which refuses the send if the download fails or is not an
 * image), and the message ends `sent`, confirmed once.
 */
it('an attached image goes out through the served URL and is confirmed once', async () => {
  const { conversations } = await sandbox.core.handlers['inbox:listConversations']({ limit: 50 });
  const conversation = conversations.find((candidate) => candidate.lastInboundAt !== null)!;
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(512, 3)]);
  const { message } = await sandbox.core.handlers['sending:sendAttachment']({
    conversationId: conversation.id,
    fileName: 'swatch.png',
    mimeType: 'image/png',
    dataBase64: png.toString('base64'),
  });
  const deadline = Date.now() + 10_000;
  let latest: Message | undefined;
  while (Date.now() < deadline) {
    const { messages } = await sandbox.core.handlers['inbox:listMessages']({
      conversationId: conversation.id,
      limit: 50,
    });
    latest = messages.find((candidate) => candidate.id === message.id);
    if (latest?.status === 'sent' || latest?.status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(latest).toMatchObject({ status: 'sent', error: null });
  const { messages } = await sandbox.core.handlers['inbox:listMessages']({
    conversationId: conversation.id,
    limit: 50,
  });
  // Its echo confirmed it instead of adding a bubble "from the Instagram app".
  expect(messages.filter((candidate) => candidate.mid === latest?.mid)).toHaveLength(1);
  expect(
    messages.filter((candidate) => candidate.isFromOtherApp && candidate.text === null),
  ).toEqual([]);
});
