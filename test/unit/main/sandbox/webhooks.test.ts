import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_SECRET, body, graphError, startHarness, type Harness } from './harness';
import { hasValidSignature, messagingOf } from './webhook-receiver';

describe('emulator webhook delivery (docs/platform.md#webhooks)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());
  const igsid = () => h.customer.igsid;

  it('batches several events and entries in one signed POST', async () => {
    const other = await h.client.createAccount({ username: 'second.shop' });
    const buyer = await h.client.createCustomer({ accountId: other.igUserId, username: 'buyer' });
    const result = await h.client.sendBatch({
      events: [
        { kind: 'message', igsid: igsid(), text: 'one' },
        { kind: 'message', igsid: igsid(), text: 'two' },
        { kind: 'message', igsid: buyer.igsid, text: 'three' },
      ],
    });
    expect(result.delivery.status).toBe(200);
    const [post] = h.receiver.posts;
    expect(hasValidSignature(post!, APP_SECRET)).toBe(true);
    expect(post!.json.entry.map((e) => [e.id, e.messaging?.length])).toEqual([
      [h.account.igUserId, 2],
      [other.igUserId, 1],
    ]);

    await h.client.sendBatch({
      entries: 'separate',
      events: [
        { kind: 'message', igsid: igsid(), text: 'a' },
        { kind: 'seen', igsid: igsid(), mid: result.mids[0]! },
      ],
    });
    expect(h.receiver.posts[1]!.json.entry).toHaveLength(2);
  });

  it('retries a failed delivery with back-off driven by the clock', async () => {
    h.receiver.statusQueue.push(500, 503);
    const first = await h.client.customerSends(igsid(), { text: 'retry me' });
    expect(first.delivery).toEqual({ status: 500, error: 'HTTP 500' });
    let [delivery] = await h.client.flushDeliveries();
    expect(delivery).toMatchObject({ state: 'retrying', attempts: [{ status: 500 }] });

    await h.client.advanceClock(10_000);
    [delivery] = await h.client.flushDeliveries();
    expect(delivery).toMatchObject({
      state: 'retrying',
      attempts: [{ status: 500 }, { status: 503 }],
    });
    await h.client.advanceClock(59_000);
    [delivery] = await h.client.flushDeliveries();
    expect(delivery!.attempts).toHaveLength(2);
    await h.client.advanceClock(1_000);
    [delivery] = await h.client.flushDeliveries();
    expect(delivery).toMatchObject({ state: 'delivered', nextAttemptAt: null });
    expect(h.receiver.posts).toHaveLength(1);
    expect(h.receiver.posts[0]!.text).toBe(delivery!.body);
  });

  it('gives up after 36 hours of failures when the subscription survives them', async () => {
    // The lenient reading of Meta's documents: no unsubscribing after an hour.
    await h.client.configureApp({ dropSubscriptionAfterMs: 48 * 3_600_000 });
    await h.receiver.close();
    const sent = await h.client.customerSends(igsid(), { text: 'nobody home' });
    expect(sent.delivery.status).toBeNull();
    expect(sent.delivery.error).toBeTruthy();
    for (let i = 0; i < 12; i++) {
      await h.client.advanceClock(12 * 3_600_000);
      await h.client.flushDeliveries();
    }
    const [delivery] = await h.client.deliveries();
    expect(delivery).toMatchObject({ state: 'failed', nextAttemptAt: null });
    // One attempt per flush (each 12 h step makes at most one retry due); none after 36 h.
    expect(delivery!.attempts).toHaveLength(4);
    expect(delivery!.attempts.at(-1)!.at - delivery!.at).toBeLessThanOrEqual(36 * 3_600_000);
  });

  it('duplicates and drops deliveries on request', async () => {
    await h.client.setFaults({ duplicateDeliveries: 1, dropDeliveries: 1 });
    const dropped = await h.client.customerSends(igsid(), { text: 'lost' });
    expect(dropped.delivery).toEqual({ status: null, error: 'dropped by fault injection' });
    const twice = await h.client.customerSends(igsid(), { text: 'twice' });
    await h.client.flushDeliveries();
    const texts = h.receiver.posts.map((p) => messagingOf(p)[0]!.message?.text);
    expect(texts).toEqual(['twice', 'twice']);
    const log = await h.client.deliveries();
    expect(log.map((d) => d.state)).toEqual(['dropped', 'delivered', 'delivered']);
    expect(log[2]!.duplicateOf).toBe(log[1]!.id);
    expect(twice.mid).toBeTruthy();
  });

  it('writes every messaging event kind in Meta’s shape', async () => {
    const { mid } = await h.client.customerSends(igsid(), { text: 'original' });
    await h.sendMessage({ recipient: { id: igsid() }, message: { text: 'reply' } });
    await h.client.flushDeliveries();
    const send = async (path: Parameters<typeof h.client.customerDoes>[1], input: object) => {
      await h.client.customerDoes(igsid(), path, input);
      return messagingOf(h.receiver.posts.at(-1)!)[0]!;
    };
    const sendMessage = async (input: Parameters<typeof h.client.customerSends>[1]) => {
      await h.client.customerSends(igsid(), input);
      return messagingOf(h.receiver.posts.at(-1)!)[0]!;
    };
    expect((await send('react', { mid, reaction: 'love' })).reaction).toEqual({
      mid,
      action: 'react',
      reaction: 'love',
      emoji: '❤️',
    });
    expect(h.receiver.posts.at(-1)!.text).toContain('"emoji":"\\u2764\\ufe0f"');
    expect((await send('react', { mid, emoji: '🔥' })).reaction).toEqual({
      mid,
      action: 'react',
      reaction: 'other',
      emoji: '🔥',
    });
    expect((await send('unreact', { mid })).reaction).toEqual({ mid, action: 'unreact' });
    expect(await send('edit', { mid, text: 'edited', numEdit: 1 })).toMatchObject({
      sender: { id: igsid() },
      message_edit: { mid, text: 'edited', num_edit: 1 },
    });
    const minimalEdit = await send('edit', { mid, numEdit: 0, minimal: true });
    expect(Object.keys(minimalEdit)).toEqual(['timestamp', 'message_edit']);
    expect((await send('unsend', { mid })).message).toEqual({ mid, is_deleted: true });
    const seen = await send('seen', {});
    expect((seen.read as { mid: string }).mid).toMatch(/^[\w-]+$/);
    expect(await send('postback', { title: 'Where is my order?', payload: 'ORDER' })).toMatchObject(
      { postback: { title: 'Where is my order?', payload: 'ORDER' } },
    );
    expect(await send('referral', { ref: 'spring' })).toMatchObject({
      referral: { ref: 'spring', type: 'OPEN_THREAD' },
    });

    expect(
      (await sendMessage({ attachments: [{ type: 'story_mention' }] })).message?.attachments?.[0]
        ?.type,
    ).toBe('story_mention');
    expect(
      (await sendMessage({ text: 'this?', replyToStory: { id: '180' } })).message?.reply_to,
    ).toMatchObject({ story: { id: '180' } });
    expect((await sendMessage({ text: 'yes', replyToMid: mid! })).message?.reply_to).toEqual({
      mid,
    });
    expect(
      (await sendMessage({ text: 'Medium', quickReplyPayload: 'SIZE_M' })).message,
    ).toMatchObject({ quick_reply: { payload: 'SIZE_M' }, text: 'Medium' });
    expect((await sendMessage({ isUnsupported: true })).message).toMatchObject({
      is_unsupported: true,
    });
    expect(
      (await sendMessage({ attachments: [{ type: 'ephemeral' }] })).message?.attachments,
    ).toEqual([{ type: 'ephemeral' }]);
    const post = await sendMessage({ attachments: [{ type: 'ig_post', title: 'caption' }] });
    expect(post.message?.attachments?.[0]?.payload).toMatchObject({
      title: 'caption',
      ig_post_media_id: expect.stringMatching(/^18\d{15}$/) as string,
    });
    const reel = await sendMessage({ attachments: [{ type: 'ig_reel', title: 'reel' }] });
    expect(Object.keys(reel.message?.attachments?.[0]?.payload ?? {})).toEqual([
      'reel_video_id',
      'title',
      'url',
    ]);
    for (const type of ['image', 'video', 'audio', 'file', 'share']) {
      const event = await sendMessage({ attachments: [{ type }] });
      const url = String(event.message?.attachments?.[0]?.payload?.url);
      expect(url).toContain('/cdn/ig_messaging_cdn/?asset_id=');
      expect((await fetch(url)).status).toBe(200);
    }
    await h.client.customerSends(igsid(), { text: 'Hello? Anyone there?', standby: true });
    expect(h.receiver.posts.at(-1)!.json.entry[0]!.standby?.[0]?.message?.text).toBe(
      'Hello? Anyone there?',
    );

    const echo = await h.client.customerDoes(igsid(), 'echo', {
      text: 'typed in the Instagram app',
    });
    expect(messagingOf(h.receiver.posts.at(-1)!)[0]).toMatchObject({
      sender: { id: h.account.igUserId },
      message: { mid: echo.mid, is_echo: true },
    });
    expect(h.receiver.posts.every((p) => hasValidSignature(p, APP_SECRET))).toBe(true);
  });

  it('writes comment webhooks spaced, with entry time in seconds', async () => {
    await h.client.comment({
      accountId: h.account.igUserId,
      fromId: '952467318864215',
      fromUsername: 'lena/k',
      text: 'Price? 💸',
      id: '17867301270523379',
      mediaId: '18050310947722369',
    });
    const post = h.receiver.posts.at(-1)!;
    expect(post.text.startsWith('{"entry": [{"time": ')).toBe(true);
    expect(post.text).toContain('"username": "lena\\/k"');
    expect(post.text).toContain('\\ud83d\\udcb8');
    expect(post.json.entry[0]!.time).toBeLessThan(1e11);
    expect(post.json.entry[0]!.changes).toEqual([
      {
        value: {
          from: { id: '952467318864215', username: 'lena/k' },
          media: { id: '18050310947722369', media_product_type: 'FEED' },
          id: '17867301270523379',
          text: 'Price? 💸',
        },
        field: 'comments',
      },
    ]);
    await h.client.comment({
      accountId: h.account.igUserId,
      fromId: h.account.igUserId,
      text: 'Thanks!',
      parentId: '17867301270523379',
    });
    const own = h.receiver.posts.at(-1)!.json.entry[0]!.changes![0]!.value as {
      from: Record<string, string>;
      parent_id: string;
    };
    expect(own.from.self_ig_scoped_id).toMatch(/^\d{17}$/);
    expect(own.parent_id).toBe('17867301270523379');
  });
});

describe('emulator fault injection', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.client.customerSends(h.customer.igsid, { text: 'hi' });
  });
  afterEach(() => h.stop());
  const reply = () =>
    h.sendMessage({ recipient: { id: h.customer.igsid }, message: { text: 'ok' } });

  it('fails the next N sends with the given code and rate-limit headers', async () => {
    await h.client.setFaults({ sendFailures: { count: 2, code: 613, subcode: 2534040 } });
    const first = await reply();
    expect(graphError(first)).toMatchObject({
      code: 613,
      error_subcode: 2534040,
      message: '(#613) Calls to this api have exceeded the rate limit.',
    });
    expect(JSON.parse(first.headers.get('x-business-use-case-usage')!)).toEqual({
      [h.account.igUserId]: [
        {
          type: 'instagram',
          call_count: 100,
          total_cputime: 100,
          total_time: 100,
          estimated_time_to_regain_access: 5,
        },
      ],
    });
    expect(JSON.parse(first.headers.get('x-app-usage')!)).toMatchObject({ call_count: 100 });
    expect(graphError(await reply()).code).toBe(613);
    expect((await reply()).status).toBe(200);

    for (const code of [4, 17, 32]) {
      await h.client.setFaults({ sendFailures: { count: 1, code } });
      expect(graphError(await reply()).code).toBe(code);
    }
    await h.client.setFaults({ sendFailures: { count: 1, code: 2, httpStatus: 503 } });
    const transient = await reply();
    expect(transient.status).toBe(503);
    expect(body(transient)).toMatchObject({ error: { code: 2, is_transient: true } });
  });

  it('cuts the connection of a send it accepted, then still echoes it', async () => {
    await h.client.setFaults({ timeoutSends: 1 });
    await expect(reply()).rejects.toThrow();
    const [entry] = await h.client.sent();
    expect(entry!.response).toEqual({ status: null, body: null });
    // The log says what the timeout hid: the message was created.
    expect(entry!.storedMid).toEqual(expect.any(String));
    await h.client.flushDeliveries();
    const echo = h.receiver.posts.flatMap(messagingOf).find((e) => e.message?.is_echo);
    expect(echo?.message?.text).toBe('ok');
    expect((await reply()).status).toBe(200);
  });

  it('loses a send before processing it: no answer, nothing stored, no echo', async () => {
    await h.client.setFaults({ lostSends: 1 });
    await expect(reply()).rejects.toThrow();
    const [entry] = await h.client.sent();
    expect(entry).toMatchObject({ response: { status: null, body: null }, storedMid: null });
    await h.client.flushDeliveries();
    expect(h.receiver.posts.flatMap(messagingOf).some((e) => e.message?.is_echo)).toBe(false);
    expect((await reply()).status).toBe(200);
  });

  it('adds latency to Graph answers but not to the admin API', async () => {
    await h.client.setFaults({ latencyMs: 150 });
    const started = performance.now();
    await h.graph('/v24.0/me');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const adminStarted = performance.now();
    await h.client.now();
    expect(performance.now() - adminStarted).toBeLessThan(140);
    expect(await h.client.setFaults({})).toEqual({
      latencyMs: 0,
      dropDeliveries: 0,
      unreachableDeliveries: 0,
      duplicateDeliveries: 0,
      timeoutSends: 0,
      lostSends: 0,
    });
  });

  it('refuses a malformed fault request', async () => {
    await expect(h.client.setFaults({ sendFailures: { count: 0, code: 4 } })).rejects.toThrow(
      /400/,
    );
  });
});
