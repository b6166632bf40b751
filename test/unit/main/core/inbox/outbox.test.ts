import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus } from '../../../../../main/core/event-bus';
import { InboxService } from '../../../../../main/core/inbox/inbox-service';
import { backoffDelay, Outbox, type SendOutcome } from '../../../../../main/core/inbox/outbox';
import { createGraphSender } from '../../../../../main/core/inbox/graph-sender';
import { GraphError, classifyGraphFailure } from '../../../../../main/core/graph/graph-errors';
import type { GraphClient } from '../../../../../main/core/graph/graph-client';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { CUSTOMER_ID, IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';

const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;
const refused = (
  reason: string,
  extra: Partial<{ retryAfterMs: number | null; maxRetries: number | null }> = {},
): SendOutcome => ({
  ok: false,
  outcome: 'retryable',
  reason,
  retryAfterMs: extra.retryAfterMs ?? null,
  maxRetries: extra.maxRetries ?? null,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-outbox-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An outbox whose sender answers from a script and whose waits are recorded, not slept. */
async function build(answers: SendOutcome[]) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const saved: EventPayload<'inbox:messageSaved'>[] = [];
  const deleted: EventPayload<'inbox:messageDeleted'>[] = [];
  events.on('inbox:messageSaved', (payload) => saved.push(payload));
  events.on('inbox:messageDeleted', (payload) => deleted.push(payload));
  const waits: number[] = [];
  const sends: string[] = [];
  const outbox = new Outbox({
    archive,
    events,
    logger,
    sender: {
      sendText: async (_account, _recipient, text) => {
        sends.push(text);
        return answers.shift() ?? { ok: true, messageId: `mid-${sends.length}` };
      },
    },
    retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 },
    random: () => 0.5,
    wait: async (ms, signal) => {
      waits.push(ms);
      if (signal.aborted) return;
    },
  });
  const inbox = new InboxService({
    archive,
    events,
    outbox,
    clock: fixedClock(1773842751091 + 60_000),
    logger,
    isConnectedAccount: (id) => id === IG_ID,
    lookupProfile: async () => null,
  });
  void inbox.acceptDelivery(Buffer.from(textMessageBody({ mid: 'in-1', text: 'Hi' })));
  await inbox.idle();
  return { archive, outbox, inbox, saved, deleted, waits, sends };
}

describe('Outbox retries', () => {
  it('retries a refused send with full-jitter back-off until it goes out, keeping it queued meanwhile', async () => {
    const { inbox, outbox, saved, waits, sends } = await build([
      refused('Too many messages'),
      refused('Too many messages'),
    ]);
    const { message } = await inbox.handlers.sendText({
      conversationId: CONVERSATION,
      text: 'hello',
    });
    await outbox.drain();
    expect(sends).toEqual(['hello', 'hello', 'hello']);
    expect(waits).toEqual([500, 1000]); // random 0.5 × 1 s, × 2 s
    const statuses = saved.filter((s) => s.message.id === message.id).map((s) => s.message.status);
    expect(statuses).toEqual([
      'queued',
      'sending',
      'queued',
      'sending',
      'queued',
      'sending',
      'sent',
    ]);
  });

  it('gives up after the policy’s attempts, and after one retry when the code allows only one', async () => {
    const many = await build(Array.from({ length: 10 }, () => refused('Instagram is busy')));
    await many.inbox.handlers.sendText({ conversationId: CONVERSATION, text: 'a' });
    await many.outbox.drain();
    expect(many.sends).toHaveLength(4);
    expect(
      many.archive.listMessages({ conversationId: CONVERSATION, limit: 10 }).items.at(-1),
    ).toMatchObject({ status: 'failed', error: 'Instagram is busy' });
    many.archive.close();

    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'inlet-outbox-'));
    const once = await build([
      refused('Unknown error', { maxRetries: 1 }),
      refused('Unknown error', { maxRetries: 1 }),
    ]);
    await once.inbox.handlers.sendText({ conversationId: CONVERSATION, text: 'b' });
    await once.outbox.drain();
    expect(once.sends).toHaveLength(2);
  });

  it('waits at least as long as Instagram asks (Retry-After / BUC estimate)', async () => {
    const { inbox, outbox, waits } = await build([
      refused('Rate limited', { retryAfterMs: 30_000 }),
    ]);
    await inbox.handlers.sendText({ conversationId: CONVERSATION, text: 'x' });
    await outbox.drain();
    expect(waits).toEqual([30_000]);
  });

  it('never retries a failed or unknown outcome on its own', async () => {
    const { inbox, outbox, sends, archive } = await build([
      { ok: false, outcome: 'unknown', reason: 'No answer' },
      { ok: false, outcome: 'failed', reason: 'Outside the window' },
    ]);
    await inbox.handlers.sendText({ conversationId: CONVERSATION, text: 'one' });
    await inbox.handlers.sendText({ conversationId: CONVERSATION, text: 'two' });
    await outbox.drain();
    expect(sends).toEqual(['one', 'two']);
    expect(
      archive
        .listMessages({ conversationId: CONVERSATION, limit: 10 })
        .items.slice(1)
        .map((m) => m.status),
    ).toEqual(['unknown', 'failed']);
  });

  it('close() stops waiting out a back-off and leaves the message queued for the next start', async () => {
    const { inbox, outbox, archive, sends } = await build([
      refused('busy'),
      refused('busy'),
      refused('busy'),
    ]);
    const { message } = await inbox.handlers.sendText({
      conversationId: CONVERSATION,
      text: 'later',
    });
    await outbox.close();
    expect(sends.length).toBeLessThan(4);
    expect(archive.findMessage(message.id)?.status).toBe('queued');
  });

  it('backoffDelay grows exponentially, is capped, and respects the hint', () => {
    const policy = { maxAttempts: 9, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(
      [1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 0.999, null)),
    ).toEqual([999, 1998, 3996, 7992, 7992]);
    expect(backoffDelay(1, policy, () => 0, 5000)).toBe(5000);
  });
});

describe('Retry and Delete commands', () => {
  it('Retry sends a failed message again; a sent one cannot be retried', async () => {
    const { inbox, outbox, sends } = await build([
      { ok: false, outcome: 'failed', reason: 'The person is not available' },
    ]);
    const { message } = await inbox.handlers.sendText({
      conversationId: CONVERSATION,
      text: 'again',
    });
    await outbox.drain();
    const retried = await inbox.handlers.retryMessage({ messageId: message.id });
    expect(retried.message.status).toBe('queued');
    await outbox.drain();
    expect(sends).toEqual(['again', 'again']);
    await expect(inbox.handlers.retryMessage({ messageId: message.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('Delete removes an undelivered message and refreshes the preview; history stays', async () => {
    const { inbox, outbox, archive, deleted } = await build([
      { ok: false, outcome: 'failed', reason: 'nope' },
    ]);
    const { message } = await inbox.handlers.sendText({
      conversationId: CONVERSATION,
      text: 'typo',
    });
    await outbox.drain();
    const { conversation } = await inbox.handlers.deleteMessage({ messageId: message.id });
    expect(conversation.lastMessagePreview).toBe('Hi');
    expect(deleted).toEqual([{ messageId: message.id, conversationId: CONVERSATION }]);
    expect(archive.findMessage(message.id)).toBeNull();
    const received = archive.findMessageByMid('in-1');
    await expect(
      inbox.handlers.deleteMessage({ messageId: received?.id ?? '' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(archive.findMessageByMid('in-1')).not.toBeNull();
  });
});

describe('createGraphSender', () => {
  const failing = (failure: Parameters<typeof classifyGraphFailure>[0]): GraphClient =>
    ({
      sendMessage: () =>
        Promise.reject(
          new GraphError(classifyGraphFailure(failure), {
            operation: 'sendMessage',
            isIdempotent: false,
          }),
        ),
    }) as unknown as GraphClient;
  const send = (graph: GraphClient) =>
    createGraphSender(graph, () => 'IGAAtoken').sendText(IG_ID, CUSTOMER_ID, 'hi');
  const graphError = (code: number, subcode?: number) => ({
    error: {
      message: 'x',
      type: 'OAuthException',
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
    },
  });

  it('calls a throttling refusal retryable (Meta refused, nothing was sent)', async () => {
    expect(
      await send(failing({ httpStatus: 400, body: graphError(613), requestSent: true })),
    ).toMatchObject({ ok: false, outcome: 'retryable' });
    expect(
      await send(
        failing({
          httpStatus: null,
          body: null,
          networkError: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          requestSent: false,
        }),
      ),
    ).toMatchObject({ outcome: 'retryable' });
  });

  it('calls a 5xx without a body, or 1/1357046, unknown: it may have been delivered', async () => {
    expect(await send(failing({ httpStatus: 502, body: null, requestSent: true }))).toMatchObject({
      outcome: 'unknown',
    });
    expect(
      await send(failing({ httpStatus: 500, body: graphError(1, 1357046), requestSent: true })),
    ).toMatchObject({ outcome: 'unknown' });
  });

  it('calls the 24-hour window and a missing token failed, with words the owner can act on', async () => {
    const outside = await send(
      failing({ httpStatus: 400, body: graphError(10, 2534022), requestSent: true }),
    );
    expect(outside).toMatchObject({ ok: false, outcome: 'failed' });
    const noToken = await createGraphSender({} as GraphClient, () => null).sendText(
      IG_ID,
      CUSTOMER_ID,
      'hi',
    );
    expect(noToken).toMatchObject({ outcome: 'failed' });
    expect(noToken.ok === false && noToken.reason).toMatch(/not connected/);
  });
});
