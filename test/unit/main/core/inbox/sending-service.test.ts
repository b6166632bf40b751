import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus } from '../../../../../main/core/event-bus';
import type { GraphClient, SendBody } from '../../../../../main/core/graph/graph-client';
import type { GraphError } from '../../../../../main/core/graph/graph-errors';
import { graphRefusal } from '../../../../fakes/graph-refusal';
import { Outbox, type TextSendOptions } from '../../../../../main/core/inbox/outbox';
import {
  SendingService,
  TYPING_REFRESH_MS,
  type SendingDeps,
} from '../../../../../main/core/inbox/sending-service';
import { MediaStore } from '../../../../../main/core/archive/media-store';
import { MediaArchiver } from '../../../../../main/core/inbox/media-archiver';
import { HUMAN_AGENT_WINDOW_MS, REPLY_WINDOW_MS } from '../../../../../shared/domain/reply-windows';
import { MEDIA_PATH, OutgoingMedia } from '../../../../../main/core/inbox/outgoing-media';
import { fixedClock } from '../../../../fakes/clock';
import { memoryKv } from '../../../../fakes/memory-kv';
import { memoryLogger } from '../../../../fakes/logger';
import { quietReconciliation } from '../../../../fakes/reconciler';
import { inboxForTestAccount } from './inbox-harness';
import { CUSTOMER_ID, IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';

const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;
const RECEIVED_AT = 1773842751091;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-sending-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function build(
  options: {
    refuse?: (body: SendBody) => GraphError | null;
    keepSentCopy?: SendingDeps['keepSentCopy'];
  } = {},
) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const clock = fixedClock(RECEIVED_AT + 60_000);
  const texts: { text: string; options: TextSendOptions | undefined }[] = [];
  const outbox = new Outbox({
    archive,
    events,
    logger,
    clock,
    ...quietReconciliation(),
    sender: {
      sendText: async (_account, _recipient, text, sendOptions) => {
        texts.push({ text, options: sendOptions });
        return { ok: true, messageId: `out-${texts.length}` };
      },
      sendAttachment: async (_account, _recipient, attachment, sendOptions) => {
        texts.push({ text: `${attachment.type} ${attachment.path}`, options: sendOptions });
        return { ok: true, messageId: `out-${texts.length}` };
      },
    },
  });
  const inbox = inboxForTestAccount({ archive, events, outbox, clock, logger });
  const bodies: SendBody[] = [];
  const graph = {
    sendMessage: async (_token: string, _account: string, body: SendBody) => {
      const refusal = options.refuse?.(body) ?? null;
      if (refusal) throw refusal;
      bodies.push(body);
      return body.kind === 'private-reply'
        ? { recipientId: '952467318864215', messageId: 'pr-1' }
        : { recipientId: CUSTOMER_ID, messageId: null };
    },
  } as unknown as GraphClient;
  const kv = memoryKv();
  const sending = new SendingService({
    archive,
    events,
    outbox,
    graph,
    media: new OutgoingMedia({ dir: join(dir, 'media-out'), clock, logger }),
    ...(options.keepSentCopy && { keepSentCopy: options.keepSentCopy }),
    tokenFor: (id) => (id === IG_ID ? 'IGAAtoken' : null),
    isConnectedAccount: (id) => id === IG_ID,
    kv,
    clock,
    logger,
  });
  await inbox.acceptDelivery(Buffer.from(textMessageBody({ mid: 'in-1', text: 'Size M?' })));
  await inbox.idle();
  return { archive, outbox, inbox, sending, bodies, texts, clock, kv, logger };
}

describe('SendingService', () => {
  it('sends an inline reply through the outbox with the quoted mid, kept across retries', async () => {
    const { sending, outbox, archive, texts } = await build();
    const quoted = archive.queries.findMessageByMid('in-1')!;
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'Yes, M is in stock.',
      replyToMessageId: quoted.id,
    });
    expect(message.replyTo).toEqual({
      mid: 'in-1',
      text: 'Size M?',
      messageId: quoted.id,
      attachment: null,
    });
    await outbox.drain();
    expect(texts).toEqual([
      { text: 'Yes, M is in stock.', options: { replyToMid: 'in-1', tag: null } },
    ]);
    await expect(
      sending.handlers['sending:sendText']({
        conversationId: CONVERSATION,
        text: 'x',
        replyToMessageId: 'no-such-message',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('after 24 h refuses, unless HUMAN_AGENT is enabled and asked for; after 7 days always', async () => {
    const { sending, outbox, clock, texts } = await build();
    clock.set(RECEIVED_AT + 2 * 24 * 60 * 60 * 1000);
    const late = { conversationId: CONVERSATION, text: 'Sorry for the wait', humanAgent: true };
    await expect(sending.handlers['sending:sendText'](late)).rejects.toMatchObject({
      code: 'OUTSIDE_WINDOW',
      detail: { key: 'errorDetail.replyWindowClosed', vars: null },
    });
    expect(await sending.handlers['sending:setSettings']({ humanAgentEnabled: true })).toEqual({
      humanAgentEnabled: true,
    });
    await expect(
      sending.handlers['sending:sendText']({ ...late, humanAgent: false }),
    ).rejects.toMatchObject({
      code: 'OUTSIDE_WINDOW',
      message: /24 hours/,
    });
    await sending.handlers['sending:sendText'](late);
    await outbox.drain();
    expect(texts.at(-1)?.options).toEqual({ replyToMid: null, tag: 'HUMAN_AGENT' });

    clock.set(RECEIVED_AT + HUMAN_AGENT_WINDOW_MS + 1);
    await expect(sending.handlers['sending:sendText'](late)).rejects.toMatchObject({
      code: 'OUTSIDE_WINDOW',
      message: /7 days/,
      detail: { key: 'sendError.outsideHumanAgentWindow', vars: null },
    });
  });

  it('draws both windows at their exact edges: 24 h and 7 days after the customer’s last message', async () => {
    const { sending, outbox, clock, texts } = await build();
    const reply = (humanAgent: boolean) =>
      sending.handlers['sending:sendText']({
        conversationId: CONVERSATION,
        text: 'edge',
        humanAgent,
      });
    clock.set(RECEIVED_AT + REPLY_WINDOW_MS);
    await reply(false);
    clock.set(RECEIVED_AT + REPLY_WINDOW_MS + 1);
    await expect(reply(false)).rejects.toMatchObject({ code: 'OUTSIDE_WINDOW' });
    await sending.handlers['sending:setSettings']({ humanAgentEnabled: true });
    await reply(true);
    clock.set(RECEIVED_AT + HUMAN_AGENT_WINDOW_MS);
    await reply(true);
    await outbox.drain();
    expect(texts.map((sent) => sent.options?.tag)).toEqual([null, 'HUMAN_AGENT', 'HUMAN_AGENT']);
    clock.set(RECEIVED_AT + HUMAN_AGENT_WINDOW_MS + 1);
    await expect(reply(true)).rejects.toMatchObject({ code: 'OUTSIDE_WINDOW' });
  });

  it('keeps the setting across restarts and ignores a corrupt stored value', async () => {
    const { sending, kv } = await build();
    expect(await sending.handlers['sending:getSettings']()).toEqual({ humanAgentEnabled: false });
    kv.set('sending.settings', { humanAgentEnabled: 'yes' });
    expect(await sending.handlers['sending:getSettings']()).toEqual({ humanAgentEnabled: false });
    await sending.handlers['sending:setSettings']({ humanAgentEnabled: true });
    expect(kv.get('sending.settings')).toEqual({ humanAgentEnabled: true });
  });

  it('keeps an attached file and sends it through the outbox as one attachment message', async () => {
    const { sending, outbox, texts, archive } = await build();
    const { message } = await sending.handlers['sending:sendAttachment']({
      conversationId: CONVERSATION,
      fileName: 'price-list.pdf',
      mimeType: 'application/pdf',
      dataBase64: Buffer.from('%PDF-1.4 price list').toString('base64'),
    });
    expect(message).toMatchObject({ text: null, status: 'queued' });
    expect(message.attachments).toEqual([
      { type: 'file', url: message.attachments[0]?.url, title: 'price-list.pdf' },
    ]);
    expect(archive.queries.findConversation(CONVERSATION)?.lastMessagePreview).toBe('[file]');
    await outbox.drain();
    expect(texts).toEqual([
      { text: `file ${message.attachments[0]!.url}`, options: { tag: null } },
    ]);
    expect(archive.queries.findMessage(message.id)).toMatchObject({ status: 'sent', mid: 'out-1' });
    expect(message.attachments[0]!.url!.startsWith(MEDIA_PATH)).toBe(true);
  });

  it('keeps the archive’s own copy of a sent picture, which the thread shows', async () => {
    const store = new MediaStore(join(dir, 'archive.sqlite'));
    const logger = memoryLogger();
    const archiver = new MediaArchiver({
      store,
      dir: join(dir, 'media'),
      fetch: () => Promise.reject(new Error('no downloads here')),
      clock: fixedClock(RECEIVED_AT),
      logger,
      onArchived: () => undefined,
    });
    const { sending, outbox, texts } = await build({
      keepSentCopy: (sent, bytes, mimeType) =>
        archiver.keepSent({ ...sent, idx: 0 }, bytes, mimeType),
    });
    const png = Buffer.from('\x89PNG fake picture', 'latin1');
    const { message } = await sending.handlers['sending:sendAttachment']({
      conversationId: CONVERSATION,
      fileName: 'linen-shirt-beige.png',
      mimeType: 'image/png',
      dataBase64: png.toString('base64'),
    });
    const [attachment] = message.attachments;
    expect(attachment?.archivedUrl).toMatch(/^\/archive\/media\/[0-9a-f-]{36}\.png$/);
    const file = archiver.file(attachment!.archivedUrl!.slice('/archive/media/'.length));
    expect(file?.contentType).toBe('image/png');
    expect(readFileSync(file!.path).equals(png)).toBe(true);
    // Meta still fetches the served URL, not the archive's copy.
    await outbox.drain();
    expect(texts).toEqual([{ text: `image ${attachment!.url}`, options: { tag: null } }]);
    store.close();
  });

  it('sends the file even when its local copy cannot be kept', async () => {
    const { sending, logger } = await build({
      keepSentCopy: () => Promise.reject(new Error('disk full')),
    });
    const { message } = await sending.handlers['sending:sendAttachment']({
      conversationId: CONVERSATION,
      fileName: 'a.png',
      mimeType: 'image/png',
      dataBase64: Buffer.from('png').toString('base64'),
    });
    expect(message).toMatchObject({ status: 'queued' });
    expect(message.attachments[0]?.archivedUrl).toBeUndefined();
    expect(JSON.stringify(logger.lines)).toContain('disk full');
  });

  it('refuses a file Instagram cannot take, an oversized image and an empty file, storing nothing', async () => {
    const { sending, archive } = await build();
    const attach = (mimeType: string, bytes: number) =>
      sending.handlers['sending:sendAttachment']({
        conversationId: CONVERSATION,
        fileName: 'f',
        mimeType,
        dataBase64: Buffer.alloc(bytes, 1).toString('base64') || 'AA==',
      });
    await expect(attach('application/zip', 10)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /images, videos, audio and PDF/,
      detail: { key: 'errorDetail.attachmentTypeUnsupported', vars: null },
    });
    await expect(attach('image/png', 8 * 1024 * 1024 + 1)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /8 MB/,
      detail: { key: 'errorDetail.imageTooLarge', vars: { megabytes: 8 } },
    });
    await expect(attach('audio/mpeg', 25 * 1024 * 1024 + 1)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /files of this kind of at most 25 MB/,
      detail: { key: 'errorDetail.fileTooLarge', vars: { megabytes: 25 } },
    });
    await expect(
      sending.handlers['sending:sendAttachment']({
        conversationId: CONVERSATION,
        fileName: 'f',
        mimeType: 'image/png',
        dataBase64: '',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The file is empty.',
      detail: { key: 'errorDetail.fileEmpty', vars: null },
    });
    expect(archive.queries.findConversation(CONVERSATION)?.lastMessagePreview).toBe('Size M?');
    expect(existsSync(join(dir, 'media-out'))).toBe(false);
  });

  it('refuses an attachment outside the window like a text', async () => {
    const { sending, clock } = await build();
    clock.set(RECEIVED_AT + REPLY_WINDOW_MS + 1);
    await expect(
      sending.handlers['sending:sendAttachment']({
        conversationId: CONVERSATION,
        fileName: 'a.png',
        mimeType: 'image/png',
        dataBase64: 'iVBORw0KGgo=',
      }),
    ).rejects.toMatchObject({ code: 'OUTSIDE_WINDOW' });
  });

  it('reacts with love and records the business reaction (no webhook comes for it); unreact clears it', async () => {
    const { sending, archive, bodies } = await build();
    const target = archive.queries.findMessageByMid('in-1')!;
    const { message } = await sending.handlers['sending:react']({ messageId: target.id });
    expect(bodies.at(-1)).toEqual({
      kind: 'reaction',
      recipientId: CUSTOMER_ID,
      messageId: 'in-1',
      reaction: 'love',
    });
    expect(message.reactions).toEqual([{ by: 'business', emoji: '❤️' }]);
    const after = await sending.handlers['sending:unreact']({ messageId: target.id });
    expect(bodies.at(-1)).toMatchObject({ kind: 'unreaction', messageId: 'in-1' });
    expect(after.message.reactions).toEqual([]);
  });

  it('reports a refused reaction in the owner’s words and records nothing', async () => {
    const { sending, archive } = await build({ refuse: () => graphRefusal(551, 1545041) });
    const target = archive.queries.findMessageByMid('in-1')!;
    await expect(sending.handlers['sending:react']({ messageId: target.id })).rejects.toMatchObject(
      {
        message: /isn’t available/,
        detail: { key: 'sendError.recipientUnavailable', vars: null },
      },
    );
    expect(archive.queries.findMessage(target.id)?.reactions).toEqual([]);
  });

  it('throttles typing_on, sends typing_off once, and stays quiet outside the window', async () => {
    const { sending, bodies, clock } = await build();
    const typing = (isTyping: boolean) =>
      sending.handlers['sending:setTyping']({ conversationId: CONVERSATION, isTyping });
    expect(await typing(true)).toEqual({ sent: true });
    expect(await typing(true)).toEqual({ sent: false });
    clock.advance(TYPING_REFRESH_MS);
    expect(await typing(true)).toEqual({ sent: true });
    expect(await typing(false)).toEqual({ sent: true });
    expect(await typing(false)).toEqual({ sent: false });
    expect(bodies.map((body) => body.kind === 'sender-action' && body.action)).toEqual([
      'typing_on',
      'typing_on',
      'typing_off',
    ]);
    clock.advance(2 * 24 * 60 * 60 * 1000);
    expect(await typing(true)).toEqual({ sent: false });
  });

  it('sends mark_seen, and a private reply to a comment with its id as the recipient', async () => {
    const { sending, archive, bodies } = await build();
    sending.markSeen(archive.queries.findConversation(CONVERSATION)!);
    await new Promise((resolve) => setImmediate(resolve));
    expect(bodies.at(-1)).toMatchObject({ kind: 'sender-action', action: 'mark_seen' });
    expect(
      await sending.privateReply({
        accountId: IG_ID,
        commentId: '17867301270523379',
        text: 'Sent you the price list!',
      }),
    ).toEqual({ recipientId: '952467318864215', mid: 'pr-1' });
    expect(bodies.at(-1)).toEqual({
      kind: 'private-reply',
      commentId: '17867301270523379',
      text: 'Sent you the price list!',
    });
  });

  it('says why a second private reply to a comment is refused (2534025)', async () => {
    const { sending } = await build({
      refuse: (body) => (body.kind === 'private-reply' ? graphRefusal(10, 2534025) : null),
    });
    await expect(
      sending.privateReply({ accountId: IG_ID, commentId: '1', text: 'again' }),
    ).rejects.toMatchObject({
      code: 'GRAPH_ERROR',
      message: /only one is allowed/,
      detail: { key: 'sendError.privateReplyUnavailable', vars: null },
    });
    await expect(
      sending.privateReply({ accountId: '17841400000000009', commentId: '1', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
      detail: { key: 'errorDetail.accountNotConnected', vars: null },
    });
  });
});
