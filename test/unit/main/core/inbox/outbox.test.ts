import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  sendFailure,
  untranslated,
  type FailureReason,
} from '../../../../../shared/domain/failure-reason';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus } from '../../../../../main/core/event-bus';
import {
  backoffDelay,
  heldReason,
  Outbox,
  RECONCILE_MESSAGES,
  type AccountLogins,
  type SendOutcome,
} from '../../../../../main/core/inbox/outbox';
import {
  createGraphReconciler,
  createGraphSender,
} from '../../../../../main/core/inbox/graph-sender';
import { GraphError, classifyGraphFailure } from '../../../../../main/core/graph/graph-errors';
import type { GraphClient } from '../../../../../main/core/graph/graph-client';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { inboxForTestAccount, senderForTestAccount } from './inbox-harness';
import { CUSTOMER_ID, IG_ID, metaJson, textMessageBody } from '../../../../fakes/webhook-bodies';
import { quietReconciliation, scriptedReconciler } from '../../../../fakes/reconciler';

const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;
const OTHER_CUSTOMER = '1284973601758399';
const refused = (
  reason: string,
  extra: Partial<{
    retryAfterMs: number | null;
    maxRetries: number | null;
    scope: 'app' | 'account' | null;
  }> = {},
): SendOutcome => ({
  ok: false,
  outcome: 'retryable',
  reason: untranslated(reason),
  retryAfterMs: extra.retryAfterMs ?? null,
  maxRetries: extra.maxRetries ?? null,
  scope: extra.scope ?? null,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-outbox-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An outbox whose sender answers from a script and whose waits are recorded, not slept. */
async function build(
  answers: SendOutcome[],
  reconciler = scriptedReconciler(),
  accounts?: AccountLogins,
) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const saved: EventPayload<'inbox:messageSaved'>[] = [];
  const deleted: EventPayload<'inbox:messageDeleted'>[] = [];
  events.on('inbox:messageSaved', (payload) => saved.push(payload));
  events.on('inbox:messageDeleted', (payload) => deleted.push(payload));
  const waits: number[] = [];
  const sends: string[] = [];
  const clock = fixedClock(1773842751091 + 60_000);
  /** Runs inside a wait, before the clock moves on: lets a test act during a back-off. */
  const hooks: { onWait?: (ms: number) => Promise<void> } = {};
  const outbox = new Outbox({
    clock,
    archive,
    events,
    logger,
    sender: {
      sendText: async (_account, _recipient, text) => {
        sends.push(text);
        return answers.shift() ?? { ok: true, messageId: `mid-${sends.length}` };
      },
      sendAttachment: async (_account, _recipient, attachment, options) => {
        sends.push(`${attachment.type} ${attachment.path}${options?.tag ? ` ${options.tag}` : ''}`);
        return answers.shift() ?? { ok: true, messageId: `mid-${sends.length}` };
      },
    },
    ...quietReconciliation(),
    reconciler,
    accounts,
    retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 },
    random: () => 0.5,
    wait: async (ms, signal) => {
      waits.push(ms);
      if (signal.aborted) return;
      const onWait = hooks.onWait;
      hooks.onWait = undefined;
      await onWait?.(ms);
      clock.advance(ms);
    },
  });
  const inbox = inboxForTestAccount({ archive, events, outbox, clock, logger });
  const sending = senderForTestAccount({ archive, events, outbox, clock, logger, dir });
  void inbox.acceptDelivery(Buffer.from(textMessageBody({ mid: 'in-1', text: 'Hi' })));
  await inbox.idle();
  return { archive, outbox, inbox, sending, saved, deleted, waits, sends, clock, hooks };
}

describe('Outbox retries', () => {
  it('retries a refused send with full-jitter back-off until it goes out, keeping it queued meanwhile', async () => {
    const { sending, outbox, saved, waits, sends } = await build([
      refused('Too many messages'),
      refused('Too many messages'),
    ]);
    const { message } = await sending.handlers['sending:sendText']({
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
    await many.sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'a' });
    await many.outbox.drain();
    expect(many.sends).toHaveLength(4);
    expect(
      many.archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 }).items.at(-1),
    ).toMatchObject({ status: 'failed', error: { text: 'Instagram is busy' } });
    many.archive.close();

    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'inlet-outbox-'));
    const once = await build([
      refused('Unknown error', { maxRetries: 1 }),
      refused('Unknown error', { maxRetries: 1 }),
    ]);
    await once.sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'b' });
    await once.outbox.drain();
    expect(once.sends).toHaveLength(2);
  });

  it('waits at least as long as Instagram asks (Retry-After / BUC estimate)', async () => {
    const { sending, outbox, waits } = await build([
      refused('Rate limited', { retryAfterMs: 30_000 }),
    ]);
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'x' });
    await outbox.drain();
    expect(waits).toEqual([30_000]);
  });

  it('never retries a failed or unknown outcome on its own', async () => {
    const { sending, outbox, sends, archive } = await build([
      { ok: false, outcome: 'unknown', reason: untranslated('No answer') },
      { ok: false, outcome: 'failed', reason: untranslated('Outside the window') },
    ]);
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'one' });
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'two' });
    await outbox.drain();
    expect(sends).toEqual(['one', 'two']);
    expect(
      archive.queries
        .listMessages({ conversationId: CONVERSATION, limit: 10 })
        .items.slice(1)
        .map((m) => m.status),
    ).toEqual(['unknown', 'failed']);
  });

  it('close() stops waiting out a back-off and leaves the message queued for the next start', async () => {
    const { sending, outbox, archive, sends } = await build([
      refused('busy'),
      refused('busy'),
      refused('busy'),
    ]);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'later',
    });
    await outbox.close();
    expect(sends.length).toBeLessThan(4);
    expect(archive.queries.findMessage(message.id)?.status).toBe('queued');
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
    const { sending, inbox, outbox, sends } = await build([
      { ok: false, outcome: 'failed', reason: untranslated('The person is not available') },
    ]);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'again',
    });
    await outbox.drain();
    const retried = await inbox.handlers['inbox:retryMessage']({ messageId: message.id });
    expect(retried.message.status).toBe('queued');
    await outbox.drain();
    expect(sends).toEqual(['again', 'again']);
    await expect(
      inbox.handlers['inbox:retryMessage']({ messageId: message.id }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('Delete removes an undelivered message and refreshes the preview; history stays', async () => {
    const { sending, inbox, outbox, archive, deleted } = await build([
      { ok: false, outcome: 'failed', reason: untranslated('nope') },
    ]);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'typo',
    });
    await outbox.drain();
    // The list marks the conversation while the refused message is there.
    expect(archive.queries.findConversation(CONVERSATION)?.sendProblem).toBe('failed');
    const { conversation } = await inbox.handlers['inbox:deleteMessage']({ messageId: message.id });
    expect(conversation.lastMessagePreview).toBe('Hi');
    expect(conversation.sendProblem).toBeNull();
    expect(deleted).toEqual([{ messageId: message.id, conversationId: CONVERSATION }]);
    expect(archive.queries.findMessage(message.id)).toBeNull();
    const received = archive.queries.findMessageByMid('in-1');
    await expect(
      inbox.handlers['inbox:deleteMessage']({ messageId: received?.id ?? '' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(archive.queries.findMessageByMid('in-1')).not.toBeNull();
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

  it('pauses the account on 190, and scopes throttling: 4 is app-wide, 613 and 17 per account', async () => {
    expect(
      await send(failing({ httpStatus: 400, body: graphError(190, 463), requestSent: true })),
    ).toMatchObject({ outcome: 'paused' });
    const scopeOf = async (code: number) => {
      const outcome = await send(
        failing({ httpStatus: 400, body: graphError(code), requestSent: true }),
      );
      return outcome.ok === false && outcome.outcome === 'retryable' ? outcome.scope : 'n/a';
    };
    expect(await scopeOf(4)).toBe('app');
    expect(await scopeOf(613)).toBe('account');
    expect(await scopeOf(17)).toBe('account');
    expect(await scopeOf(2)).toBeNull();
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
    expect(noToken.ok === false && noToken.reason.text).toMatch(/not connected/);
  });
});

describe('Outbox reconciles a send of unknown outcome before any resend (docs/platform.md#idempotency)', () => {
  const noAnswer: SendOutcome = {
    ok: false,
    outcome: 'unknown',
    reason: untranslated('No answer'),
  };
  const statusOf = (archive: Archive, id: string) => {
    const message = archive.queries.findMessage(id);
    return [message?.status, message?.mid, message?.error?.text ?? null];
  };

  it('marks it sent with the mid the Conversations API shows, and never sends it twice', async () => {
    const reconciler = scriptedReconciler([{ state: 'found', mid: 'mid-on-instagram' }]);
    const { sending, outbox, archive, sends } = await build([noAnswer], reconciler);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'a',
    });
    await outbox.drain();
    expect(sends).toEqual(['a']);
    expect(statusOf(archive, message.id)).toEqual(['sent', 'mid-on-instagram', null]);
    expect(reconciler.calls[0]).toMatchObject({
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      text: 'a',
    });
  });

  it('fails it with an honest reason and Retry when Instagram has no such message', async () => {
    const { sending, inbox, outbox, archive, sends } = await build(
      [noAnswer],
      scriptedReconciler([{ state: 'absent' }]),
    );
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'b',
    });
    await outbox.drain();
    expect(statusOf(archive, message.id)).toEqual(['failed', null, RECONCILE_MESSAGES.absent]);
    await inbox.handlers['inbox:retryMessage']({ messageId: message.id });
    await outbox.drain();
    expect(sends).toEqual(['b', 'b']);
    expect(archive.queries.findMessage(message.id)?.status).toBe('sent');
  });

  it('keeps it unknown when Instagram cannot be asked, and lets a later echo confirm it', async () => {
    const { sending, inbox, outbox, archive, sends, saved } = await build([noAnswer]);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'c',
    });
    await outbox.drain();
    expect(statusOf(archive, message.id)).toEqual([
      'unknown',
      null,
      RECONCILE_MESSAGES.uncheckable('not scripted'),
    ]);
    await inbox.acceptDelivery(
      Buffer.from(textMessageBody({ mid: 'echo-c', text: 'c', echo: true, at: message.at + 500 })),
    );
    await inbox.idle();
    expect(statusOf(archive, message.id)).toEqual(['sent', 'echo-c', null]);
    expect(sends).toEqual(['c']);
    // One bubble: the echo confirmed the send instead of adding a message "from the Instagram app".
    expect(
      archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 }).items,
    ).toHaveLength(2);
    expect(saved.at(-1)?.message).toMatchObject({ id: message.id, status: 'sent' });
  });

  it('does not let an echo with other text, or one older than the send, confirm it', async () => {
    const { sending, inbox, outbox, archive } = await build([noAnswer]);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'd',
    });
    await outbox.drain();
    await inbox.acceptDelivery(Buffer.from(textMessageBody({ mid: 'e1', text: 'D', echo: true })));
    await inbox.acceptDelivery(
      Buffer.from(
        textMessageBody({ mid: 'e2', text: 'd', echo: true, at: message.at - 10 * 60_000 }),
      ),
    );
    await inbox.idle();
    expect(archive.queries.findMessage(message.id)?.status).toBe('unknown');
    expect(archive.queries.findMessageByMid('e1')).toMatchObject({ isFromOtherApp: true });
    expect(archive.queries.findMessageByMid('e2')).toMatchObject({ isFromOtherApp: true });
  });

  it('an attachment send of unknown outcome: looked up without text, then confirmed by its echo', async () => {
    const reconciler = scriptedReconciler();
    const { inbox, outbox, archive, sends } = await build([noAnswer], reconciler);
    const { message } = archive.outgoing.queue(CONVERSATION, null, 1773842751091 + 60_000, {
      attachments: [{ type: 'image', url: '/media/out/token', title: 'a.png' }],
    });
    outbox.enqueue(message.id, CONVERSATION);
    await outbox.drain();
    expect(sends).toEqual(['image /media/out/token']);
    expect(reconciler.calls[0]).toMatchObject({ text: null });
    expect(archive.queries.findMessage(message.id)?.status).toBe('unknown');
    const echo = (mid: string, type: string) =>
      Buffer.from(
        metaJson({
          object: 'instagram',
          entry: [
            {
              time: message.at + 700,
              id: IG_ID,
              messaging: [
                {
                  sender: { id: IG_ID },
                  recipient: { id: CUSTOMER_ID },
                  timestamp: message.at + 500,
                  message: {
                    mid,
                    is_echo: true,
                    attachments: [{ type, payload: { url: `https://cdn.test/${mid}` } }],
                  },
                },
              ],
            },
          ],
        }),
      );
    // A video echo is another message (sent from the Instagram app); the image echo is this one.
    await inbox.acceptDelivery(echo('echo-video', 'video'));
    await inbox.acceptDelivery(echo('echo-image', 'image'));
    await inbox.idle();
    expect(archive.queries.findMessage(message.id)).toMatchObject({
      status: 'sent',
      mid: 'echo-image',
    });
    expect(archive.queries.findMessageByMid('echo-video')).toMatchObject({ isFromOtherApp: true });
    expect(
      archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 }).items,
    ).toHaveLength(3);
  });

  it('after a kill mid-send: reconciles the message that was on the wire and sends the rest once', async () => {
    const first = await build([]);
    const inFlight = first.archive.outgoing.queue(CONVERSATION, 'on the wire', first.clock.now());
    first.archive.outgoing.setStatus(inFlight.message.id, { status: 'sending' });
    const queued = first.archive.outgoing.queue(CONVERSATION, 'never left', first.clock.now());
    first.archive.close();

    const reconciler = scriptedReconciler([{ state: 'found', mid: 'mid-wire' }]);
    const second = await build([], reconciler);
    second.outbox.recover();
    await second.outbox.drain();
    expect(second.sends).toEqual(['never left']);
    expect(statusOf(second.archive, inFlight.message.id)).toEqual(['sent', 'mid-wire', null]);
    expect(second.archive.queries.findMessage(queued.message.id)?.status).toBe('sent');
    // Known mids are skipped by the look-up so one Instagram message never confirms two sends.
    expect(reconciler.calls[0]?.isKnownMid('in-1')).toBe(true);
  });
});

describe('Outbox pauses an account whose token stopped working (190)', () => {
  it('keeps its messages queued with the reason, and sends them in order after resumeAccount', async () => {
    const { sending, outbox, archive, sends } = await build([
      { ok: false, outcome: 'paused', reason: untranslated('Reconnect needed') },
    ]);
    const one = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'one',
    });
    const two = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'two',
    });
    await outbox.drain();
    expect(outbox.isPaused(IG_ID)).toBe(true);
    expect(sends).toEqual(['one']);
    for (const { message } of [one, two])
      expect(archive.queries.findMessage(message.id)).toMatchObject({
        status: 'queued',
        error: { text: 'Reconnect needed' },
      });
    outbox.resumeAccount(IG_ID);
    await outbox.drain();
    expect(sends).toEqual(['one', 'one', 'two']);
    expect(archive.queries.findMessage(two.message.id)).toMatchObject({
      status: 'sent',
      error: null,
    });
  });
});

/** The accounts' logins as AccountsService reports them; `ready` is a login that succeeded. */
function fakeLogins(reasons: Map<string, FailureReason>) {
  const listeners: ((igUserId: string) => void)[] = [];
  return {
    reconnectReasons: () => reasons,
    onAccountReady: (listener: (igUserId: string) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
    ready(igUserId: string) {
      reasons.delete(igUserId);
      for (const listener of listeners) listener(igUserId);
    },
  };
}

const LOGIN_REFUSED: FailureReason = {
  text: 'Instagram refused the login. Connect the account again. Instagram said: “Session expired”',
  detail: { key: 'sendError.loginRefused', vars: { metaWords: 'Session expired' } },
};

describe('Outbox holds the messages of an account waiting for a new login', () => {
  it('after a restart, keeps them queued with why, and sends them in order once the login is back', async () => {
    const first = await build([]);
    const one = first.archive.outgoing.queue(CONVERSATION, 'one', first.clock.now());
    const two = first.archive.outgoing.queue(CONVERSATION, 'two', first.clock.now());
    first.archive.close();

    const logins = fakeLogins(new Map([[IG_ID, LOGIN_REFUSED]]));
    const second = await build([], scriptedReconciler(), logins);
    second.outbox.recover();
    await second.outbox.drain();
    expect(second.sends).toEqual([]);
    expect(second.outbox.isPaused(IG_ID)).toBe(true);
    for (const { message } of [one, two])
      expect(second.archive.queries.findMessage(message.id)).toMatchObject({
        status: 'queued',
        error: LOGIN_REFUSED,
      });

    logins.ready(IG_ID);
    await second.outbox.drain();
    expect(second.outbox.isPaused(IG_ID)).toBe(false);
    expect(second.sends).toEqual(['one', 'two']);
    for (const { message } of [one, two])
      expect(second.archive.queries.findMessage(message.id)).toMatchObject({
        status: 'sent',
        error: null,
      });
  });

  it('holds an account from the moment it needs a login, with the general reason when Instagram gave none', async () => {
    const reasons = new Map<string, FailureReason>();
    const { outbox, sending, archive, sends } = await build(
      [],
      scriptedReconciler(),
      fakeLogins(reasons),
    );
    outbox.recover();
    expect(outbox.isPaused(IG_ID)).toBe(false);

    reasons.set(IG_ID, untranslated('The saved login could not be opened.'));
    outbox.holdAccountsNeedingLogin();
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'held',
    });
    await outbox.drain();

    expect(sends).toEqual([]);
    expect(archive.queries.findMessage(message.id)).toMatchObject({
      status: 'queued',
      error: { detail: { key: 'sendError.accountNeedsLogin' } },
    });
  });

  it('holds nothing without accounts to ask', async () => {
    const { outbox, sending, sends } = await build([]);
    outbox.recover();
    outbox.holdAccountsNeedingLogin();
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'goes' });
    await outbox.drain();
    expect(sends).toEqual(['goes']);
  });
});

describe('Outbox throttling scope (docs/platform.md#usage-headers, docs/platform.md#error-codes)', () => {
  it('an account-wide refusal holds the account’s other conversations too', async () => {
    const { sending, inbox, outbox, waits, sends, archive, hooks } = await build([
      refused('613', { retryAfterMs: 20_000, scope: 'account' }),
    ]);
    await inbox.acceptDelivery(
      Buffer.from(textMessageBody({ mid: 'in-2', text: 'Hi', customerId: OTHER_CUSTOMER })),
    );
    await inbox.idle();
    const other = `${IG_ID}:${OTHER_CUSTOMER}`;
    // While the first conversation backs off, the owner answers in another one of the account.
    hooks.onWait = async () => {
      await sending.handlers['sending:sendText']({ conversationId: other, text: 'second' });
      await outbox.settled(other);
    };
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'first' });
    await outbox.drain();
    // It waited out the same 20 s instead of hitting the limit again.
    expect(waits).toEqual([20_000, 20_000]);
    expect(sends).toEqual(['first', 'second', 'first']);
    expect(archive.queries.listMessages({ conversationId: other, limit: 5 }).items[1]?.status).toBe(
      'sent',
    );
  });

  it('app usage headers near 100 % make every send wait, more the closer they are', async () => {
    const { sending, outbox, waits } = await build([]);
    outbox.noteUsage({ appUsagePercent: 50 });
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'calm' });
    await outbox.drain();
    outbox.noteUsage({ appUsagePercent: 85 });
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'busy' });
    await outbox.drain();
    outbox.noteUsage({ appUsagePercent: 100 });
    await sending.handlers['sending:sendText']({ conversationId: CONVERSATION, text: 'full' });
    await outbox.drain();
    expect(waits).toEqual([1000, 4000]);
  });
});

describe('createGraphReconciler', () => {
  const graph = (messages: { id: string; from: string; text: string; at: number }[]) =>
    ({
      listConversations: async () => ({
        conversations: [{ id: 't1', updatedTime: null, participants: [] }],
        nextCursor: null,
      }),
      getConversationMessages: async () => ({
        messages: messages.map((m) => ({
          id: m.id,
          createdTime: m.at,
          from: { id: m.from, username: null },
          text: m.text,
        })),
        nextCursor: null,
      }),
    }) as unknown as GraphClient;
  const lookUp = (client: GraphClient, known: string[] = []) =>
    createGraphReconciler(client, () => 'IGAAtoken').lookUp({
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      text: 'same',
      sentAfter: 1000,
      isKnownMid: (mid) => known.includes(mid),
    });

  it('finds the oldest business message with the text after the send, skipping known mids', async () => {
    const client = graph([
      { id: 'newest', from: IG_ID, text: 'same', at: 3000 },
      { id: 'oldest', from: IG_ID, text: 'same', at: 2000 },
      { id: 'customer', from: CUSTOMER_ID, text: 'same', at: 2500 },
      { id: 'before', from: IG_ID, text: 'same', at: 500 },
    ]);
    expect(await lookUp(client)).toEqual({ state: 'found', mid: 'oldest' });
    expect(await lookUp(client, ['oldest'])).toEqual({ state: 'found', mid: 'newest' });
    expect(await lookUp(client, ['oldest', 'newest'])).toEqual({ state: 'absent' });
  });

  it('for an attachment-only send (text null) finds a business message without text', async () => {
    const client = graph([
      { id: 'photo', from: IG_ID, text: '', at: 2500 },
      { id: 'words', from: IG_ID, text: 'same', at: 2000 },
    ]);
    const found = await createGraphReconciler(client, () => 'IGAAtoken').lookUp({
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      text: null,
      sentAfter: 1000,
      isKnownMid: () => false,
    });
    expect(found).toEqual({ state: 'found', mid: 'photo' });
  });

  it('answers unavailable when Graph fails or the account is not connected', async () => {
    const failing = {
      listConversations: () =>
        Promise.reject(
          new GraphError(
            classifyGraphFailure({
              httpStatus: 400,
              body: { error: { code: 613, message: 'x' } },
              requestSent: true,
            }),
            {
              operation: 'listConversations',
              isIdempotent: true,
            },
          ),
        ),
    } as unknown as GraphClient;
    expect(await lookUp(failing)).toMatchObject({ state: 'unavailable' });
    const none = await createGraphReconciler(failing, () => null).lookUp({
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      text: 'x',
      sentAfter: 0,
      isKnownMid: () => false,
    });
    expect(none).toMatchObject({ state: 'unavailable' });
  });
});

describe('heldReason: why an account’s messages wait for a login', () => {
  it('keeps Graph’s own sentence, key and variables when the account was refused by Instagram', () => {
    const said = {
      text: 'Instagram refused the login. Connect the account again. Instagram said: “Session expired”',
      detail: {
        key: 'sendError.loginRefused' as const,
        vars: { metaWords: 'Session expired' },
      },
    };
    expect(heldReason(said)).toEqual(said);
  });

  it('says “needs a new login” for a reason that is not a send reason (an unreadable saved login)', () => {
    const held = heldReason({
      text: 'The saved login could not be decrypted. Connect the account again.',
      detail: { key: 'errorDetail.savedLoginUndecryptable', vars: null },
    });
    expect(held.detail).toEqual({ key: 'sendError.accountNeedsLogin', vars: null });
    expect(held.text).toContain('needs a new login');
    expect(heldReason(untranslated('Old English reason')).detail?.key).toBe(
      'sendError.accountNeedsLogin',
    );
  });
});

describe('Outbox shows a held send why and until when, and lets the owner act', () => {
  const limited = () => ({
    ...refused('613', { retryAfterMs: 20_000, scope: 'account' }),
    reason: sendFailure('Instagram is limiting this account.', 'rateLimited'),
  });

  it('holds the refused message and the account’s others with the reason and the next try', async () => {
    const { sending, inbox, outbox, archive, hooks, clock, saved } = await build([limited()]);
    await inbox.acceptDelivery(
      Buffer.from(textMessageBody({ mid: 'in-2', text: 'Hi', customerId: OTHER_CUSTOMER })),
    );
    await inbox.idle();
    const other = `${IG_ID}:${OTHER_CUSTOMER}`;
    let until = 0;
    hooks.onWait = async () => {
      until = clock.now() + 20_000;
      await sending.handlers['sending:sendText']({ conversationId: other, text: 'second' });
      await outbox.settled(other);
    };
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'first',
    });
    await outbox.drain();
    const heldStates = (text: string) =>
      saved
        .filter((payload) => payload.message.text === text && payload.message.status === 'queued')
        .map((payload) => payload.message.error?.detail);
    const held = { key: 'sendError.rateLimited', vars: { until } };
    expect(heldStates('first')).toContainEqual(held);
    expect(heldStates('second')).toContainEqual(held);
    // The conversation said so too, while it was held.
    expect(
      saved.some((p) => p.message.id === message.id && p.conversation.sendProblem === 'held'),
    ).toBe(true);
    // Sent in the end, the reason gone.
    expect(archive.queries.findMessage(message.id)).toMatchObject({ status: 'sent', error: null });
    expect(archive.queries.findConversation(CONVERSATION)?.sendProblem).toBeNull();
  });

  it('"Send now when allowed" ends the account’s hold: the next send does not wait', async () => {
    const { sending, inbox, outbox, waits, sends, hooks } = await build([limited()]);
    await inbox.acceptDelivery(
      Buffer.from(textMessageBody({ mid: 'in-2', text: 'Hi', customerId: OTHER_CUSTOMER })),
    );
    await inbox.idle();
    const other = `${IG_ID}:${OTHER_CUSTOMER}`;
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'first',
    });
    hooks.onWait = async () => {
      expect(await sending.handlers['sending:sendNow']({ messageId: message.id })).toEqual({});
      await sending.handlers['sending:sendText']({ conversationId: other, text: 'second' });
      await outbox.settled(other);
    };
    await outbox.drain();
    expect(waits).toEqual([20_000]); // only the first message's own back-off, cut short
    expect(sends).toEqual(['first', 'second', 'first']);
    await expect(
      sending.handlers['sending:sendNow']({ messageId: message.id }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' }); // sent by now
  });

  it('Cancel deletes a held message: it is never sent', async () => {
    const { sending, inbox, outbox, sends, hooks, archive, deleted } = await build([limited()]);
    const { message } = await sending.handlers['sending:sendText']({
      conversationId: CONVERSATION,
      text: 'first',
    });
    hooks.onWait = async () => {
      await inbox.handlers['inbox:deleteMessage']({ messageId: message.id });
    };
    await outbox.drain();
    expect(sends).toEqual(['first']); // the refused attempt only
    expect(deleted).toEqual([{ messageId: message.id, conversationId: CONVERSATION }]);
    expect(archive.queries.findMessage(message.id)).toBeNull();
  });
});
