import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendFailure } from '../../../../../shared/domain/failure-reason';
import { Archive } from '../../../../../main/core/archive/archive';
import { createEventBus } from '../../../../../main/core/event-bus';
import { GraphError, classifyGraphFailure } from '../../../../../main/core/graph/graph-errors';
import type { GraphClient } from '../../../../../main/core/graph/graph-client';
import { createGraphSender } from '../../../../../main/core/inbox/graph-sender';
import {
  Outbox,
  RECONCILE_MESSAGES,
  type LookUpResult,
} from '../../../../../main/core/inbox/outbox';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { scriptedReconciler } from '../../../../fakes/reconciler';
import { inboxForTestAccount, senderForTestAccount } from './inbox-harness';
import { CUSTOMER_ID, IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';

/**
 * Every reason the outbox stores on an outgoing message carries its key (and variables)
 * next to the English text, so the renderer can show it in the owner's language.
 */
const CONVERSATION = `${IG_ID}:${CUSTOMER_ID}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-send-error-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Graph answers every send with this error body (or succeeds when there is none). */
function graphAnswering(httpStatus: number | null, body: unknown): GraphClient {
  return {
    sendMessage: () =>
      Promise.reject(
        new GraphError(
          classifyGraphFailure(
            httpStatus === null
              ? {
                  httpStatus: null,
                  body: null,
                  networkError: new Error('timeout'),
                  requestSent: true,
                }
              : { httpStatus, body, requestSent: true },
          ),
          { operation: 'sendMessage', isIdempotent: false },
        ),
      ),
  } as unknown as GraphClient;
}

const metaError = (code: number, subcode?: number, userMsg?: string) => ({
  error: {
    message: 'x',
    type: 'OAuthException',
    code,
    ...(subcode ? { error_subcode: subcode } : {}),
    ...(userMsg ? { error_user_msg: userMsg } : {}),
  },
});

async function sendThrough(
  graph: GraphClient,
  options: { token?: string | null; lookUps?: LookUpResult[] } = {},
) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const clock = fixedClock(1773842751091 + 60_000);
  const token = options.token === undefined ? 'IGAAtoken' : options.token;
  const outbox = new Outbox({
    clock,
    archive,
    events,
    logger,
    sender: createGraphSender(graph, () => token),
    reconciler: scriptedReconciler(options.lookUps ?? []),
    echoGraceMs: 0,
    wait: async () => {},
  });
  const inbox = inboxForTestAccount({ archive, events, outbox, clock, logger });
  const sending = senderForTestAccount({ archive, events, outbox, clock, logger, dir });
  await inbox.acceptDelivery(Buffer.from(textMessageBody({ mid: 'in-1', text: 'Hi' })));
  await inbox.idle();
  const { message } = await sending.handlers['sending:sendText']({
    conversationId: CONVERSATION,
    text: 'hey',
  });
  await outbox.drain();
  return {
    archive,
    outbox,
    inbox,
    sending,
    stored: archive.queries.findMessage(message.id),
    id: message.id,
  };
}

describe('the outbox stores a reason key next to the English reason', () => {
  it('Graph 551: failed, recipientUnavailable, with the English text kept for logs and export', async () => {
    const { stored } = await sendThrough(graphAnswering(400, metaError(551, 1545041)));
    expect(stored).toMatchObject({
      status: 'failed',
      error: { detail: { key: 'sendError.recipientUnavailable', vars: null } },
    });
    expect(stored?.error?.text).toMatch(/isn’t available right now/);
  });

  it('Graph 190: held as queued with tokenInvalid while the account is paused', async () => {
    const { stored, outbox } = await sendThrough(graphAnswering(400, metaError(190, 463)));
    expect(outbox.isPaused(IG_ID)).toBe(true);
    expect(stored).toMatchObject({
      status: 'queued',
      error: { detail: { key: 'sendError.tokenInvalid' } },
    });
    expect(stored?.error?.text).toMatch(/Connect the account again/);
  });

  it('outside the 24-hour window (10/2534022): failed, outsideWindow', async () => {
    const { stored } = await sendThrough(graphAnswering(400, metaError(10, 2534022)));
    expect(stored).toMatchObject({
      status: 'failed',
      error: { detail: { key: 'sendError.outsideWindow' } },
    });
  });

  it('no token: failed, notConnected', async () => {
    const { stored } = await sendThrough({} as GraphClient, { token: null });
    expect(stored).toMatchObject({
      status: 'failed',
      error: { detail: { key: 'sendError.notConnected' } },
    });
    expect(stored?.error?.text).toMatch(/not connected/);
  });

  it('an unknown code keeps its number and Meta’s own words as variables', async () => {
    const { stored } = await sendThrough(
      graphAnswering(400, metaError(98765, undefined, 'Try another way')),
    );
    expect(stored).toMatchObject({
      status: 'failed',
      error: {
        text: 'Instagram refused the request (error 98765). Instagram said: “Try another way”',
        detail: {
          key: 'sendError.refusedCode',
          vars: { code: 98765, metaWords: 'Try another way' },
        },
      },
    });
  });

  it('an unknown outcome reconciled as absent: failed, reconcileAbsent; Retry clears the key', async () => {
    const { stored, archive, inbox, outbox, id } = await sendThrough(graphAnswering(null, null), {
      lookUps: [{ state: 'absent' }],
    });
    expect(stored).toMatchObject({
      status: 'failed',
      error: { text: RECONCILE_MESSAGES.absent, detail: { key: 'sendError.reconcileAbsent' } },
    });
    await inbox.handlers['inbox:retryMessage']({ messageId: id });
    expect(archive.queries.findMessage(id)).toMatchObject({ error: null });
    // The key and variables are cleared with the English text in the archive's own columns.
    const db = new DatabaseSync(join(dir, 'archive.sqlite'));
    const columns = db
      .prepare('SELECT error, error_key, error_vars FROM messages WHERE id = ?')
      .get(id);
    db.close();
    expect(columns).toEqual({ error: null, error_key: null, error_vars: null });
    await outbox.drain();
  });

  it('an unknown outcome Instagram cannot be asked about names the cause by its key', async () => {
    const { stored } = await sendThrough(graphAnswering(null, null), {
      lookUps: [
        { state: 'unavailable', reason: sendFailure('not connected', 'notConnected') },
        { state: 'unavailable', reason: sendFailure('not connected', 'notConnected') },
        { state: 'unavailable', reason: sendFailure('not connected', 'notConnected') },
      ],
    });
    expect(stored).toMatchObject({
      status: 'unknown',
      error: {
        text: RECONCILE_MESSAGES.uncheckable('not connected'),
        detail: { key: 'sendError.reconcileUncheckable', vars: { cause: 'notConnected' } },
      },
    });
  });
});

describe('rows without a key', () => {
  it('an unknown key or unreadable variables read as no detail, so the renderer shows the stored text', async () => {
    const { archive, id } = await sendThrough(graphAnswering(400, metaError(551)));
    archive.close();
    const db = new DatabaseSync(join(dir, 'archive.sqlite'));
    db.prepare(
      "UPDATE messages SET error_key = 'fromANewerInlet', error_vars = '{' WHERE id = ?",
    ).run(id);
    db.close();
    const reopened = new Archive(join(dir, 'archive.sqlite'));
    expect(reopened.queries.findMessage(id)).toMatchObject({
      status: 'failed',
      error: { detail: null },
    });
    expect(reopened.queries.findMessage(id)?.error?.text).toMatch(/isn’t available/);
    reopened.close();
  });
});
