import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { SearchStore } from '../../../../../main/core/archive/search-store';
import { TriageStore } from '../../../../../main/core/archive/triage-store';
import { AppError } from '../../../../../main/core/errors';
import { createEventBus } from '../../../../../main/core/event-bus';
import { searchHandlers } from '../../../../../main/core/triage/search';
import { TriageService } from '../../../../../main/core/triage/triage-service';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { PLAIN_INCOMING_DETAILS } from '../../../../fakes/incoming';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';

const ACCOUNT = '17841405309211844';
const CUSTOMER = '1284973601758392';
const CONVERSATION = `${ACCOUNT}:${CUSTOMER}`;

let dir: string;
let archive: Archive;
let service: TriageService;
let clock: ReturnType<typeof fixedClock>;
let events: ReturnType<typeof createEventBus>;
let triageEvents: EventPayload<'triage:changed'>[];
let conversationEvents: EventPayload<'inbox:conversationSaved'>[];

function receive(mid: string, text: string) {
  const saved = archive.inbound.saveMessage({
    accountId: ACCOUNT,
    customerId: CUSTOMER,
    mid,
    ...PLAIN_INCOMING_DETAILS,
    text,
    at: clock.now(),
  });
  if (!saved) throw new Error('not saved');
  events.emit('inbox:messageSaved', saved); // what InboxService does after storing
  return saved;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-triage-service-'));
  archive = new Archive(join(dir, 'archive.sqlite'));
  clock = fixedClock();
  events = createEventBus(memoryLogger());
  triageEvents = [];
  conversationEvents = [];
  events.on('triage:changed', (triage) => triageEvents.push(triage));
  events.on('inbox:conversationSaved', (conversation) => conversationEvents.push(conversation));
  service = new TriageService({
    archive,
    triage: new TriageStore(archive.database),
    events,
    clock,
  });
});
afterEach(() => {
  service.close();
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TriageService', () => {
  it('reopens a done conversation when the customer writes again, and says so', async () => {
    receive('m1', 'hello');
    await service.handlers['triage:setDone']({ conversationId: CONVERSATION, isDone: true });
    expect(triageEvents.at(-1)).toMatchObject({ doneAt: clock.now() });
    clock.advance(1000);
    receive('m2', 'one more thing');
    expect(triageEvents.at(-1)).toMatchObject({ conversationId: CONVERSATION, doneAt: null });
    expect(triageEvents).toHaveLength(2);
    receive('m3', 'and another'); // already open: nothing to announce
    expect(triageEvents).toHaveLength(2);
  });

  it('refuses a snooze in the past and unknown conversations, changing nothing', async () => {
    receive('m1', 'hello');
    await expect(
      service.handlers['triage:snooze']({ conversationId: CONVERSATION, until: clock.now() }),
    ).rejects.toMatchObject({
      message: /future/,
      detail: { key: 'errorDetail.snoozeInPast', vars: null },
    });
    await expect(
      service.handlers['triage:setLabels']({ conversationId: 'nope', labels: ['vip'] }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(
      service.handlers['triage:markUnread']({ conversationId: 'nope' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(triageEvents).toEqual([]);
    expect((await service.handlers['triage:list']()).items).toEqual([]);
  });

  it('snoozes, labels, notes and marks unread, announcing each change', async () => {
    receive('m1', 'Do you ship to Porto?');
    await archive.conversations.markRead(CONVERSATION);
    const until = clock.now() + 3_600_000;
    await service.handlers['triage:snooze']({ conversationId: CONVERSATION, until });
    await service.handlers['triage:setLabels']({
      conversationId: CONVERSATION,
      labels: ['shipping'],
    });
    await service.handlers['triage:setNote']({
      conversationId: CONVERSATION,
      note: 'Lives in Porto',
    });
    expect(triageEvents.at(-1)).toEqual({
      conversationId: CONVERSATION,
      doneAt: null,
      snoozedUntil: until,
      labels: ['shipping'],
      note: 'Lives in Porto',
    });
    const { conversation } = await service.handlers['triage:markUnread']({
      conversationId: CONVERSATION,
    });
    expect(conversation.unreadCount).toBe(1);
    expect(conversationEvents).toEqual([conversation]);
  });

  it('searches message text', async () => {
    receive('m1', 'Você tem tênis 38?');
    receive('m2', 'E o tênis 39?');
    const search = searchHandlers(new SearchStore(archive.database), archive);
    const { hits, conversations } = await search['search:messages']({ query: 'tenis' });
    expect(hits.map((hit) => hit.conversationId)).toEqual([CONVERSATION, CONVERSATION]);
    expect(conversations.map((conversation) => conversation.id)).toEqual([CONVERSATION]);
    expect((await search['search:messages']({ query: 'tenis', limit: 1 })).hits).toHaveLength(1);
  });
});
