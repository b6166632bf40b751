import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus } from '../../../../../main/core/event-bus';
import { PROCESS_RETRY_MS } from '../../../../../main/core/inbox/delivery-processor';
import { Outbox } from '../../../../../main/core/inbox/outbox';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { quietReconciliation } from '../../../../fakes/reconciler';
import { CATALOGUE, IG_ID, catalogueMid, textMessageBody } from '../../../../fakes/webhook-bodies';
import { inboxForTestAccount } from './inbox-harness';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-batches-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const never = {
  sendText: () => new Promise<never>(() => {}),
  sendAttachment: () => new Promise<never>(() => {}),
};

type Lookup = NonNullable<Parameters<typeof inboxForTestAccount>[0]['lookupProfile']>;

function build(lookupProfile: Lookup = async () => null, queueLimit?: number) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const saved: EventPayload<'inbox:messageSaved'>[] = [];
  const inTransaction: boolean[] = [];
  events.on('inbox:messageSaved', (payload) => {
    saved.push(payload);
    inTransaction.push(archive.database.isTransaction);
  });
  const outbox = new Outbox({ archive, events, sender: never, logger, ...quietReconciliation() });
  const clock = fixedClock(1773842751091 + 60_000);
  const inbox = inboxForTestAccount({
    archive,
    events,
    outbox,
    clock,
    logger,
    lookupProfile,
    queueLimit,
  });
  /** Accepts every body in the same turn: one group commit, then one batch. */
  const deliverAll = (bodies: string[]) =>
    Promise.all(bodies.map((body) => inbox.acceptDelivery(Buffer.from(body))));
  return { archive, inbox, logger, saved, inTransaction, deliverAll };
}

const body = (mid: string, customerId = '1284973601758392') =>
  textMessageBody({ mid, text: `text of ${mid}`, customerId });

/** Makes saveMessage throw for `mid` after its writes, as a bug or a broken row would. */
function failOn(archive: Archive, mid: string) {
  const saveMessage = archive.inbound.saveMessage.bind(archive.inbound);
  const state = { isFailing: true };
  archive.inbound.saveMessage = (incoming) => {
    const result = saveMessage(incoming);
    if (incoming.mid === mid && state.isFailing) throw new Error(`cannot process ${mid}`);
    return result;
  };
  return state;
}

describe('batched processing', () => {
  it('processes a burst in one transaction, in arrival order, announcing it after the commit', async () => {
    const { archive, inbox, saved, inTransaction, deliverAll } = build();
    const mids = Array.from({ length: 20 }, (_, index) => `m${index}`);
    await deliverAll(mids.map((mid) => body(mid)));
    const exec = vi.spyOn(archive.database, 'exec');
    await inbox.idle();
    const begins = exec.mock.calls.filter(([sql]) => sql === 'BEGIN IMMEDIATE');
    // One per batch, not one per delivery (a batch ends after 10 ms: the first, compiling its
    // statements, may hold only one delivery on a slow machine).
    expect(begins.length).toBeGreaterThan(0);
    expect(begins.length).toBeLessThan(mids.length / 4);
    expect(saved.map((event) => event.message.mid)).toEqual(mids);
    expect(inTransaction.every((isOpen) => !isOpen)).toBe(true);
    expect(archive.deliveries.unprocessed()).toEqual([]);
    const thread = archive.queries.listMessages({
      conversationId: `${IG_ID}:1284973601758392`,
      limit: 50,
    });
    expect(thread.items.map((message) => message.mid)).toEqual(mids);
  });

  it('rolls a failing delivery back alone, marks it, and goes on with the batch behind it', async () => {
    const { archive, inbox, logger, saved, deliverAll } = build();
    failOn(archive, 'bad');
    await deliverAll([body('m1'), body('bad', '900'), body('m3')]);
    await inbox.idle();
    expect(saved.map((event) => event.message.mid)).toEqual(['m1', 'm3']);
    // Its writes are undone: no message, and no conversation for its customer.
    expect(archive.queries.findMessageByMid('bad')).toBeNull();
    expect(archive.queries.findConversation(`${IG_ID}:900`)).toBeNull();
    const left = archive.deliveries.unprocessed();
    expect(left).toHaveLength(1);
    const row = archive.database
      .prepare('SELECT error, processed_at FROM deliveries WHERE id = ?')
      .get(left[0]?.id ?? -1) as { error: string; processed_at: number | null };
    expect(row).toEqual({ error: 'Error: cannot process bad', processed_at: null });
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('records a new message’s media with it, and none for a delivery rolled back', async () => {
    const { archive, inbox, deliverAll } = build();
    failOn(archive, catalogueMid('04'));
    await deliverAll([CATALOGUE['03']!.body, CATALOGUE['04']!.body]);
    await inbox.idle();
    const media = archive.database
      .prepare(
        'SELECT m.mid, media.idx, media.state FROM media JOIN messages m ON m.id = media.message_id',
      )
      .all();
    expect(media).toEqual([{ mid: catalogueMid('03'), idx: 0, state: 'pending' }]);
  });

  it('retries a failed delivery later in the run, and after three failures on the next start', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = build();
    const failing = failOn(first.archive, 'bad');
    await first.deliverAll([body('bad')]);
    for (let attempt = 1; attempt < 3; attempt += 1) {
      await first.inbox.idle();
      await vi.advanceTimersByTimeAsync(PROCESS_RETRY_MS);
    }
    await first.inbox.idle();
    await vi.advanceTimersByTimeAsync(PROCESS_RETRY_MS * 2);
    await first.inbox.idle();
    const failures = first.logger.lines.filter((line) => line.message.includes('failed'));
    expect(failures).toHaveLength(3); // then no more timers this run
    expect(first.archive.deliveries.unprocessed()).toHaveLength(1);

    // Fixed in between (a bug fixed by an update): the next start processes it.
    failing.isFailing = false;
    first.inbox.close();
    first.archive.close();
    const second = build();
    await second.inbox.processPending();
    expect(second.saved.map((event) => event.message.mid)).toEqual(['bad']);
    expect(second.archive.deliveries.unprocessed()).toEqual([]);
  });

  it('succeeds on a retry in the same run once the cause is gone', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { archive, inbox, saved, deliverAll } = build();
    const failing = failOn(archive, 'bad');
    await deliverAll([body('bad'), body('m2')]);
    await inbox.idle();
    expect(saved.map((event) => event.message.mid)).toEqual(['m2']);
    failing.isFailing = false;
    await vi.advanceTimersByTimeAsync(PROCESS_RETRY_MS);
    await inbox.idle();
    expect(saved.map((event) => event.message.mid)).toEqual(['m2', 'bad']);
    expect(archive.deliveries.unprocessed()).toEqual([]);
  });

  it('keeps duplicates idempotent inside one batch and marks a malformed one as not understood', async () => {
    const { archive, inbox, saved, deliverAll } = build();
    await deliverAll([body('m1'), '{"object":"instagram","entry":', body('m1'), body('m2')]);
    await inbox.idle();
    expect(saved.map((event) => event.message.mid)).toEqual(['m1', 'm2']);
    const rows = archive.database
      .prepare('SELECT body, error, processed_at FROM deliveries ORDER BY id')
      .all() as { body: Uint8Array; error: string | null; processed_at: number | null }[];
    expect(rows.every((row) => row.processed_at !== null)).toBe(true);
    const malformed = rows.filter((row) => !Buffer.from(row.body).toString().includes('"mid"'));
    expect(malformed).toHaveLength(1);
    expect(malformed[0]?.error).toEqual(expect.any(String)); // the reason it was not understood
    expect(rows.filter((row) => row.error === null)).toHaveLength(3);
  });

  it('leaves what a run could not process to the next start, which processes it in order', async () => {
    const first = build();
    await first.deliverAll([body('m1'), body('m2'), body('m3')]);
    // Every delivery of the batch fails: none is committed as processed.
    first.archive.inbound.saveMessage = () => {
      throw new Error('killed');
    };
    first.inbox.close();
    await first.inbox.idle();
    first.archive.close();
    const second = build();
    expect(second.archive.deliveries.unprocessed()).toHaveLength(3);
    await second.inbox.processPending();
    expect(second.saved.map((event) => event.message.mid)).toEqual(['m1', 'm2', 'm3']);
  });

  it('leaves a burst beyond the queue in the journal and processes all of it once, in order', async () => {
    const { archive, inbox, saved, deliverAll } = build(undefined, 4);
    const readBack = vi.spyOn(archive.deliveries, 'unprocessedAfter');
    const mids = Array.from({ length: 15 }, (_, index) => `m${index}`);
    // Three groups, the later ones accepted while the earlier ones are still being processed.
    const accepted = [
      deliverAll(mids.slice(0, 6).map((mid) => body(mid))),
      deliverAll(mids.slice(6, 10).map((mid) => body(mid))),
    ];
    await Promise.all(accepted);
    await deliverAll(mids.slice(10).map((mid) => body(mid)));
    await inbox.idle();
    expect(saved.map((event) => event.message.mid)).toEqual(mids);
    // Read back a page at a time, never more than the queue holds.
    expect(readBack).toHaveBeenCalled();
    for (const [, limit] of readBack.mock.calls) expect(limit).toBe(4);
    expect(archive.deliveries.unprocessed()).toEqual([]);
  });

  it('reads a backlog found at start a page at a time, and queues deliveries arriving meanwhile after it', async () => {
    const first = build();
    await first.deliverAll(['a1', 'a2', 'a3', 'a4', 'a5'].map((mid) => body(mid)));
    first.archive.inbound.saveMessage = () => {
      throw new Error('killed');
    };
    first.inbox.close();
    await first.inbox.idle();
    first.archive.close();

    const second = build(undefined, 2);
    const readBack = vi.spyOn(second.archive.deliveries, 'unprocessedAfter');
    const pending = second.inbox.processPending();
    const arriving = second.deliverAll([body('b1'), body('b2')]);
    await Promise.all([pending, arriving]);
    await second.inbox.idle();
    expect(second.saved.map((event) => event.message.mid)).toEqual([
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
      'b1',
      'b2',
    ]);
    // Five in pages of two, then the empty read that ends the backlog.
    expect(readBack.mock.calls.length).toBeGreaterThanOrEqual(4);
    for (const [, limit] of readBack.mock.calls) expect(limit).toBe(2);
    expect(second.archive.deliveries.unprocessed()).toEqual([]);
  });

  it('processes deliveries another connection stored, read back in order once announced, each once', async () => {
    const { archive, inbox, saved } = build(undefined, 3);
    // As the receiver thread stores them: its own connection, then a notice per delivery.
    const writer = new Archive(join(dir, 'archive.sqlite'));
    const store = (mids: string[]) =>
      writer.deliveries.storeMany(
        mids.map((mid) => ({ body: Buffer.from(body(mid)), receivedAt: 5 })),
      );
    const first = store(['s1', 's2', 's3', 's4']);
    for (const id of first) inbox.stored(id, 5);
    // Announced while the first ones are processed: some already read back with them.
    const second = store(['s5', 's6']);
    for (const id of second) inbox.stored(id, 6);
    await inbox.idle();
    writer.close();
    expect(saved.map((event) => event.message.mid)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    expect(archive.deliveries.unprocessed()).toEqual([]);
    expect(inbox.lastEventAt).toBe(6);
  });

  it('asks each new customer’s profile once, two lookups at a time, without holding messages', async () => {
    const asked: { customerId: string; answer: () => void }[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const { archive, inbox, saved, deliverAll } = build(
      (_accountId, customerId) =>
        new Promise((resolve) => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          asked.push({
            customerId,
            answer: () => {
              inFlight -= 1;
              resolve({ username: `user.${customerId}`, name: null, pictureUrl: null });
            },
          });
        }),
    );
    const customers = ['901', '902', '903', '904', '905', '906'];
    await deliverAll([
      ...customers.map((customer) => body(`a${customer}`, customer)),
      ...customers.map((customer) => body(`b${customer}`, customer)),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(saved).toHaveLength(12); // every message is in, lookups or not
    expect(asked).toHaveLength(2);
    for (let next = asked.shift(); next; next = asked.shift()) {
      next.answer();
      await new Promise((resolve) => setTimeout(resolve, 5)); // the next lookup starts
    }
    await inbox.idle();
    expect(mostInFlight).toBe(2);
    for (const customer of customers) {
      expect(archive.queries.findConversation(`${IG_ID}:${customer}`)?.customerUsername).toBe(
        `user.${customer}`,
      );
    }
  });
});
