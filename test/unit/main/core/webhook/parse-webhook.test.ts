import { describe, expect, it } from 'vitest';
import { MalformedWebhook, parseWebhook } from '../../../../../main/core/webhook/parse-webhook';
import { CUSTOMER_ID, IG_ID, metaJson, textMessageBody } from '../../../../fakes/webhook-bodies';
import { PLAIN_PARSED_DETAILS } from '../../../../fakes/incoming';

const bytes = (text: string) => Buffer.from(text);
const RECEIVED = 1773842760000;

describe('parseWebhook', () => {
  it('reads an escaped inbound text message', () => {
    const [event] = parseWebhook(
      bytes(textMessageBody({ mid: 'aWdf1', text: 'Olá 👋 see https://a.test/x' })),
      RECEIVED,
    );
    expect(event).toEqual({
      kind: 'message',
      accountId: IG_ID,
      customerId: CUSTOMER_ID,
      mid: 'aWdf1',
      text: 'Olá 👋 see https://a.test/x',
      at: 1773842751091,
      ...PLAIN_PARSED_DETAILS,
    });
  });

  it('reads an echo as outgoing to the customer (sender and recipient swapped)', () => {
    const [event] = parseWebhook(
      bytes(textMessageBody({ mid: 'e1', text: 'Yes!', echo: true })),
      RECEIVED,
    );
    expect(event).toMatchObject({
      kind: 'message',
      direction: 'out',
      customerId: CUSTOMER_ID,
      accountId: IG_ID,
    });
  });

  it('walks every entry and every event of a batched delivery, standby included', () => {
    const item = (mid: string) => ({
      sender: { id: CUSTOMER_ID },
      recipient: { id: IG_ID },
      timestamp: 1,
      message: { mid, text: mid },
    });
    const body = metaJson({
      object: 'instagram',
      entry: [
        { id: IG_ID, time: 1, messaging: [item('a'), item('b')] },
        {
          id: '17841400000000002',
          time: 1,
          standby: [{ ...item('c'), recipient: { id: '17841400000000002' } }],
        },
      ],
    });
    const events = parseWebhook(bytes(body), RECEIVED);
    expect(
      events.map((event) =>
        event.kind === 'message' ? [event.mid, event.accountId, event.isStandby] : event.kind,
      ),
    ).toEqual([
      ['a', IG_ID, false],
      ['b', IG_ID, false],
      ['c', '17841400000000002', true],
    ]);
  });

  it('normalises attachments and keeps their type verbatim', () => {
    const body = metaJson({
      object: 'instagram',
      entry: [
        {
          id: IG_ID,
          time: 1,
          messaging: [
            {
              sender: { id: CUSTOMER_ID },
              recipient: { id: IG_ID },
              timestamp: 5,
              message: {
                mid: 'x',
                attachments: [
                  {
                    type: 'image',
                    payload: {
                      url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=Ab',
                    },
                  },
                  {
                    type: 'ig_reel',
                    payload: {
                      reel_video_id: '1',
                      title: 'caption',
                      url: 'https://www.instagram.com/reel/x/',
                    },
                  },
                  { type: 'ephemeral' },
                ],
              },
            },
          ],
        },
      ],
    });
    const [event] = parseWebhook(bytes(body), RECEIVED);
    expect(event).toMatchObject({
      text: null,
      attachments: [
        {
          type: 'image',
          url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=Ab',
          title: null,
        },
        { type: 'ig_reel', url: 'https://www.instagram.com/reel/x/', title: 'caption' },
        { type: 'ephemeral', url: null, title: null },
      ],
    });
  });

  it('ignores the dashboard Test button payload (entry id "0", string timestamp)', () => {
    const body =
      '{"object":"instagram","entry":[{"id":"0","time":1773842711,"changes":[{"field":"messages","value":{"sender":{"id":"12334"},"recipient":{"id":"23245"},"timestamp":"1527459824","message":{"mid":"random_mid","text":"random_text"}}}]}]}';
    expect(parseWebhook(bytes(body), RECEIVED)).toEqual([
      { kind: 'ignored', accountId: '0', reason: 'dashboard test event' },
    ]);
  });

  it('converts second timestamps to milliseconds and fills a missing one with the arrival time', () => {
    const body = (timestamp: unknown) =>
      metaJson({
        object: 'instagram',
        entry: [
          {
            id: IG_ID,
            messaging: [
              {
                sender: { id: CUSTOMER_ID },
                recipient: { id: IG_ID },
                ...(timestamp === undefined ? {} : { timestamp }),
                message: { mid: 'm', text: 't' },
              },
            ],
          },
        ],
      });
    expect(parseWebhook(bytes(body('1773842711')), RECEIVED)[0]).toMatchObject({
      at: 1773842711000,
    });
    expect(parseWebhook(bytes(body(undefined)), RECEIVED)[0]).toMatchObject({ at: RECEIVED });
  });

  it('keeps malformed and unknown events as ignored with a reason, never throwing', () => {
    const customer = { sender: { id: CUSTOMER_ID }, recipient: { id: IG_ID }, timestamp: 1 };
    const body = metaJson({
      object: 'instagram',
      entry: [
        {
          id: IG_ID,
          messaging: [
            { timestamp: 1, read: { watermark: 5 } },
            { ...customer, reaction: { action: 'react', emoji: '❤️' } },
            { ...customer, reaction: { mid: 'm', action: 'shrug' } },
            { ...customer, message_edit: { num_edit: 1 } },
            { ...customer, message: { text: 'no mid' } },
            { recipient: { id: IG_ID }, timestamp: 1, message: { mid: 'm', text: 'no sender' } },
            { timestamp: 1, postback: { mid: 'p', title: 'x' } },
            { timestamp: 1, referral: { ref: 'x' } },
            { sender: { id: IG_ID }, timestamp: 1, something_new: { x: 1 } },
            { sender: { id: CUSTOMER_ID }, timestamp: 1 },
            'not an object',
          ],
          changes: [
            { field: 'comments', value: { text: 'no id' } },
            { field: 'mentions', value: { media_id: '1' } },
            { value: {} },
          ],
        },
        'not an entry',
      ],
    });
    const events = parseWebhook(bytes(body), RECEIVED);
    expect(events.map((event) => (event.kind === 'ignored' ? event.reason : event.kind))).toEqual([
      'read without a mid',
      'reaction without a mid',
      'reaction action "shrug" without an emoji',
      'edit without a mid',
      'message without a mid',
      'message without a customer id',
      'postback without a customer',
      'referral without a customer',
      'messaging event something_new',
      'messaging event without content',
      'malformed messaging item',
      'comments without an id',
      'changes field "mentions"',
      'malformed change',
      'malformed entry',
    ]);
  });

  it('reads a comment id given as `comment_id` (the documented example) as well as `id`', () => {
    const body = metaJson({
      object: 'instagram',
      entry: [
        {
          id: IG_ID,
          time: 1773842711,
          changes: [
            {
              field: 'comments',
              value: { comment_id: '17867301270523379', text: 'Price?', from: { id: '95' } },
            },
            {
              field: 'comments',
              value: { id: '17867301270523380', comment_id: '1', text: 'both' },
            },
            { field: 'comments', value: { comment_id: null, text: 'neither' } },
          ],
        },
      ],
    });
    const events = parseWebhook(bytes(body), RECEIVED);
    expect(
      events.map((event) => (event.kind === 'comment' ? event.id : `ignored: ${event.kind}`)),
    ).toEqual(['17867301270523379', '17867301270523380', 'ignored: ignored']);
  });

  it('ignores other objects and rejects bodies that are not Meta envelopes', () => {
    expect(parseWebhook(bytes('{"object":"page","entry":[]}'), RECEIVED)).toEqual([
      { kind: 'ignored', accountId: null, reason: 'object "page"' },
    ]);
    expect(() => parseWebhook(bytes('{not json'), RECEIVED)).toThrow(MalformedWebhook);
    expect(() => parseWebhook(bytes('{"entry":"x"}'), RECEIVED)).toThrow(MalformedWebhook);
    expect(() => parseWebhook(Buffer.from([0xff, 0xfe, 0x7b]), RECEIVED)).toThrow(MalformedWebhook);
  });
});
