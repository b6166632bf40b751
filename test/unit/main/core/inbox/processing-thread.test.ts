import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { prepareArchive } from '../../../../../main/core/archive/archive-file';
import type { StoredDelivery } from '../../../../../main/core/archive/delivery-journal';
import type { ProcessingEffect } from '../../../../../main/core/inbox/delivery-processor';
import { ProcessingThread } from '../../../../../main/core/inbox/processing-thread';
import { memoryLogger } from '../../../../fakes/logger';
import { startedWorkers as threads } from '../../../../fakes/recorded-workers';
import { CUSTOMER_ID, IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';

// The processing threads this test started, so one can be made to die as a crash would.
vi.mock('node:worker_threads', async (original) =>
  (await import('../../../../fakes/recorded-workers')).recordingWorkers(await original()),
);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  threads.length = 0;
});

const T = 1773842751091;

async function setUp(
  options: { processHere?: (delivery: StoredDelivery) => Promise<void>; accounts?: string[] } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'inlet-processing-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const databasePath = join(dir, 'archive.sqlite');
  await prepareArchive(databasePath, Date.now);
  const archive = new Archive(databasePath);
  cleanups.push(() => archive.close());
  const logger = memoryLogger();
  const effects: ProcessingEffect[] = [];
  const handedOver: StoredDelivery[] = [];
  const accounts = options.accounts ?? [IG_ID];
  const thread = new ProcessingThread({
    databasePath,
    accounts: () => accounts,
    onEffects: (batch) => effects.push(...batch),
    processHere:
      options.processHere ??
      (async (delivery) => {
        handedOver.push(delivery);
      }),
    logger,
  });
  cleanups.push(() => thread.stop());
  /** Stores bodies as the receiver thread does, and announces them. */
  const receive = (...bodies: string[]) => {
    const ids = archive.deliveries.storeMany(
      bodies.map((body, index) => ({ body: Buffer.from(body), receivedAt: T + index })),
    );
    for (const id of ids) thread.stored(id);
    return ids;
  };
  const text = (mid: string, extra: Partial<Parameters<typeof textMessageBody>[0]> = {}) =>
    textMessageBody({ mid, text: `text of ${mid}`, at: T, ...extra });
  return { archive, thread, effects, handedOver, logger, receive, text, accounts };
}

const savedMids = (effects: ProcessingEffect[]) =>
  effects.flatMap((effect) => (effect.kind === 'saved' ? [effect.saved.message.mid] : []));

describe('the processing thread', () => {
  it('processes what the receiver stored, in order, and relays each commit’s effects', async () => {
    const { archive, thread, effects, handedOver, receive, text } = await setUp();
    await thread.processPending();
    const ids = receive(...['m1', 'm2', 'm3'].map((mid) => text(mid)));
    await thread.idle();
    expect(savedMids(effects)).toEqual(['m1', 'm2', 'm3']);
    // Rows written by the thread's own connection are what this thread reads.
    const [conversation] = archive.queries.listConversations({ limit: 10 }).items;
    expect(conversation?.lastMessagePreview).toBe('text of m3');
    expect(archive.deliveries.unprocessed()).toEqual([]);
    expect(handedOver).toEqual([]);
    // The media and the customer of the new messages come after their events, once per batch.
    const archived = effects.filter((effect) => effect.kind === 'archived');
    expect(archived.flatMap((effect) => effect.messages.map((m) => m.mid))).toEqual([
      'm1',
      'm2',
      'm3',
    ]);
    expect(archived.flatMap((effect) => effect.customers)).toContainEqual({
      conversationId: conversation?.id,
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
    });
    expect(ids).toHaveLength(3);
  });

  it('hands an echo over and processes nothing behind it until it comes back', async () => {
    let release: () => void = () => undefined;
    const handedOver: StoredDelivery[] = [];
    const { effects, receive, text, thread } = await setUp({
      processHere: (delivery) => {
        handedOver.push(delivery);
        return new Promise((resolve) => (release = resolve));
      },
    });
    await thread.processPending();
    const [, echoId] = receive(text('before'), text('echo', { echo: true }), text('after'));
    await vi.waitFor(() => expect(handedOver.map((delivery) => delivery.id)).toEqual([echoId]));
    expect(Buffer.from(handedOver[0]?.body ?? []).toString()).toContain('"is_echo":true');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(savedMids(effects)).toEqual(['before']);
    release();
    await thread.idle();
    expect(savedMids(effects)).toEqual(['before', 'after']);
  });

  it('hands over a delivery for an account it was not told of, and learns of new accounts', async () => {
    const { accounts, effects, handedOver, receive, text, thread } = await setUp();
    await thread.processPending();
    receive(text('other', { accountId: '17841400000000001' }));
    await thread.idle();
    expect(handedOver).toHaveLength(1);
    accounts.push('17841400000000001');
    thread.accountsChanged();
    receive(text('known now', { accountId: '17841400000000001' }));
    await thread.idle();
    expect(handedOver).toHaveLength(1);
    expect(savedMids(effects)).toEqual(['known now']);
  });

  it('starts again when its thread dies and processes what that one left', async () => {
    const { archive, effects, logger, receive, text, thread } = await setUp();
    await thread.processPending();
    receive(text('m1'));
    await thread.idle();
    await threads[0]?.terminate();
    // Stored while no thread runs: the journal keeps them for the next one.
    receive(text('m2'), text('m3'));
    await vi.waitFor(() => expect(savedMids(effects)).toEqual(['m1', 'm2', 'm3']), {
      timeout: 5000,
    });
    expect(archive.deliveries.unprocessed()).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'the processing thread stopped; starting it again',
      }),
    );
  });

  it('a delivery it cannot understand is kept, marked, and does not hold the next', async () => {
    const { archive, effects, receive, text, thread } = await setUp();
    await thread.processPending();
    const [bad] = receive('{"object":"instagram","entry":[{"id":', text('fine'));
    await thread.idle();
    expect(savedMids(effects)).toEqual(['fine']);
    expect(archive.deliveries.unprocessed()).toEqual([]);
    const row = archive.database
      .prepare('SELECT error FROM deliveries WHERE id = ?')
      .get(bad as number) as { error: string | null };
    expect(row.error).toBeTruthy();
  });
});
