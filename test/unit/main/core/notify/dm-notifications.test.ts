import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Message } from '../../../../../shared/domain/schemas';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus, type EventBus } from '../../../../../main/core/event-bus';
import {
  DmNotifications,
  BURST_MS,
  FRESH_MS,
  unreadConversationCount,
} from '../../../../../main/core/notify/dm-notifications';
import { MAX_BODY_CHARS } from '../../../../../main/core/notify/notification-text';
import type { Notifier, UnreadText } from '../../../../../main/core/ports';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { memoryKv } from '../../../../fakes/memory-kv';
import { PLAIN_MESSAGE_DETAILS } from '../../../../fakes/messages';

/** A notifier that remembers what it showed and lets the test click it. */
function fakeNotifier() {
  const shown: { title: string; body: string; click: () => void }[] = [];
  const badges: number[] = [];
  const texts: UnreadText[] = [];
  const notifier: Notifier & { shown: typeof shown; badges: number[]; texts: UnreadText[] } = {
    shown,
    badges,
    texts,
    notify: (title, body, onClick) => void shown.push({ title, body, click: () => onClick?.() }),
    setBadgeCount: (count, text) => {
      badges.push(count);
      texts.push(text);
    },
  };
  return notifier;
}

const clock = fixedClock();
const conversation = (overrides: Partial<Conversation> = {}): Conversation => ({
  id: '17841400000000001:9001',
  accountId: '17841400000000001',
  customerId: '9001',
  customerUsername: 'lena.k',
  customerName: 'Lena',
  customerPictureUrl: null,
  lastMessageAt: clock.now(),
  lastMessagePreview: 'Hi',
  lastInboundAt: clock.now(),
  unreadCount: 1,
  sendProblem: null,
  ...overrides,
});
let nextId = 1;
const message = (overrides: Partial<Message> = {}): Message => ({
  ...PLAIN_MESSAGE_DETAILS,
  id: `m${nextId++}`,
  mid: `mid${nextId}`,
  conversationId: '17841400000000001:9001',
  direction: 'in',
  text: 'Is the linen shirt back in stock?',
  attachments: [],
  at: clock.now(),
  status: 'received',
  error: null,
  isFromOtherApp: false,
  ...overrides,
});

let events: EventBus;
let notifier: ReturnType<typeof fakeNotifier>;
let kv: ReturnType<typeof memoryKv>;
let logger: ReturnType<typeof memoryLogger>;
let unread: number;
let service: DmNotifications;

beforeEach(() => {
  logger = memoryLogger();
  events = createEventBus(logger);
  notifier = fakeNotifier();
  kv = memoryKv();
  unread = 0;
  service = new DmNotifications({
    events,
    notifier,
    kv,
    clock,
    logger,
    unreadConversations: () => unread,
  });
});

afterEach(() => {
  service.close();
  vi.useRealTimers();
});

const receive = (m: Message = message(), c: Conversation = conversation()) =>
  events.emit('inbox:messageSaved', { message: m, conversation: c });

describe('DM notifications', () => {
  it('shows a new message from a customer, titled with who wrote', () => {
    receive();
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'lena.k', body: 'Is the linen shirt back in stock?' },
    ]);
  });

  it('tells the browser UI about each notification it shows, and about no other message', async () => {
    const raised: unknown[] = [];
    events.on('notifications:raised', (payload) => raised.push(payload));
    receive();
    receive(message({ direction: 'out', status: 'sent' }));
    await service.handlers['notifications:setPresence']({
      conversationId: '17841400000000001:9001',
      language: 'en',
    });
    receive(); // on screen
    expect(raised).toEqual([
      {
        conversationId: '17841400000000001:9001',
        title: 'lena.k',
        body: 'Is the linen shirt back in stock?',
      },
    ]);
  });

  it('opens the conversation when the notification is clicked', () => {
    const opened: string[] = [];
    events.on('notifications:opened', ({ conversationId }) => opened.push(conversationId));
    receive();
    notifier.shown[0]?.click();
    expect(opened).toEqual(['17841400000000001:9001']);
  });

  it('stays quiet for the owner’s own replies, edits, unsends, reactions and old history', () => {
    receive(message({ direction: 'out', status: 'sent' }));
    receive(message({ editCount: 1 }));
    receive(message({ isDeleted: true }));
    receive(message({ at: clock.now() - FRESH_MS - 1 }));
    const first = message();
    receive(first);
    // The same message saved again with a reaction on it is not a second DM.
    receive({ ...first, reactions: [{ emoji: '❤️', by: 'customer' }] });
    expect(notifier.shown).toHaveLength(1);
  });

  it('stays quiet when the conversation is on screen, and rings again once it is not', async () => {
    await service.handlers['notifications:setPresence']({
      conversationId: conversation().id,
      language: 'en',
    });
    receive();
    expect(notifier.shown).toHaveLength(0);
    await service.handlers['notifications:setPresence']({ conversationId: null, language: 'en' });
    receive();
    expect(notifier.shown).toHaveLength(1);
  });

  it('rings for another conversation while one is on screen', async () => {
    await service.handlers['notifications:setPresence']({
      conversationId: 'other',
      language: 'en',
    });
    receive();
    expect(notifier.shown).toHaveLength(1);
  });

  it('mutes one account, remembers it, and unmutes it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect(await service.handlers['notifications:getSettings']()).toEqual({ mutedAccountIds: [] });
    expect(
      await service.handlers['notifications:setMuted']({
        accountId: '17841400000000001',
        isMuted: true,
      }),
    ).toEqual({ mutedAccountIds: ['17841400000000001'] });
    receive();
    receive(message(), conversation({ id: '17841400000000002:1', accountId: '17841400000000002' }));
    expect(notifier.shown).toHaveLength(1); // only the other account
    expect(kv.data.get('notifications')).toEqual({ mutedAccountIds: ['17841400000000001'] });
    await service.handlers['notifications:setMuted']({
      accountId: '17841400000000001',
      isMuted: false,
    });
    await vi.advanceTimersByTimeAsync(BURST_MS); // past the burst window of the first one
    receive();
    expect(notifier.shown).toHaveLength(2);
  });

  it('reads unreadable stored settings as "nothing muted" and says so in the log', async () => {
    kv.set('notifications', { mutedAccountIds: 'everything' });
    expect(await service.handlers['notifications:getSettings']()).toEqual({ mutedAccountIds: [] });
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('writes in the language the renderer uses, and says what a message without text is', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await service.handlers['notifications:setPresence']({ conversationId: null, language: 'de' });
    receive(
      message({
        text: null,
        attachments: [{ type: 'image', url: 'https://cdn.example/a.jpg', title: null }],
      }),
      conversation({ customerUsername: null, customerName: null }),
    );
    receive(message({ text: null, story: { kind: 'mention', url: null } }));
    await vi.advanceTimersByTimeAsync(BURST_MS); // one held message is shown as itself
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Instagram-Kunde', body: 'Hat einen Anhang gesendet' },
      { title: 'lena.k', body: 'Hat dich in der Story erwähnt' },
    ]);
  });

  it('rings once for a burst, then once with a summary of what it held, click opening the newest', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const opened: string[] = [];
    events.on('notifications:opened', ({ conversationId }) => opened.push(conversationId));
    for (let index = 0; index < 50; index += 1) {
      const customer = index % 5;
      receive(
        message({ id: `burst-${index}` }),
        conversation({
          id: `17841400000000001:${customer}`,
          customerUsername: `customer.${customer}`,
        }),
      );
    }
    expect(notifier.shown).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(BURST_MS);
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'customer.0', body: 'Is the linen shirt back in stock?' },
      { title: '49 new messages', body: 'customer.1, customer.2, customer.3, …' },
    ]);
    notifier.shown[1]?.click();
    expect(opened).toEqual(['17841400000000001:4']);
    await vi.advanceTimersByTimeAsync(BURST_MS * 3); // nothing held: the window closes quietly
    expect(notifier.shown).toHaveLength(2);
    receive(message({ id: 'later' }));
    expect(notifier.shown).toHaveLength(3); // a new message after the burst rings at once
  });

  it('shortens a long message without splitting an emoji', () => {
    receive(message({ text: '😀'.repeat(MAX_BODY_CHARS + 5) }));
    const body = notifier.shown[0]?.body ?? '';
    expect(Array.from(body)).toHaveLength(MAX_BODY_CHARS);
    expect(body.endsWith('😀…')).toBe(true);
  });

  it('keeps working when the desktop refuses to show a notification', () => {
    notifier.notify = () => {
      throw new Error('no notification daemon');
    };
    expect(() => receive()).not.toThrow();
    expect(logger.lines.map((line) => line.message)).toContain('could not show a notification');
  });

  it('keeps the badge at the number of unread conversations, counted once per turn', async () => {
    expect(notifier.badges).toEqual([0]);
    unread = 2;
    receive();
    events.emit('inbox:conversationSaved', conversation());
    expect(notifier.badges).toEqual([0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(notifier.badges).toEqual([0, 2]);
    unread = 1;
    service.refreshBadge();
    expect(notifier.badges).toEqual([0, 2, 1]);
  });

  it("describes the unread count in the renderer's language, again when the language changes", async () => {
    expect(notifier.texts[0]).toMatchObject({
      description: 'No unread messages',
      open: 'Open Inlet',
      quit: 'Quit Inlet',
      keptRunning: { title: 'Inlet is still running' },
    });
    unread = 1;
    service.refreshBadge();
    expect(notifier.texts.at(-1)?.description).toBe('1 unread conversation');
    unread = 1234;
    await service.handlers['notifications:setPresence']({ conversationId: null, language: 'de' });
    expect(notifier.badges.at(-1)).toBe(1234);
    expect(notifier.texts.at(-1)).toMatchObject({
      description: '1.234 ungelesene Unterhaltungen',
      open: 'Inlet öffnen',
      quit: 'Inlet beenden',
      keptRunning: { title: 'Inlet läuft weiter' },
    });
    await service.handlers['notifications:setPresence']({ conversationId: 'x', language: 'de' });
    expect(notifier.badges).toHaveLength(3); // same count, same language: left alone
  });

  it('keeps going when the desktop refuses the badge', () => {
    notifier.setBadgeCount = () => {
      throw new Error('no taskbar');
    };
    unread = 4;
    expect(() => service.refreshBadge()).not.toThrow();
    expect(logger.lines.map((line) => line.message)).toContain('could not set the unread badge');
  });
});

describe('unreadConversationCount', () => {
  it('counts conversations with unread messages in the archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inlet-notify-'));
    const archive = new Archive(join(dir, 'archive.sqlite'));
    try {
      const count = unreadConversationCount(archive.database);
      expect(count()).toBe(0);
      for (const customerId of ['1', '2']) {
        archive.inbound.saveMessage({
          accountId: '17841400000000001',
          customerId,
          mid: `mid-${customerId}`,
          direction: 'in',
          text: 'hello',
          attachments: [],
          at: clock.now(),
          isFromOtherApp: false,
          deliveryId: null,
          replyToMid: null,
          story: null,
          context: null,
          isUnsupported: false,
          isStandby: false,
          isContextOnly: false,
        });
      }
      expect(count()).toBe(2);
      await archive.conversations.markRead('17841400000000001:1');
      expect(count()).toBe(1);
    } finally {
      archive.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
