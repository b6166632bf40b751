import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { body, graphError, startHarness, type Harness } from './harness';
import { messagingOf } from './webhook-receiver';

type Page<T> = {
  data: T[];
  paging: { cursors?: { before: string; after: string }; next?: string; previous?: string };
};

describe('emulator Graph API reads (docs/platform.md#ids, docs/platform.md#subscriptions, docs/platform.md#conversations-api)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('answers /me with an app-scoped id different from user_id, on versioned and bare paths', async () => {
    const fields = 'user_id,username,name,account_type,profile_picture_url';
    const versioned = await h.graph(`/v24.0/me?fields=${fields}`);
    const bare = await h.graph(`/me?fields=${fields}`);
    const me = body<Record<string, string>>(versioned);
    expect(me).toMatchObject({
      user_id: h.account.igUserId,
      username: 'acme.studio',
      name: 'Acme Studio',
      account_type: 'BUSINESS',
    });
    expect(me.id).toMatch(/^\d{17}$/);
    expect(me.id).not.toBe(me.user_id);
    expect(body(bare)).toEqual(me);
    expect(versioned.headers.get('x-app-usage')).toContain('call_count');
    // Graph writes escaped slashes (docs/platform.md#error-envelopes); clients must parse, not
    // compare text.
    expect(versioned.text).toContain('http:\\/\\/127.0.0.1');
  });

  it('accepts the token as an access_token query parameter too', async () => {
    const answer = await h.graph(
      `/v24.0/me?fields=username&access_token=${h.account.accessToken}`,
      { token: null },
    );
    expect(body(answer)).toMatchObject({ username: 'acme.studio' });
  });

  it('refuses fields that do not exist and paths it does not know', async () => {
    expect(graphError(await h.graph('/v24.0/me?fields=email')).message).toContain(
      'nonexisting field (email)',
    );
    expect(graphError(await h.graph('/v24.0/me/bogus/edge')).code).toBe(2500);
  });

  it('subscribes, lists and unsubscribes the app; an unsubscribed account receives nothing', async () => {
    const path = `/v24.0/${h.account.igUserId}/subscribed_apps`;
    expect(
      graphError(
        await h.graph(`${path}?subscribed_fields=messages,business_basic`, { method: 'POST' }),
      ).code,
    ).toBe(100);
    expect(
      body(
        await h.graph(`${path}?subscribed_fields=messages,message_reactions`, { method: 'POST' }),
      ),
    ).toEqual({ success: true });
    expect(body(await h.graph(path))).toEqual({
      data: [
        {
          id: '990602627938098',
          name: 'Inlet',
          subscribed_fields: ['messages', 'message_reactions'],
        },
      ],
    });

    const seen = await h.client.customerDoes(h.customer.igsid, 'seen', { mid: 'x' });
    expect(seen.delivery).toEqual({
      status: null,
      error: 'the account is not subscribed to this field',
    });

    expect(body(await h.graph(path, { method: 'DELETE' }))).toEqual({ success: true });
    expect(body(await h.graph(path))).toEqual({ data: [] });
    const message = await h.client.customerSends(h.customer.igsid, { text: 'anyone?' });
    expect(message.delivery.status).toBeNull();
    expect(h.receiver.posts).toHaveLength(0);

    expect(
      body(
        await h.graph('/v24.0/me/subscribed_apps?subscribed_fields=messages', { method: 'POST' }),
      ),
    ).toEqual({ success: true });
    expect((await h.client.customerSends(h.customer.igsid, { text: 'now?' })).delivery.status).toBe(
      200,
    );
  });

  it('lists conversations newest first with cursor paging and a user_id filter', async () => {
    const customers = [];
    for (let i = 0; i < 5; i++) {
      const c = await h.client.createCustomer({
        accountId: h.account.igUserId,
        username: `buyer${i}`,
      });
      await h.client.customerSends(c.igsid, { text: `hi ${i}`, timestamp: 1_000 + i });
      customers.push(c);
    }
    expect(graphError(await h.graph(`/v24.0/${h.account.igUserId}/conversations`)).code).toBe(100);

    const first = body<
      Page<{
        id: string;
        updated_time: string;
        participants: { data: { id: string; username: string }[] };
      }>
    >(
      await h.graph(
        `/v24.0/${h.account.igUserId}/conversations?platform=instagram&fields=id,updated_time,participants&limit=2`,
      ),
    );
    expect(first.data.map((c) => c.participants.data[0]!.username)).toEqual(['buyer4', 'buyer3']);
    expect(first.data[0]!.participants.data[1]).toEqual({
      username: 'acme.studio',
      id: h.account.igUserId,
    });
    expect(first.data[0]!.updated_time).toBe('1970-01-01T00:00:01+0000');
    expect(first.paging.next).toBeDefined();
    // The Bearer token never leaks into paging URLs.
    expect(first.paging.next).not.toContain('access_token');

    const next = new URL(first.paging.next!);
    const second = body<Page<{ id: string }>>(await h.graph(`${next.pathname}${next.search}`));
    const third = body<Page<{ id: string }>>(
      await h.graph(
        `${new URL(second.paging.next!).pathname}${new URL(second.paging.next!).search}`,
      ),
    );
    expect(second.data).toHaveLength(2);
    expect(third.data).toHaveLength(1);
    expect(third.paging.next).toBeUndefined();
    const allIds = [...first.data, ...second.data, ...third.data].map((c) => c.id);
    expect(new Set(allIds).size).toBe(5);

    const one = body<Page<{ id: string }>>(
      await h.graph(
        `/v24.0/${h.account.igUserId}/conversations?platform=instagram&user_id=${customers[2]!.igsid}`,
      ),
    );
    expect(one.data).toHaveLength(1);
    expect(one.data[0]!.id).toBe(allIds[2]);
  });

  it('reads only the 20 newest messages of a thread in detail', async () => {
    const mids: string[] = [];
    for (let i = 0; i < 25; i++) {
      mids.push(
        (
          await h.client.customerSends(h.customer.igsid, {
            text: `message ${i}`,
            timestamp: 10_000 + i,
          })
        ).mid!,
      );
    }
    const list = body<Page<{ id: string }>>(
      await h.graph(
        `/v24.0/${h.account.igUserId}/conversations?platform=instagram&user_id=${h.customer.igsid}`,
      ),
    );
    const conversationId = list.data[0]!.id;
    const thread = body<{
      messages: Page<{ id: string; created_time: string; message?: string; from?: { id: string } }>;
    }>(
      await h.graph(
        `/v24.0/${conversationId}?fields=messages.limit(25){id,created_time,from,message}`,
      ),
    );
    expect(thread.messages.data).toHaveLength(25);
    expect(thread.messages.data[0]).toMatchObject({
      id: mids[24],
      message: 'message 24',
      from: { id: h.customer.igsid },
    });
    expect(thread.messages.data[19]!.message).toBe('message 5');
    expect(thread.messages.data[20]).toEqual({
      id: mids[4],
      created_time: '1970-01-01T00:00:10+0000',
    });

    const recent = await h.graph(`/v24.0/${mids[24]}?fields=id,created_time,from,to,message`);
    expect(body(recent)).toEqual({
      id: mids[24],
      created_time: '1970-01-01T00:00:10+0000',
      from: { username: 'lena.k', id: h.customer.igsid },
      to: { data: [{ username: 'acme.studio', id: h.account.igUserId }] },
      message: 'message 24',
    });
    const old = await h.graph(`/v24.0/${mids[0]}?fields=message`);
    expect(graphError(old).code).toBe(100);

    const edge = body<Page<{ id: string }>>(
      await h.graph(`/v24.0/${conversationId}/messages?limit=10`),
    );
    expect(edge.data).toHaveLength(10);
    expect(edge.paging.next).toBeDefined();
  });

  it('shows attachments, shares, stories and reactions on a message node', async () => {
    const image = await h.client.customerSends(h.customer.igsid, {
      attachments: [{ type: 'image' }],
    });
    const reel = await h.client.customerSends(h.customer.igsid, {
      attachments: [{ type: 'ig_reel', title: 'reel caption' }],
    });
    const story = await h.client.customerSends(h.customer.igsid, {
      text: 'love it',
      replyToStory: { id: '18047712935561234' },
    });
    await h.client.customerDoes(h.customer.igsid, 'react', { mid: image.mid!, emoji: '🔥' });
    const fields = 'attachments,shares,story,reactions';
    const imageNode = body<{
      attachments: {
        data: { mime_type: string; image_data: { url: string; width: number; height: number } }[];
      };
      reactions: unknown;
    }>(await h.graph(`/v24.0/${image.mid}?fields=${fields}`));
    expect(imageNode.attachments.data[0]!.mime_type).toBe('image/jpeg');
    expect(imageNode.reactions).toEqual({
      data: [{ reaction: '🔥', users: [{ id: h.customer.igsid, username: 'lena.k' }] }],
    });
    // The CDN URL in the webhook is served by the emulator, as an image.
    const imageData = imageNode.attachments.data[0]!.image_data;
    const cdn = await fetch(imageData.url);
    expect(cdn.headers.get('content-type')).toBe('image/png');
    // Graph's width and height are the picture's own (read from the PNG header).
    const png = Buffer.from(await cdn.arrayBuffer());
    expect({ width: imageData.width, height: imageData.height }).toEqual({
      width: png.readUInt32BE(16),
      height: png.readUInt32BE(20),
    });
    expect(body(await h.graph(`/v24.0/${reel.mid}?fields=${fields}`))).toMatchObject({
      shares: { data: [{ name: 'reel caption' }] },
    });
    expect(body(await h.graph(`/v24.0/${story.mid}?fields=${fields}`))).toMatchObject({
      story: { reply_to: { id: '18047712935561234' } },
    });
  });

  it('reads a profile only after the person messaged (error 230 before)', async () => {
    const comment = await h.client.comment({
      accountId: h.account.igUserId,
      fromId: '952467318864215',
      fromUsername: 'priya.makes',
      text: 'Price?',
    });
    expect(comment.commentId).toMatch(/^17\d{15}$/);
    const before = await h.graph('/v24.0/952467318864215?fields=name,username,profile_pic');
    expect(graphError(before)).toMatchObject({
      code: 230,
      message: 'User consent is required to access user profile',
    });
    await h.client.customerSends('952467318864215', { text: 'hi!' });
    const after = await h.graph(
      '/v24.0/952467318864215?fields=name,username,profile_pic,is_user_follow_business',
    );
    expect(body(after)).toMatchObject({
      username: 'priya.makes',
      id: '952467318864215',
      is_user_follow_business: false,
    });
  });

  it('describes a post commented on to its owner only, leaving out what it lacks (docs/platform.md#media-node)', async () => {
    await h.client.comment({
      accountId: h.account.igUserId,
      text: 'Price?',
      mediaId: '18050310947722001',
      mediaProductType: 'REELS',
    });
    const fields = 'id,media_type,media_product_type,caption,permalink,media_url,thumbnail_url';
    const reel = body<Record<string, string>>(
      await h.graph(`/v24.0/18050310947722001?fields=${fields}`),
    );
    expect(reel).toMatchObject({ id: '18050310947722001', media_type: 'VIDEO' });
    expect(reel).not.toHaveProperty('caption');
    expect(reel.media_url).toContain('type=video');
    expect(reel.thumbnail_url).toContain('type=image');
    expect(
      graphError(await h.graph('/v24.0/18050310947722001?fields=id,like_counts')),
    ).toMatchObject({ code: 100 });
    const other = await h.client.createAccount({ username: 'other.shop' });
    expect(
      graphError(await h.graph('/v24.0/18050310947722001?fields=id', { token: other.accessToken })),
    ).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('hides another account’s objects behind 100/33', async () => {
    const other = await h.client.createAccount({ username: 'other.shop' });
    const stranger = await h.client.createCustomer({ accountId: other.igUserId, username: 'x' });
    const { mid } = await h.client.customerSends(stranger.igsid, { text: 'hi' });
    for (const id of [other.igUserId, stranger.igsid, mid!]) {
      expect(graphError(await h.graph(`/v24.0/${id}?fields=id`))).toMatchObject({
        code: 100,
        error_subcode: 33,
      });
    }
    expect(
      graphError(await h.graph(`/v24.0/${other.igUserId}/conversations?platform=instagram`)),
    ).toMatchObject({ code: 100, error_subcode: 33 });
    expect(messagingOf(h.receiver.posts[0]!)[0]!.recipient).toEqual({ id: other.igUserId });
  });
});
