import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import type { Saved } from '../../../../../main/core/archive/inbox-queries';
import {
  CatchUp,
  CONVERSATIONS_API_INTERVAL_MS,
  type CatchUpDeps,
} from '../../../../../main/core/inbox/catch-up';
import { parseWebhook } from '../../../../../main/core/webhook/parse-webhook';
import { memoryLogger } from '../../../../fakes/logger';
import { emulatorGraph, startHarness, type Harness } from '../../sandbox/harness';

let dir: string;
let harness: Harness;
let archive: Archive;
let graphPaths: string[];
let sleeps: number[];
let saved: Saved[];
let named: (string | null)[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-catch-up-'));
  harness = await startHarness();
  archive = new Archive(join(dir, 'archive.sqlite'));
  graphPaths = [];
  sleeps = [];
  saved = [];
  named = [];
});

afterEach(async () => {
  archive.close();
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Inlet restarting: a fresh CatchUp over the same archive, against the emulator's Graph API, in
 * live mode with the harness's account unless told otherwise.
 */
function catchUpRunner(options: Partial<Pick<CatchUpDeps, 'accounts' | 'live' | 'logger'>> = {}) {
  const graph = emulatorGraph(harness.emulator.url, { paths: graphPaths, logger: memoryLogger() });
  return new CatchUp({
    graph,
    archive,
    logger: memoryLogger(),
    onSaved: (item) => saved.push(item),
    onConversation: (conversation) => named.push(conversation.customerUsername),
    sleep: async (ms) => void sleeps.push(ms),
    accounts: accountsOf({ [harness.account.igUserId]: harness.account.accessToken }),
    live: true,
    ...options,
  });
}

function catchUp() {
  const runner = catchUpRunner();
  return () => runner.run(harness.account.igUserId, harness.account.accessToken);
}

/** Accounts with their tokens; null: the account waits for a new login. */
function accountsOf(tokens: Record<string, string | null>): CatchUpDeps['accounts'] {
  return {
    list: () => Object.keys(tokens).map((igUserId) => ({ igUserId })),
    token: (igUserId) => tokens[igUserId] ?? null,
  };
}

/** Waits for the warning a failed catch-up of this account leaves in the log. */
function failureLogged(logger: ReturnType<typeof memoryLogger>, igUserId: string) {
  return vi.waitFor(() =>
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'catch-up through the Conversations API failed',
        fields: expect.objectContaining({ igUserId }) as unknown,
      }),
    ),
  );
}

/** The customer writes on Instagram one second apart (Graph times have whole seconds). */
async function customerWrites(texts: string[]): Promise<string[]> {
  const mids: string[] = [];
  for (const text of texts) {
    harness.clock.set(harness.clock.now() + 1_000);
    const event = await harness.client.customerSends(harness.customer.igsid, { text });
    if (event.mid === null) throw new Error('no message created');
    mids.push(event.mid);
  }
  return mids;
}

const conversationId = () => `${harness.account.igUserId}:${harness.customer.igsid}`;
const thread = () =>
  archive.queries.listMessages({ conversationId: conversationId(), limit: 100 }).items;

describe('CatchUp against the emulator’s Conversations API', () => {
  it('fills messages sent while Inlet was stopped, exactly once, whatever arrives later', async () => {
    const mids = await customerWrites(['Hi!', 'Is the vase still available?', 'Hello?']);

    expect(await catchUp()()).toEqual({ conversations: 1, added: 3, gaps: 0 });
    expect(thread().map((message) => [message.mid, message.text, message.direction])).toEqual([
      [mids[0], 'Hi!', 'in'],
      [mids[1], 'Is the vase still available?', 'in'],
      [mids[2], 'Hello?', 'in'],
    ]);
    expect(archive.queries.findConversation(conversationId())).toMatchObject({
      unreadCount: 3,
      lastMessagePreview: 'Hello?',
    });
    expect(saved).toHaveLength(3);
    // The thread is named from the Conversations API's participants, before any webhook.
    expect(named).toEqual(['lena.k']);
    expect(archive.queries.findConversation(conversationId())?.customerUsername).toBe('lena.k');

    // Restarted again: nothing new is added.
    expect(await catchUp()()).toMatchObject({ added: 0, gaps: 0 });
    // Meta's late retries of the same messages collapse onto the caught-up rows by mid.
    for (const post of harness.receiver.posts) {
      for (const event of parseWebhook(post.raw, 0)) {
        if (event.kind === 'message') {
          archive.inbound.saveMessage({ ...event, isFromOtherApp: false, deliveryId: null });
        }
      }
    }
    expect(thread()).toHaveLength(3);
  });

  it('marks a gap where more was missed than Graph lets anyone read, once', async () => {
    await customerWrites(['before']);
    expect(await catchUp()()).toMatchObject({ added: 1 });

    const missed = await customerWrites(
      Array.from({ length: 25 }, (_, index) => `missed ${index + 1}`),
    );
    expect(await catchUp()()).toEqual({ conversations: 1, added: 20, gaps: 1 });
    const messages = thread();
    expect(messages).toHaveLength(22);
    expect(messages[0]?.text).toBe('before');
    // The gap sits just before the oldest message Graph could give back.
    expect(messages[1]).toMatchObject({ text: null, context: { kind: 'gap' } });
    expect(messages[2]?.mid).toBe(missed[5]);
    expect(messages.at(-1)?.mid).toBe(missed[24]);
    // The gap line is context: it neither counts as unread nor moves the preview.
    expect(archive.queries.findConversation(conversationId())).toMatchObject({
      unreadCount: 21,
      lastMessagePreview: 'missed 25',
    });

    // Nothing changed since: the thread of the same second is read, nothing is added, the walk
    // ends there, and the gap is not marked twice.
    expect(await catchUp()()).toEqual({ conversations: 1, added: 0, gaps: 0 });
    expect(thread()).toHaveLength(22);
  });

  it('reads only the changed threads and one unchanged one, pacing calls to 2 per second', async () => {
    for (const username of ['oldest.thread', 'older.thread']) {
      const other = await harness.client.createCustomer({
        accountId: harness.account.igUserId,
        username,
      });
      harness.clock.set(harness.clock.now() + 1_000);
      await harness.client.customerSends(other.igsid, { text: `hi from ${username}` });
    }
    await customerWrites(['newest thread']);
    expect(await catchUp()()).toMatchObject({ conversations: 3, added: 3 });
    expect(sleeps.every((ms) => ms === CONVERSATIONS_API_INTERVAL_MS)).toBe(true);
    expect(sleeps).toHaveLength(graphPaths.length - 1);

    harness.clock.set(harness.clock.now() + 5_000);
    await customerWrites(['news in the newest thread']);
    graphPaths.length = 0;
    // The changed thread, then the next one (updated in the same second as the archive's last
    // message from it, so it is read to be sure); it holds nothing new, so the walk ends there.
    expect(await catchUp()()).toEqual({ conversations: 2, added: 1, gaps: 0 });
    expect(graphPaths).toHaveLength(3); // the conversation list and two threads, not the oldest
  });

  it('keeps Inlet’s own sends once and stores replies sent from the Instagram app as such', async () => {
    await customerWrites(['Do you ship?']);
    await catchUp()();
    const to = { id: harness.customer.igsid };
    // Inlet's own reply: queued locally, its mid recorded when Graph answered.
    const local = archive.outgoing.queue(conversationId(), 'Yes, everywhere', harness.clock.now());
    harness.clock.set(harness.clock.now() + 1_000);
    const sent = (
      await harness.sendMessage({ recipient: to, message: { text: 'Yes, everywhere' } })
    ).json as { message_id: string };
    archive.outgoing.setStatus(local.message.id, { status: 'sent', mid: sent.message_id });
    // The owner also answered from the Instagram app while Inlet was stopped.
    harness.clock.set(harness.clock.now() + 1_000);
    await harness.sendMessage({ recipient: to, message: { text: 'Sent from my phone' } });

    expect(await catchUp()()).toMatchObject({ added: 1, gaps: 0 });
    expect(
      thread().map((message) => [message.text, message.direction, message.isFromOtherApp]),
    ).toEqual([
      ['Do you ship?', 'in', false],
      ['Yes, everywhere', 'out', false],
      ['Sent from my phone', 'out', true],
    ]);
  });
});

describe('CatchUp when the expansion brings ids only (docs/platform.md#conversation-messages)', () => {
  beforeEach(() => harness.client.configureApp({ messageExpansion: 'ids-only' }));

  it('reads each missed message by id, paced, and stores the same thread as with bodies', async () => {
    const mids = await customerWrites(['Hi!', 'Is the vase still available?']);
    expect(await catchUp()()).toEqual({ conversations: 1, added: 2, gaps: 0 });
    expect(thread().map((message) => [message.mid, message.text])).toEqual([
      [mids[0], 'Hi!'],
      [mids[1], 'Is the vase still available?'],
    ]);
    const reads = graphPaths.filter((path) => mids.some((mid) => path.includes(mid)));
    expect(reads).toHaveLength(2);
    expect(sleeps).toHaveLength(graphPaths.length - 1);
    expect(sleeps.every((ms) => ms === CONVERSATIONS_API_INTERVAL_MS)).toBe(true);

    // Known messages are not read again.
    const [newest] = await customerWrites(['one more']);
    graphPaths.length = 0;
    expect(await catchUp()()).toMatchObject({ added: 1 });
    expect(graphPaths.filter((path) => path.includes(newest!))).toHaveLength(1);
    expect(graphPaths.filter((path) => mids.some((mid) => path.includes(mid)))).toEqual([]);
  });

  it('still marks the gap beyond the 20 readable messages, reading no more than 20', async () => {
    await customerWrites(['before']);
    await catchUp()();
    await customerWrites(Array.from({ length: 25 }, (_, index) => `missed ${index + 1}`));
    graphPaths.length = 0;
    expect(await catchUp()()).toEqual({ conversations: 1, added: 20, gaps: 1 });
    // The list, the thread, and one read per readable message.
    expect(graphPaths).toHaveLength(2 + 20);
  });
});

describe('CatchUp.runAll: every account Inlet could have missed messages for', () => {
  it('reads each account that has a token and skips one waiting for a new login', async () => {
    const [mid] = await customerWrites(['Still there?']);
    const runner = catchUpRunner({
      accounts: accountsOf({
        [harness.account.igUserId]: harness.account.accessToken,
        'account-awaiting-login': null,
      }),
    });

    runner.runAll();
    await vi.waitFor(() => expect(thread().map((message) => message.mid)).toEqual([mid]));
    await runner.stop();

    expect(graphPaths.some((path) => path.includes('account-awaiting-login'))).toBe(false);
    expect(graphPaths.some((path) => path.includes(harness.account.igUserId))).toBe(true);
  });

  it('reads nothing in sandbox mode: the emulator starts with Inlet, so nothing was missed', async () => {
    await customerWrites(['Hi!']);
    const runner = catchUpRunner({ live: false });

    runner.runAll();
    await runner.stop(); // waits for any run in progress

    expect(graphPaths).toEqual([]);
    expect(thread()).toEqual([]);
  });

  it('logs a failed account and still reads the others', async () => {
    const [mid] = await customerWrites(['Hello?']);
    const logger = memoryLogger();
    const runner = catchUpRunner({
      logger,
      accounts: accountsOf({
        'account-with-bad-token': 'a-token-instagram-never-issued',
        [harness.account.igUserId]: harness.account.accessToken,
      }),
    });

    runner.runAll();
    await vi.waitFor(() => expect(thread().map((message) => message.mid)).toEqual([mid]));
    await failureLogged(logger, 'account-with-bad-token');
    await runner.stop();
  });
});

describe('CatchUp.runFor: one account whose subscription was repaired', () => {
  it('reads that account in either mode: what Meta held back while it was gone comes back', async () => {
    const [mid] = await customerWrites(['Did this reach you?']);
    const runner = catchUpRunner({ live: false });

    runner.runFor(harness.account.igUserId);
    await vi.waitFor(() => expect(thread().map((message) => message.mid)).toEqual([mid]));
    await runner.stop();
  });

  it('reads nothing for an account waiting for a new login', async () => {
    const runner = catchUpRunner({ accounts: accountsOf({ [harness.account.igUserId]: null }) });

    runner.runFor(harness.account.igUserId);
    await runner.stop();

    expect(graphPaths).toEqual([]);
  });

  it('logs a failed run instead of leaving its rejection unhandled', async () => {
    const logger = memoryLogger();
    const runner = catchUpRunner({
      logger,
      accounts: accountsOf({ 'account-with-bad-token': 'a-token-instagram-never-issued' }),
    });

    runner.runFor('account-with-bad-token');
    await failureLogged(logger, 'account-with-bad-token');
    await runner.stop();
  });
});
