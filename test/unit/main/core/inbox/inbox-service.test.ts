import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { Archive } from '../../../../../main/core/archive/archive';
import { AppError } from '../../../../../main/core/errors';
import { createEventBus } from '../../../../../main/core/event-bus';
import type { InboxDeps, InboxService } from '../../../../../main/core/inbox/inbox-service';
import { untranslated } from '../../../../../shared/domain/failure-reason';
import { REPLY_WINDOW_MS } from '../../../../../shared/domain/reply-windows';
import {
  Outbox,
  RECONCILE_MESSAGES,
  type MessageSender,
  type SendOutcome,
} from '../../../../../main/core/inbox/outbox';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { inboxForTestAccount, senderForTestAccount } from './inbox-harness';
import { CUSTOMER_ID, IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';
import { quietReconciliation } from '../../../../fakes/reconciler';

const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;

/** A sender whose answers the test releases one by one. */
function controllableSender() {
  const calls: {
    accountId: string;
    recipientId: string;
    text: string;
    resolve: (outcome: SendOutcome) => void;
  }[] = [];
  const sender: MessageSender = {
    sendText: (accountId, recipientId, text) =>
      new Promise((resolve) => calls.push({ accountId, recipientId, text, resolve })),
    sendAttachment: (accountId, recipientId, attachment) =>
      new Promise((resolve) =>
        calls.push({ accountId, recipientId, text: attachment.path, resolve }),
      ),
  };
  return { sender, calls };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-inbox-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Lookup = InboxDeps['lookupProfile'];

function build(
  sender: MessageSender,
  clock = fixedClock(1773842751091 + 60_000),
  lookupProfile: Lookup = async () => null,
  keepPicture?: InboxDeps['keepPicture'],
) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const saved: EventPayload<'inbox:messageSaved'>[] = [];
  const conversationsSaved: EventPayload<'inbox:conversationSaved'>[] = [];
  events.on('inbox:messageSaved', (payload) => saved.push(payload));
  events.on('inbox:conversationSaved', (payload) => conversationsSaved.push(payload));
  const outbox = new Outbox({ archive, events, sender, logger, ...quietReconciliation() });
  const inbox = inboxForTestAccount({
    archive,
    events,
    outbox,
    clock,
    logger,
    lookupProfile,
    ...(keepPicture && { keepPicture }),
  });
  const sending = senderForTestAccount({ archive, events, outbox, clock, logger, dir });
  return { archive, inbox, sending, outbox, saved, conversationsSaved, logger, clock };
}

const deliver = (inbox: InboxService, body: string) => inbox.acceptDelivery(Buffer.from(body));

describe('InboxService', () => {
  it('stores an inbound message once, however often it is delivered', async () => {
    const { inbox, archive, saved } = build(controllableSender().sender);
    const body = textMessageBody({ mid: 'm1', text: 'Hi! Size M?' });
    void deliver(inbox, body);
    void deliver(inbox, body);
    await inbox.idle();
    expect(saved).toHaveLength(1);
    expect(saved[0]?.message).toMatchObject({
      mid: 'm1',
      direction: 'in',
      status: 'received',
      text: 'Hi! Size M?',
    });
    expect(saved[0]?.conversation).toMatchObject({
      id: CONVERSATION,
      unreadCount: 1,
      lastMessagePreview: 'Hi! Size M?',
    });
    expect(archive.deliveries.count()).toBe(2); // both raw bodies are kept
    const { messages } = await inbox.handlers['inbox:listMessages']({
      conversationId: CONVERSATION,
    });
    expect(messages).toHaveLength(1);
  });

  it('processes without waiting for fsync and leaves the connection at synchronous=FULL', async () => {
    const { inbox, archive, saved } = build(controllableSender().sender);
    const synchronous = () =>
      (archive.database.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
    const seen: number[] = [];
    const saveMessage = archive.inbound.saveMessage.bind(archive.inbound);
    archive.inbound.saveMessage = (incoming) => {
      seen.push(synchronous());
      return saveMessage(incoming);
    };
    await deliver(inbox, textMessageBody({ mid: 'm1', text: 'Hi' }));
    await inbox.idle();
    expect(saved).toHaveLength(1);
    expect(seen).toEqual([1]); // NORMAL while deriving rows from the durable delivery
    expect(synchronous()).toBe(2); // FULL again for everything else on the connection
    expect(archive.deliveries.unprocessed()).toEqual([]);
  });

  it('answers the ack once stored, before processing, which follows as one batch on a later turn', async () => {
    const { inbox, archive, saved } = build(controllableSender().sender);
    const order: string[] = [];
    const acks = ['m1', 'm2'].map((mid) =>
      deliver(inbox, textMessageBody({ mid, text: mid })).then(() => {
        order.push(`ack ${mid} (saved ${saved.length})`);
      }),
    );
    await Promise.all(acks);
    // Both deliveries of the group are durable and acknowledged; none is processed yet.
    expect(order).toEqual(['ack m1 (saved 0)', 'ack m2 (saved 0)']);
    expect(archive.deliveries.unprocessed()).toHaveLength(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(saved.map((event) => event.message.mid)).toEqual(['m1', 'm2']);
    await inbox.idle();
    expect(saved.map((event) => event.message.mid)).toEqual(['m1', 'm2']);
    expect(archive.deliveries.unprocessed()).toHaveLength(0);
  });

  it('skips events for accounts that are not connected, with a log line', async () => {
    const { inbox, saved, logger } = build(controllableSender().sender);
    void deliver(
      inbox,
      textMessageBody({ mid: 'm1', text: 'x' }).replaceAll(IG_ID, '17841499999999999'),
    );
    await inbox.idle();
    expect(saved).toEqual([]);
    expect(logger.lines.some((line) => line.message.includes('not connected'))).toBe(true);
  });

  it('keeps an unparseable delivery raw and carries on with the next one', async () => {
    const { inbox, saved, logger } = build(controllableSender().sender);
    void deliver(inbox, '{"broken":');
    void deliver(inbox, textMessageBody({ mid: 'm2', text: 'after' }));
    await inbox.idle();
    expect(saved.map((s) => s.message.mid)).toEqual(['m2']);
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('queues a reply, sends it, and recognises its echo by mid instead of adding a bubble', async () => {
    const { sender, calls } = controllableSender();
    const { sending, inbox, saved } = build(sender);
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'Hi' }));
    await inbox.idle();
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'Yes, M in beige',
    });
    expect(message.status).toBe('queued');
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toMatchObject([
      { accountId: IG_ID, recipientId: CUSTOMER_ID, text: 'Yes, M in beige' },
    ]);
    // The echo overtakes the Graph response: it must wait for the send to learn its mid.
    void deliver(inbox, textMessageBody({ mid: 'out-1', text: 'Yes, M in beige', echo: true }));
    calls[0]?.resolve({ ok: true, messageId: 'out-1' });
    await inbox.idle();
    const { messages } = await inbox.handlers['inbox:listMessages']({
      conversationId: CONVERSATION,
    });
    expect(messages.map((m) => [m.direction, m.status, m.mid])).toEqual([
      ['in', 'received', 'm1'],
      ['out', 'sent', 'out-1'],
    ]);
    expect(saved.map((s) => s.message.status)).toEqual(['received', 'queued', 'sending', 'sent']);
  });

  it('shows a message sent from the Instagram app as outgoing from another app', async () => {
    const { inbox } = build(controllableSender().sender);
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'Hi' }));
    void deliver(
      inbox,
      textMessageBody({
        mid: 'phone-1',
        text: 'typed on my phone',
        echo: true,
        at: 1773842751091 + 1000,
      }),
    );
    await inbox.idle();
    const { messages } = await inbox.handlers['inbox:listMessages']({
      conversationId: CONVERSATION,
    });
    expect(messages[1]).toMatchObject({ direction: 'out', isFromOtherApp: true, status: 'sent' });
  });

  it('marks a failed send with the reason and an unknown outcome as unknown', async () => {
    const { sender, calls } = controllableSender();
    const { sending, inbox, outbox } = build(sender);
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'Hi' }));
    await inbox.idle();
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'one' });
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'two' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1); // in order, one at a time per conversation
    calls[0]?.resolve({
      ok: false,
      outcome: 'failed',
      reason: untranslated('This person isn’t available right now.'),
    });
    await new Promise((resolve) => setImmediate(resolve));
    calls[1]?.resolve({
      ok: false,
      outcome: 'unknown',
      reason: untranslated('No answer from Instagram.'),
    });
    await outbox.drain();
    const { messages } = await inbox.handlers['inbox:listMessages']({
      conversationId: CONVERSATION,
    });
    expect(messages.slice(1).map((m) => [m.text, m.status, m.error?.text])).toEqual([
      ['one', 'failed', 'This person isn’t available right now.'],
      ['two', 'unknown', RECONCILE_MESSAGES.uncheckable('not scripted')],
    ]);
  });

  it('refuses to send outside the 24-hour window and for unknown conversations', async () => {
    const { sending, inbox, clock } = build(controllableSender().sender);
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'Hi', at: clock.now() - 1000 }));
    await inbox.idle();
    clock.advance(REPLY_WINDOW_MS);
    await expect(
      sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'late' }),
    ).rejects.toMatchObject({
      code: 'OUTSIDE_WINDOW',
      detail: { key: 'errorDetail.replyWindowClosed', vars: null },
    });
    await expect(
      sending.handlers['sending:sendText']({ conversationId: 'nope:1', text: 'x' }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(
      inbox.handlers['inbox:markRead']({ conversationId: 'nope:1' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      detail: { key: 'errorDetail.conversationMissing', vars: null },
    });
  });

  it('after a crash: processes stored-but-unprocessed deliveries and never resends a send that may have left', async () => {
    const first = build(controllableSender().sender);
    first.archive.deliveries.store(
      Buffer.from(textMessageBody({ mid: 'm1', text: 'stored before the crash' })),
      1,
    );
    void deliver(first.inbox, textMessageBody({ mid: 'm0', text: 'Hi' }));
    await first.inbox.idle();
    const queued = first.archive.outgoing.queue(CONVERSATION, 'never left', first.clock.now());
    const inFlight = first.archive.outgoing.queue(CONVERSATION, 'maybe left', first.clock.now());
    first.archive.outgoing.setStatus(inFlight.message.id, { status: 'sending' });
    first.archive.close();

    const { sender, calls } = controllableSender();
    const second = build(sender);
    await second.inbox.processPending();
    second.outbox.recover();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((call) => call.text)).toEqual(['never left']);
    expect(second.archive.queries.findMessage(inFlight.message.id)).toMatchObject({
      status: 'unknown',
    });
    expect(second.archive.queries.findMessage(queued.message.id)).toMatchObject({
      status: 'sending',
    });
    expect(second.archive.queries.findMessageByMid('m1')).toMatchObject({
      text: 'stored before the crash',
    });
  });

  it('pages conversations newest first and threads oldest first with keyset cursors', async () => {
    const { inbox } = build(controllableSender().sender);
    for (let i = 0; i < 5; i += 1) {
      void deliver(
        inbox,
        textMessageBody({ mid: `m${i}`, text: `t${i}`, at: 1773842751091 + i }).replaceAll(
          CUSTOMER_ID,
          `12849736017583${90 + i}`,
        ),
      );
    }
    await inbox.idle();
    const first = await inbox.handlers['inbox:listConversations']({ limit: 2 });
    expect(first.conversations.map((c) => c.lastMessagePreview)).toEqual(['t4', 't3']);
    const second = await inbox.handlers['inbox:listConversations']({
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.conversations.map((c) => c.lastMessagePreview)).toEqual(['t2', 't1']);
    const third = await inbox.handlers['inbox:listConversations']({
      limit: 2,
      cursor: second.nextCursor ?? undefined,
    });
    expect(third.conversations.map((c) => c.lastMessagePreview)).toEqual(['t0']);
    expect(third.nextCursor).toBeNull();
    // A cursor Inlet did not write is refused, never read as the first page again.
    await expect(
      inbox.handlers['inbox:listConversations']({ limit: 2, cursor: 'not-a-cursor' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      detail: { key: 'errorDetail.pageGone', vars: null },
    });
    await expect(
      inbox.handlers['inbox:listMessages']({
        conversationId: third.conversations[0]!.id,
        before: 'x',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('looks up a new customer once and updates the conversation in place', async () => {
    const asked: string[] = [];
    const { inbox, conversationsSaved } = build(
      controllableSender().sender,
      undefined,
      async (accountId, customerId) => {
        asked.push(`${accountId}/${customerId}`);
        return { username: 'lena.k', name: 'Lena K', pictureUrl: null };
      },
    );
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'a' }));
    void deliver(inbox, textMessageBody({ mid: 'm2', text: 'b' }));
    await inbox.idle();
    expect(asked).toEqual([`${IG_ID}/${CUSTOMER_ID}`]);
    expect(conversationsSaved).toHaveLength(1);
    expect(conversationsSaved[0]).toMatchObject({
      customerUsername: 'lena.k',
      customerName: 'Lena K',
    });
  });

  it('keeps the picture a lookup names, and asks again next run for a customer it already named', async () => {
    const asked: string[] = [];
    const kept: [string, string | null][] = [];
    const lookup: Lookup = async (_accountId, customerId) => {
      asked.push(customerId);
      return {
        username: 'lena.k',
        name: 'Lena K',
        pictureUrl: 'https://scontent.example/lena.jpg',
      };
    };
    const keepPicture = async (conversationId: string, url: string | null) => {
      kept.push([conversationId, url]);
      return true;
    };
    const { archive, inbox, conversationsSaved, logger, clock } = build(
      controllableSender().sender,
      undefined,
      lookup,
      keepPicture,
    );
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'a' }));
    await inbox.idle();
    expect(kept).toEqual([[CONVERSATION, 'https://scontent.example/lena.jpg']]);
    // Shown once named, and once more with the picture.
    expect(conversationsSaved).toHaveLength(2);

    // The next run: the link may have expired or changed, so the named customer is asked again.
    const events = createEventBus(logger);
    const outbox = new Outbox({
      archive,
      events,
      sender: controllableSender().sender,
      logger,
      ...quietReconciliation(),
    });
    const nextRun = inboxForTestAccount({
      archive,
      events,
      outbox,
      clock,
      logger,
      lookupProfile: lookup,
      keepPicture,
    });
    void deliver(nextRun, textMessageBody({ mid: 'm2', text: 'b' }));
    void deliver(nextRun, textMessageBody({ mid: 'm3', text: 'c' }));
    await nextRun.idle();
    expect(asked).toEqual([CUSTOMER_ID, CUSTOMER_ID]);
    expect(kept).toHaveLength(2);
  });

  it('keeps the IGSID when the profile cannot be read, without blocking messages', async () => {
    const { inbox, saved, conversationsSaved, logger } = build(
      controllableSender().sender,
      undefined,
      () => Promise.reject(new Error('boom')),
    );
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'a' }));
    await inbox.idle();
    expect(saved).toHaveLength(1);
    expect(conversationsSaved).toEqual([]);
    expect(logger.lines.some((line) => line.message.includes('profile lookup failed'))).toBe(true);
  });

  it('markRead clears the unread count', async () => {
    const { inbox } = build(controllableSender().sender);
    void deliver(inbox, textMessageBody({ mid: 'm1', text: 'a' }));
    void deliver(inbox, textMessageBody({ mid: 'm2', text: 'b' }));
    await inbox.idle();
    const before = await inbox.handlers['inbox:listConversations']({});
    expect(before.conversations[0]?.unreadCount).toBe(2);
    const { conversation } = await inbox.handlers['inbox:markRead']({
      conversationId: CONVERSATION,
    });
    expect(conversation.unreadCount).toBe(0);
  });
});
