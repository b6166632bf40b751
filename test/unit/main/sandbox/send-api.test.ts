import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { body, graphError, startHarness, type Harness } from './harness';
import { messagingOf } from './webhook-receiver';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A media host on 127.0.0.1 for attachment-by-URL sends (docs/platform.md#text-limits). */
let media: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  const server = createServer((req, res) => {
    if (req.url === '/photo.png')
      return res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.alloc(2048, 1));
    if (req.url === '/doc.pdf')
      return res.writeHead(200, { 'Content-Type': 'application/pdf' }).end('%PDF-1.4');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  media = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => media.close());

describe('emulator Send API (docs/platform.md#send-api)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.client.customerSends(h.customer.igsid, { text: 'hello' });
  });
  afterEach(() => h.stop());

  const to = () => ({ id: h.customer.igsid });

  it('counts the 1000-byte limit in UTF-8 bytes and refuses empty text', async () => {
    expect(
      (await h.sendMessage({ recipient: to(), message: { text: 'é'.repeat(500) } })).status,
    ).toBe(200);
    const tooLong = await h.sendMessage({
      recipient: to(),
      message: { text: 'é'.repeat(500) + 'a' },
    });
    expect(graphError(tooLong)).toMatchObject({ code: 100, type: 'IGApiException' });
    expect(graphError(tooLong).message).toContain('1000');
    expect(graphError(await h.sendMessage({ recipient: to(), message: { text: '  ' } })).code).toBe(
      100,
    );
    expect(graphError(await h.sendMessage({ message: { text: 'x' } })).code).toBe(100);
  });

  it('closes the 24-hour window with 10/2534022, or the older 2018278 when chosen', async () => {
    await h.client.advanceClock(DAY + 1);
    const late = await h.sendMessage({ recipient: to(), message: { text: 'sorry for the wait' } });
    expect(late.status).toBe(400);
    expect(body(late)).toEqual({
      error: {
        message: '(#10) This message is sent outside of allowed window.',
        type: 'IGApiException',
        code: 10,
        error_subcode: 2534022,
        fbtrace_id: graphError(late).fbtrace_id,
      },
    });
    await h.client.configureApp({ windowSubcode: 2018278 });
    expect(
      graphError(await h.sendMessage({ recipient: to(), message: { text: 'x' } })).error_subcode,
    ).toBe(2018278);
    // A new customer message reopens it.
    await h.client.customerSends(h.customer.igsid, { text: 'still there?' });
    expect((await h.sendMessage({ recipient: to(), message: { text: 'yes!' } })).status).toBe(200);
  });

  it('allows HUMAN_AGENT for 7 days only when the app was approved', async () => {
    const tagged = {
      recipient: to(),
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'your order shipped' },
    };
    await h.client.advanceClock(3 * DAY);
    const refused = await h.sendMessage(tagged);
    expect(refused.status).toBe(403);
    expect(graphError(refused).message).toContain("To use 'Human Agent'");
    await h.client.configureApp({ humanAgentEnabled: true });
    expect((await h.sendMessage(tagged)).status).toBe(200);
    expect(graphError(await h.sendMessage({ ...tagged, tag: 'ACCOUNT_UPDATE' })).code).toBe(100);
    await h.client.advanceClock(4 * DAY + 1);
    expect(graphError(await h.sendMessage(tagged)).error_subcode).toBe(2534022);
  });

  it('downloads attachments from their URL and records what it fetched', async () => {
    const ok = await h.sendMessage({
      recipient: to(),
      message: { attachment: { type: 'image', payload: { url: `${media.url}/photo.png` } } },
    });
    expect(ok.status).toBe(200);
    const pdf = await h.sendMessage({
      recipient: to(),
      message: { attachment: { type: 'file', payload: { url: `${media.url}/doc.pdf` } } },
    });
    expect(pdf.status).toBe(200);
    const mismatch = await h.sendMessage({
      recipient: to(),
      message: { attachment: { type: 'video', payload: { url: `${media.url}/photo.png` } } },
    });
    expect(graphError(mismatch)).toMatchObject({ code: 100, error_subcode: 2018047 });
    const missing = await h.sendMessage({
      recipient: to(),
      message: { attachment: { type: 'image', payload: { url: `${media.url}/gone.png` } } },
    });
    expect(graphError(missing)).toMatchObject({ code: 100, error_subcode: 2018047 });
    const several = await h.sendMessage({
      recipient: to(),
      message: {
        attachments: [
          { type: 'image', payload: { url: `${media.url}/photo.png` } },
          { type: 'image', payload: { url: `${media.url}/photo.png` } },
        ],
      },
    });
    expect(several.status).toBe(200);
    const mixed = await h.sendMessage({
      recipient: to(),
      message: { attachments: [{ type: 'file', payload: { url: `${media.url}/doc.pdf` } }] },
    });
    expect(graphError(mixed).code).toBe(100);

    const sent = await h.client.sent(h.account.igUserId);
    expect(sent[0]!.fetched).toEqual([
      {
        url: `${media.url}/photo.png`,
        status: 200,
        contentType: 'image/png',
        size: 2048,
        sha256: createHash('sha256').update(Buffer.alloc(2048, 1)).digest('hex'),
      },
    ]);
    expect(sent[3]!.fetched?.[0]?.status).toBe(404);

    const { message_id } = body<{ message_id: string }>(ok);
    const node = await h.graph(`/v24.0/${message_id}?fields=attachments`);
    expect(body(node)).toMatchObject({
      attachments: {
        data: [{ mime_type: 'image/png', image_data: { url: `${media.url}/photo.png` } }],
      },
    });
    const echo = await h.receiver.waitFor((p) =>
      messagingOf(p).some((e) => e.message?.mid === message_id),
    );
    expect(messagingOf(echo)[0]!.message).toMatchObject({
      is_echo: true,
      attachments: [{ type: 'image', payload: { url: `${media.url}/photo.png` } }],
    });
  });

  it('reacts, unreacts and shows sender actions without producing webhooks', async () => {
    const { mid } = await h.client.customerSends(h.customer.igsid, { text: 'love this' });
    const react = await h.sendMessage({
      recipient: to(),
      sender_action: 'react',
      payload: { message_id: mid, reaction: 'love' },
    });
    expect(body(react)).toEqual({ recipient_id: h.customer.igsid });
    expect(body(await h.graph(`/v24.0/${mid}?fields=reactions`))).toMatchObject({
      reactions: { data: [{ reaction: '❤️' }] },
    });
    expect(
      (
        await h.sendMessage({
          recipient: to(),
          sender_action: 'unreact',
          payload: { message_id: mid },
        })
      ).status,
    ).toBe(200);
    expect(body(await h.graph(`/v24.0/${mid}?fields=reactions`))).toEqual({});
    expect(
      graphError(
        await h.sendMessage({
          recipient: to(),
          sender_action: 'react',
          payload: { message_id: 'nope', reaction: 'love' },
        }),
      ).code,
    ).toBe(100);

    for (const action of ['typing_on', 'typing_off', 'mark_seen']) {
      expect(body(await h.sendMessage({ recipient: to(), sender_action: action }))).toEqual({
        recipient_id: h.customer.igsid,
      });
    }
    expect(
      graphError(
        await h.sendMessage({
          recipient: to(),
          sender_action: 'typing_on',
          message: { text: 'x' },
        }),
      ).code,
    ).toBe(100);
    await h.client.flushDeliveries();
    expect(h.receiver.posts.flatMap(messagingOf).filter((e) => e.message?.is_echo)).toHaveLength(0);
  });

  it('logs typing and mark_seen apart from sends, and never lands an injected fault on them', async () => {
    await h.client.setFaults({ sendFailures: { count: 1, code: 613 }, lostSends: 1 });
    expect((await h.sendMessage({ recipient: to(), sender_action: 'typing_on' })).status).toBe(200);
    expect((await h.sendMessage({ recipient: to(), sender_action: 'mark_seen' })).status).toBe(200);
    expect((await h.client.presence(h.account.igUserId)).map((r) => r.body.sender_action)).toEqual([
      'typing_on',
      'mark_seen',
    ]);
    expect(await h.client.sent(h.account.igUserId)).toEqual([]);
    // The faults are still waiting for the first real send.
    // lostSends: the connection is cut before Meta processes the first one.
    await expect(h.sendMessage({ recipient: to(), message: { text: 'one' } })).rejects.toThrow();
    expect(
      graphError(await h.sendMessage({ recipient: to(), message: { text: 'two' } })).code,
    ).toBe(613);
  });

  it('sends an inline reply to a known message and echoes its reply_to; refuses an unknown mid and the nested shape', async () => {
    await h.client.flushDeliveries();
    const quoted = h.receiver.posts.flatMap(messagingOf).find((e) => e.message?.text === 'hello');
    const mid = quoted?.message?.mid as string;
    const answer = await h.sendMessage({
      recipient: to(),
      message: { text: 'Yes, this one' },
      reply_to: { mid },
    });
    expect(answer.status).toBe(200);
    await h.client.flushDeliveries();
    const echo = h.receiver.posts
      .flatMap(messagingOf)
      .find((e) => e.message?.is_echo && e.message.text === 'Yes, this one');
    expect(echo?.message?.reply_to).toEqual({ mid });
    expect(
      graphError(
        await h.sendMessage({
          recipient: to(),
          message: { text: 'x' },
          reply_to: { mid: 'aWdfNoSuchMessage' },
        }),
      ).code,
    ).toBe(100);
    const nested = await h.sendMessage({
      recipient: to(),
      message: { text: 'x', reply_to: { mid } },
    });
    expect(nested.status).toBe(400);
    expect(graphError(nested).message).toContain('reply_to beside message');
  });

  it('validates quick replies', async () => {
    const reply = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        content_type: 'text',
        title: `Size ${i}`,
        payload: `S${i}`,
      }));
    expect(
      (
        await h.sendMessage({
          recipient: to(),
          message: { text: 'Which size?', quick_replies: reply(13) },
        })
      ).status,
    ).toBe(200);
    expect(
      graphError(
        await h.sendMessage({
          recipient: to(),
          message: { text: 'Which size?', quick_replies: reply(14) },
        }),
      ).code,
    ).toBe(100);
    expect(
      graphError(
        await h.sendMessage({
          recipient: to(),
          message: { text: 'x', quick_replies: [{ content_type: 'location' }] },
        }),
      ).code,
    ).toBe(100);
  });

  it('allows one private reply per comment, within 7 days', async () => {
    const first = await h.client.comment({
      accountId: h.account.igUserId,
      fromId: '952467318864215',
      fromUsername: 'priya.makes',
      text: 'Price?',
    });
    const reply = {
      recipient: { comment_id: first.commentId },
      message: { text: 'Sent you the price list!' },
    };
    const ok = await h.sendMessage(reply);
    expect(body<{ recipient_id: string }>(ok).recipient_id).toBe('952467318864215');
    expect(graphError(await h.sendMessage(reply))).toMatchObject({
      code: 10,
      error_subcode: 2534025,
    });
    // The commenter has not written: the normal window is not open.
    expect(
      graphError(
        await h.sendMessage({ recipient: { id: '952467318864215' }, message: { text: 'hi' } }),
      ).error_subcode,
    ).toBe(2534022);

    const old = await h.client.comment({
      accountId: h.account.igUserId,
      fromId: '952467318864215',
      text: 'Still?',
    });
    await h.client.advanceClock(7 * DAY + 1);
    expect(
      graphError(
        await h.sendMessage({
          recipient: { comment_id: old.commentId },
          message: { text: 'late' },
        }),
      ).error_subcode,
    ).toBe(2534025);
    expect(
      graphError(
        await h.sendMessage({
          recipient: { comment_id: '17000000000000000' },
          message: { text: 'x' },
        }),
      ).error_subcode,
    ).toBe(33);
  });

  it('refuses unknown recipients (2534014) and unavailable people (551)', async () => {
    expect(
      graphError(
        await h.sendMessage({ recipient: { id: '1111111111111111' }, message: { text: 'x' } }),
      ),
    ).toMatchObject({ code: 100, error_subcode: 2534014 });
    await h.client.setCustomerAvailable(h.customer.igsid, false);
    expect(
      graphError(await h.sendMessage({ recipient: to(), message: { text: 'x' } })),
    ).toMatchObject({ code: 551, error_subcode: 1545041 });
  });

  it('accepts form-encoded bodies with the token as a field, on /me/messages too', async () => {
    const answer = await h.graph('/me/messages', {
      token: null,
      form: {
        recipient: JSON.stringify(to()),
        message: JSON.stringify({ text: 'form body' }),
        access_token: h.account.accessToken,
      },
    });
    expect(answer.status).toBe(200);
    const [entry] = await h.client.sent();
    expect(entry).toMatchObject({
      accountId: h.account.igUserId,
      path: '/me/messages',
      body: { recipient: to(), message: { text: 'form body' } },
    });
    expect(JSON.stringify(entry!.body)).not.toContain('access_token');
  });

  it('records refused requests too, including bad tokens and foreign accounts', async () => {
    const other = await h.client.createAccount({ username: 'other' });
    expect(
      graphError(
        await h.graph(`/v24.0/${other.igUserId}/messages`, {
          json: { recipient: to(), message: { text: 'x' } },
        }),
      ),
    ).toMatchObject({ code: 100, error_subcode: 33 });
    expect(
      graphError(await h.sendMessage({ recipient: to(), message: { text: 'x' } }, 'IGAAbogus')),
    ).toMatchObject({ code: 190, error_subcode: 467 });
    const sent = await h.client.sent();
    expect(sent.map((s) => s.response.status)).toEqual([400, 400]);
    expect(await h.client.sent(other.igUserId)).toHaveLength(1);
  });
});
