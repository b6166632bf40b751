import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../../../shared/domain/schemas';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus } from '../../../../../main/core/event-bus';
import {
  afterCatalogue,
  catalogueInbox,
  NEVER_ANSWERING_SENDER,
  senderForTestAccount,
} from './inbox-harness';
import type { InboxService } from '../../../../../main/core/inbox/inbox-service';
import type { MessageSender, SendOutcome } from '../../../../../main/core/inbox/outbox';
import { memoryLogger } from '../../../../fakes/logger';
import { PLAIN_MESSAGE_DETAILS } from '../../../../fakes/messages';
import {
  CATALOGUE,
  COMMENT_TEMPLATE_BODY,
  CUSTOMER_ID,
  DASHBOARD_TEST_BODY,
  IG_ID,
  catalogueAt,
  catalogueMid,
  messagingBody,
  textMessageBody,
} from '../../../../fakes/webhook-bodies';

const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;
const KEYS = Object.keys(CATALOGUE).sort();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-events-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function build(sender: MessageSender = NEVER_ANSWERING_SENDER) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const saved: EventPayload<'inbox:messageSaved'>[] = [];
  events.on('inbox:messageSaved', (payload) => saved.push(payload));
  const { outbox, inbox } = catalogueInbox({ archive, events, logger, sender });
  const sending = senderForTestAccount({
    archive,
    events,
    outbox,
    clock: afterCatalogue(),
    logger,
    dir,
  });
  return { archive, inbox, sending, saved, logger };
}

async function deliverAll(inbox: InboxService, bodies: string[]): Promise<void> {
  for (const body of bodies) void inbox.acceptDelivery(Buffer.from(body));
  await inbox.idle();
}

const body = (key: string) => CATALOGUE[key]?.body ?? '';

/** Everything the renderer sees of a message except the random local id. */
/** A message without its local ids, which are random per archive; a quote keeps whether it has one. */
const visible = ({ id: _id, replyTo, ...message }: Message) => ({
  ...message,
  replyTo: replyTo && { ...replyTo, messageId: replyTo.messageId !== null },
});

async function thread(inbox: InboxService) {
  const { messages } = await inbox.handlers['inbox:listMessages']({ conversationId: CONVERSATION });
  return messages;
}

describe('InboxService applies every event kind', () => {
  it('turns the whole catalogue into the thread the owner should see', async () => {
    const { inbox, archive, saved } = build();
    await deliverAll(inbox, KEYS.map(body));
    const messages = await thread(inbox);
    const byKey = new Map(messages.map((message) => [message.mid, message]));
    const get = (key: string) => byKey.get(catalogueMid(key));

    expect(messages.map((message) => message.mid?.slice(-2))).toEqual([
      ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'],
      ...['13', '14', '15', '16', '17', '18', '20', '21', '30'],
      expect.any(String), // [31] the context-only referral, under a synthetic id
      '35',
    ]);
    expect(get('01')).toMatchObject({
      text: 'Hi! Do you still have the linen shirt in size L?', // [23] applied, [24] blanked nothing
      editCount: 1,
    });
    expect(get('03')).toMatchObject({ isDeleted: true }); // [19]
    expect(get('12')?.story).toEqual({
      kind: 'mention',
      url: expect.stringContaining('112') as string,
    });
    expect(get('13')?.story).toEqual({
      kind: 'reply',
      url: expect.stringContaining('113') as string,
    });
    expect(get('14')?.replyTo).toEqual({
      mid: catalogueMid('01'),
      text: 'Hi! Do you still have the linen shirt in size L?',
      messageId: get('01')?.id,
      attachment: null,
    });
    expect(get('15')?.context).toEqual({ kind: 'quick_reply', payload: 'SIZE_M' });
    expect(get('16')?.context).toMatchObject({ kind: 'referral', adId: '120214567390870123' });
    expect([get('17')?.isUnsupported, get('18')?.isUnsupported]).toEqual([true, true]);
    expect(get('20')).toMatchObject({
      direction: 'out',
      isFromOtherApp: true,
      status: 'sent',
      reactions: [], // [25] ❤️, [26] 🔥 replaced it, [27] unreact cleared it
      seenAt: catalogueAt('28'),
    });
    expect(get('21')?.seenAt).toBe(catalogueAt('29')); // the minimal read without sender
    expect(get('30')).toMatchObject({
      direction: 'in',
      text: 'Where is my order?',
      context: { kind: 'postback', payload: 'ICEBREAKER_ORDER_STATUS' },
    });
    expect(messages.at(-2)).toMatchObject({
      text: null,
      at: catalogueAt('31'),
      context: { kind: 'referral', ref: 'newsletter_march' },
    });
    expect(get('02')).toMatchObject(PLAIN_MESSAGE_DETAILS);

    const { conversations } = await inbox.handlers['inbox:listConversations']({});
    expect(conversations).toEqual([
      expect.objectContaining({
        id: CONVERSATION,
        lastMessageAt: catalogueAt('35'),
        lastMessagePreview: 'Hello? Anyone there?',
        lastInboundAt: catalogueAt('35'),
        unreadCount: 20, // [01]–[18], the postback and the standby message; not the referral
      }),
    ]); // [22] (is_self) made no conversation of its own

    expect(archive.comments.list({ accountId: IG_ID }).map((c) => [c.id, c.isSelf])).toEqual([
      ['17867301270523379', false],
      ['17871129034456180', false],
      ['17999912345678901', true],
      ['17855501234567890', false],
    ]);
    // 23 new messages, 1 edit ([24] changed nothing), 1 unsend, 3 reactions, 2 newly seen
    expect(saved).toHaveLength(30);
    expect(archive.deliveries.count()).toBe(39);
  });

  it('reaches the same state from reversed, duplicated deliveries', async () => {
    const forward = build();
    await deliverAll(forward.inbox, KEYS.map(body));
    const expected = (await thread(forward.inbox)).map(visible);
    const expectedConversations = await forward.inbox.handlers['inbox:listConversations']({});
    forward.archive.close();
    rmSync(join(dir, 'archive.sqlite'));

    const shuffled = build();
    const reversed = [...KEYS].reverse().map(body);
    await deliverAll(shuffled.inbox, [...reversed, ...reversed.slice(0, 20), ...KEYS.map(body)]);
    expect((await thread(shuffled.inbox)).map(visible)).toEqual(expected);
    expect(await shuffled.inbox.handlers['inbox:listConversations']({})).toEqual(
      expectedConversations,
    );
    expect(shuffled.archive.comments.list({ accountId: IG_ID })).toHaveLength(4);
  });

  it('emits the updated message, not a new one, for reactions, edits, unsends and reads', async () => {
    const { inbox, saved } = build();
    await deliverAll(inbox, [body('01'), body('20')]);
    saved.length = 0;
    await deliverAll(inbox, [
      body('25'),
      body('25'),
      body('23'),
      body('23'),
      body('28'),
      body('28'),
    ]);
    expect(saved.map(({ message }) => message.mid?.slice(-2))).toEqual(['20', '01', '20']);
    expect(saved[0]?.message.reactions).toEqual([{ by: 'customer', emoji: '❤️' }]);
    expect(saved[1]?.message).toMatchObject({
      editCount: 1,
      text: expect.stringContaining('L?') as string,
    });
    expect(saved[2]?.message.seenAt).toBe(catalogueAt('28'));
    for (const { conversation } of saved) {
      // none of them moves the conversation, the unread count or the reply window
      expect(conversation).toMatchObject({
        lastMessageAt: catalogueAt('20'),
        unreadCount: 1,
        lastInboundAt: catalogueAt('01'),
      });
    }
    await deliverAll(inbox, [body('19')]);
    expect(saved).toHaveLength(3); // [19] unsends [03], never archived here: kept for later
  });

  it('shows a messaging kind it does not know as one unsupported line, without unread or reply window', async () => {
    const { inbox, archive } = build();
    await deliverAll(inbox, [body('01')]);
    const unknown = messagingBody([
      {
        sender: { id: CUSTOMER_ID },
        recipient: { id: IG_ID },
        timestamp: catalogueAt('40'),
        brand_new_kind: { detail: 'café / x' },
      },
    ]);
    // Meta retries and duplicates: the same event collapses onto one row.
    await deliverAll(inbox, [unknown, unknown]);
    const messages = await thread(inbox);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({
      mid: expect.stringMatching(/^unsupported:/) as string,
      direction: 'in',
      text: null,
      isUnsupported: true,
      at: catalogueAt('40'),
    });
    expect((await inbox.handlers['inbox:listConversations']({})).conversations[0]).toMatchObject({
      unreadCount: 1,
      lastInboundAt: catalogueAt('01'),
    });
    // The raw delivery is archived for a later version that understands the kind.
    expect(archive.deliveries.count()).toBe(3);
  });

  it('lets the conversation preview follow an edit or unsend of the newest message', async () => {
    const { inbox } = build();
    const preview = async () =>
      (await inbox.handlers['inbox:listConversations']({})).conversations[0]?.lastMessagePreview;
    await deliverAll(inbox, [body('01'), body('23')]);
    expect(await preview()).toBe('Hi! Do you still have the linen shirt in size L?');
    await deliverAll(inbox, [
      messagingBody([
        {
          sender: { id: CUSTOMER_ID },
          recipient: { id: IG_ID },
          timestamp: catalogueAt('40'),
          message: { mid: catalogueMid('01'), is_deleted: true },
        },
      ]),
    ]);
    expect(await preview()).toBe('[unsent]');
  });

  it('restarts the reply window for postbacks, quick replies and story replies, not for echoes', async () => {
    const { inbox } = build();
    const window = async () =>
      (await inbox.handlers['inbox:listConversations']({})).conversations[0];
    await deliverAll(inbox, [body('01'), body('20')]);
    expect(await window()).toMatchObject({ lastInboundAt: catalogueAt('01'), unreadCount: 1 });
    await deliverAll(inbox, [body('31')]);
    expect(await window()).toMatchObject({ lastInboundAt: catalogueAt('01'), unreadCount: 1 });
    for (const key of ['13', '15', '30']) {
      await deliverAll(inbox, [body(key)]);
      expect(await window()).toMatchObject({ lastInboundAt: catalogueAt(key) });
    }
    expect((await window())?.unreadCount).toBe(4);
  });

  it('applies a reaction and a read that overtook the Graph answer to Inlet’s own send', async () => {
    const calls: ((outcome: SendOutcome) => void)[] = [];
    const { inbox, sending, saved } = build({
      sendText: () => new Promise((resolve) => calls.push(resolve)),
      sendAttachment: () => new Promise((resolve) => calls.push(resolve)),
    });
    await deliverAll(inbox, [body('01')]);
    await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'Yes, in L too',
    });
    await new Promise((resolve) => setImmediate(resolve));
    const early = (event: object) =>
      messagingBody([
        {
          sender: { id: CUSTOMER_ID },
          recipient: { id: IG_ID },
          timestamp: catalogueAt('39') + 5,
          ...event,
        },
      ]);
    void inbox.acceptDelivery(
      Buffer.from(early({ reaction: { mid: 'out-1', action: 'react', emoji: '👍' } })),
    );
    void inbox.acceptDelivery(Buffer.from(early({ read: { mid: 'out-1' } })));
    await new Promise((resolve) => setImmediate(resolve));
    calls[0]?.({ ok: true, messageId: 'out-1' });
    await inbox.idle();
    const sent = (await thread(inbox)).at(-1);
    expect(sent).toMatchObject({
      mid: 'out-1',
      status: 'sent',
      reactions: [{ by: 'customer', emoji: '👍' }],
      seenAt: catalogueAt('39') + 5,
    });
    expect(saved.at(-1)?.message).toEqual(sent);
  });

  it('keeps edits, reactions and reads for a message it has not seen yet, then applies them', async () => {
    const { inbox, saved } = build();
    await deliverAll(inbox, [body('23'), body('24'), body('25'), body('29')]);
    expect(saved).toEqual([]);
    expect((await inbox.handlers['inbox:listConversations']({})).conversations).toEqual([]);
    await deliverAll(inbox, [body('01'), body('20'), body('21')]);
    const messages = await thread(inbox);
    expect(
      messages.map((m) => [m.editCount, m.text?.slice(-3) ?? null, m.reactions, m.seenAt]),
    ).toEqual([
      [1, ' L?', [], null],
      [0, 'vy.', [{ by: 'customer', emoji: '❤️' }], catalogueAt('29')],
      [0, null, [], catalogueAt('29')],
    ]);
  });

  it('creates nothing for the dashboard test payload, and skips other accounts’ comments', async () => {
    const { inbox, archive, logger } = build();
    await deliverAll(inbox, [
      DASHBOARD_TEST_BODY,
      body('36').replaceAll(IG_ID, '17841499999999999'),
      COMMENT_TEMPLATE_BODY,
    ]);
    expect((await inbox.handlers['inbox:listConversations']({})).conversations).toEqual([]);
    expect(archive.comments.list({ accountId: '17841499999999999' })).toEqual([]);
    expect(archive.comments.list({ accountId: IG_ID }).map((c) => c.text)).toEqual([
      'Template form',
    ]);
    expect(logger.lines.map((line) => line.fields?.reason ?? line.message)).toEqual(
      expect.arrayContaining(['dashboard test event', expect.stringContaining('not connected')]),
    );
  });

  it('keeps everything across a restart and reprocesses nothing twice', async () => {
    const first = build();
    await deliverAll(first.inbox, KEYS.map(body));
    const before = await thread(first.inbox);
    const comments = first.archive.comments.list({ accountId: IG_ID });
    first.archive.close();

    const second = build();
    await second.inbox.processPending();
    expect(await thread(second.inbox)).toEqual(before);
    expect(second.archive.comments.list({ accountId: IG_ID })).toEqual(comments);
    await deliverAll(second.inbox, [body('01'), body('25'), body('36')]);
    // a duplicate message, a reaction older than the stored unreact [27], a duplicate comment
    expect(second.saved).toEqual([]);
    expect(second.archive.comments.list({ accountId: IG_ID })).toHaveLength(4);
  });

  it('logs and keeps raw the kinds it does not show (opt-in, handover)', async () => {
    const { inbox, saved, logger } = build();
    await deliverAll(inbox, [body('32'), body('33'), body('34')]);
    expect(saved).toEqual([]);
    expect(logger.lines.map((line) => line.fields?.reason)).toEqual([
      'optin (kept raw, not shown)',
      'pass_thread_control (kept raw, not shown)',
      'take_thread_control (kept raw, not shown)',
    ]);
  });

  it('stores the same inbound message once whether retried or echoed', async () => {
    const { inbox, saved } = build();
    const echo = textMessageBody({ mid: catalogueMid('01'), text: 'x', echo: true });
    await deliverAll(inbox, [body('01'), body('01'), echo]);
    expect(saved).toHaveLength(1);
  });
});
