import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphError } from '../../../../main/core/graph/graph-errors';
import { createGraphSender } from '../../../../main/core/inbox/graph-sender';
import { memoryLogger } from '../../../fakes/logger';
import { body, emulatorGraph, graphError, startHarness, type Harness } from './harness';

/**
 * Refusals as Meta gives them (docs/platform.md#app-modes, #reply-windows, #rate-limits), and how
 * Inlet's own Graph client and sender read them.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const graphClient = () => emulatorGraph(h.emulator.url, { paths: [], logger: memoryLogger() });
const DAY = 24 * 60 * 60 * 1000;

describe('an account without a role on an app in Development mode', () => {
  beforeEach(() => h.client.configureApp({ mode: 'development' }));

  it('gets a bare 100 "Unsupported request" on every Graph call, get and post', async () => {
    const stranger = await h.client.createAccount({ username: 'stranger.shop', hasRole: false });
    const me = await h.graph('/v24.0/me?fields=user_id', { token: stranger.accessToken });
    expect(me.status).toBe(400);
    expect(graphError(me)).toMatchObject({
      code: 100,
      type: 'IGApiException',
      message: 'Unsupported request - method type: get',
    });
    expect(graphError(me).error_subcode).toBeUndefined();
    const post = await h.graph(
      `/v24.0/${stranger.igUserId}/subscribed_apps?subscribed_fields=messages`,
      {
        method: 'POST',
        token: stranger.accessToken,
      },
    );
    expect(graphError(post).message).toBe('Unsupported request - method type: post');

    await h.client.configureApp({ mode: 'live' });
    expect(
      (await h.graph('/v24.0/me?fields=user_id', { token: stranger.accessToken })).status,
    ).toBe(200);
  });

  it('is explained to the owner as the missing tester role', async () => {
    const stranger = await h.client.createAccount({ username: 'stranger.shop', hasRole: false });
    const error = await graphClient()
      .getMe(stranger.accessToken)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).failure).toMatchObject({
      reason: 'app-role-missing',
      kind: 'permanent',
    });
    expect((error as GraphError).detail?.key).toBe('sendError.appRoleMissing');
  });
});

describe('Human Agent without App Review', () => {
  const tagged = () => ({
    recipient: { id: h.customer.igsid },
    messaging_type: 'MESSAGE_TAG',
    tag: 'HUMAN_AGENT',
    message: { text: 'your order shipped' },
  });

  it('is refused with HTTP 403 IGApiException and no code', async () => {
    await h.client.customerSends(h.customer.igsid, { text: 'Where is my order?' });
    await h.client.advanceClock(3 * DAY);
    const refused = await h.sendMessage(tagged());
    expect(refused.status).toBe(403);
    expect(graphError(refused).type).toBe('IGApiException');
    expect(body<{ error: Record<string, unknown> }>(refused).error).not.toHaveProperty('code');
  });

  it('is read by Inlet as "not approved", not as a missing permission', async () => {
    await h.client.customerSends(h.customer.igsid, { text: 'Where is my order?' });
    await h.client.advanceClock(3 * DAY);
    const error = await graphClient()
      .sendMessage(h.account.accessToken, h.account.igUserId, {
        kind: 'text',
        recipientId: h.customer.igsid,
        text: 'your order shipped',
        tag: 'HUMAN_AGENT',
      })
      .catch((e: unknown) => e);
    expect((error as GraphError).failure.reason).toBe('human-agent-not-approved');
  });
});

describe('Business-Use-Case usage and throttling', () => {
  type Usage = Record<string, { call_count: number; estimated_time_to_regain_access: number }[]>;
  const usageOf = (headers: Headers) =>
    JSON.parse(headers.get('x-business-use-case-usage') ?? 'null') as Usage;

  it('reports usage on every Graph answer, refusals included', async () => {
    await h.client.configureApp({ callBudget: 4 });
    const ok = await h.graph('/v24.0/me?fields=user_id');
    expect(usageOf(ok.headers)).toEqual({
      [h.account.igUserId]: [
        {
          type: 'instagram',
          call_count: 25,
          total_cputime: 3,
          total_time: 3,
          estimated_time_to_regain_access: 0,
        },
      ],
    });
    const refused = await h.graph('/v24.0/999/conversations?platform=instagram');
    expect(refused.status).toBe(400);
    expect(usageOf(refused.headers)[h.account.igUserId]![0]!.call_count).toBe(50);
  });

  it('throttles calls beyond the budget until the oldest leave the 24-hour window', async () => {
    await h.client.configureApp({ callBudget: 2 });
    await h.graph('/v24.0/me');
    await h.client.advanceClock(60 * 60 * 1000);
    await h.graph('/v24.0/me');
    const throttled = await h.graph('/v24.0/me');
    expect(throttled.status).toBe(400);
    expect(graphError(throttled)).toMatchObject({ code: 80002, is_transient: true });
    expect(usageOf(throttled.headers)[h.account.igUserId]![0]).toMatchObject({
      call_count: 100,
      estimated_time_to_regain_access: 23 * 60,
    });
    await h.client.advanceClock(23 * 60 * 60 * 1000 + 1);
    expect((await h.graph('/v24.0/me')).status).toBe(200);
  });

  it('makes Inlet hold the account’s sends for the time Meta names, not fail them', async () => {
    await h.client.customerSends(h.customer.igsid, { text: 'Hi' });
    await h.client.configureApp({ callBudget: 1 });
    const sender = createGraphSender(graphClient(), () => h.account.accessToken);
    expect(await sender.sendText(h.account.igUserId, h.customer.igsid, 'first')).toMatchObject({
      ok: true,
    });
    expect(await sender.sendText(h.account.igUserId, h.customer.igsid, 'second')).toMatchObject({
      ok: false,
      outcome: 'retryable',
      scope: 'account',
      retryAfterMs: 24 * 60 * 60 * 1000,
    });
    const sent = await h.client.sent(h.account.igUserId);
    expect(sent.map((request) => request.response.status)).toEqual([200, 400]);
  });
});
