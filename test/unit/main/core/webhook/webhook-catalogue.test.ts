import { describe, expect, it } from 'vitest';
import { parseWebhook } from '../../../../../main/core/webhook/parse-webhook';
import type { WebhookEvent } from '../../../../../main/core/webhook/webhook-events';
import { PLAIN_PARSED_DETAILS } from '../../../../fakes/incoming';
import {
  CATALOGUE,
  COMMENT_TEMPLATE_BODY,
  CUSTOMER_ID,
  DASHBOARD_TEST_BODY,
  IG_ID,
  REQUEST_THREAD_CONTROL_BODY,
  SELF_SCOPED_ID,
  catalogueAt,
  catalogueMid,
  messagingBody,
  metaJson,
} from '../../../../fakes/webhook-bodies';

const RECEIVED = 1773843000000;
const parse = (body: string) => parseWebhook(Buffer.from(body), RECEIVED);
const CDN = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=';

const inbound = (key: string, fields: Partial<WebhookEvent & { kind: 'message' }>) => ({
  kind: 'message',
  accountId: IG_ID,
  customerId: CUSTOMER_ID,
  mid: catalogueMid(key),
  text: null,
  at: catalogueAt(key),
  ...PLAIN_PARSED_DETAILS,
  ...fields,
});

const media = (key: string, type: string) =>
  inbound(key, { attachments: [{ type, url: `${CDN}1${key}&signature=Ab${key}`, title: null }] });

const comment = (key: string, fields: object) => ({
  kind: 'comment',
  accountId: IG_ID,
  field: 'comments',
  mediaId: '18050310947722369',
  mediaProductType: 'FEED',
  parentId: null,
  isSelf: false,
  // comment entries carry their time in seconds (docs/platform.md#envelope)
  at: Math.floor(catalogueAt(key) / 1000) * 1000,
  ...fields,
});

/** What each docs/platform.md#payload-catalogue entry normalises to, in full. */
const EXPECTED: Record<string, unknown> = {
  '01': inbound('01', { text: 'Hi! Do you still have the linen shirt in size M?' }),
  '02': inbound('02', { text: 'Olá 👋 is this "the one"? https://shop.example/linen/m ✨' }),
  '03': media('03', 'image'),
  '04': inbound('04', {
    attachments: [
      { type: 'image', url: `${CDN}1041&signature=Ab41`, title: null },
      { type: 'image', url: `${CDN}1042&signature=Ab42`, title: null },
    ],
  }),
  '05': media('05', 'video'),
  '06': media('06', 'audio'),
  '07': media('07', 'file'),
  '08': media('08', 'share'),
  '09': inbound('09', {
    attachments: [
      { type: 'ig_post', url: `${CDN}109&signature=Ab09`, title: 'New in: linen shirts 🌿' },
    ],
  }),
  '10': inbound('10', {
    attachments: [
      {
        type: 'ig_reel',
        url: 'https://www.instagram.com/reel/C4xYz12AbCd/',
        title: 'reel caption',
      },
    ],
  }),
  '11': inbound('11', { attachments: [{ type: 'ephemeral', url: null, title: null }] }),
  '12': inbound('12', { story: { kind: 'mention', url: `${CDN}112&signature=Ab12` } }),
  '13': inbound('13', {
    text: 'Is this one still available?',
    story: { kind: 'reply', url: `${CDN}113&signature=Ab13` },
  }),
  '14': inbound('14', { text: 'Yes, this one', replyToMid: catalogueMid('01') }),
  '15': inbound('15', { text: 'Medium', context: { kind: 'quick_reply', payload: 'SIZE_M' } }),
  '16': inbound('16', {
    text: 'Hi, I saw your ad…',
    context: {
      kind: 'referral',
      source: 'ADS',
      ref: 'spring_linen_ca',
      adId: '120214567390870123',
      adTitle: 'Spring linen – free shipping',
    },
  }),
  '17': inbound('17', {
    attachments: [
      { type: 'ig_story', url: null, title: null },
      { type: 'template', url: null, title: null },
    ],
    isUnsupported: true,
  }),
  '18': inbound('18', { isUnsupported: true }),
  '19': {
    kind: 'unsend',
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid: catalogueMid('03'),
    at: catalogueAt('19'),
  },
  '20': inbound('20', { direction: 'out', text: 'Yes! We have M in beige and navy.' }),
  '21': inbound('21', {
    direction: 'out',
    attachments: [{ type: 'image', url: `${CDN}121&signature=Ab21`, title: null }],
  }),
  '22': { kind: 'self-echo', accountId: IG_ID, mid: catalogueMid('22') },
  '23': {
    kind: 'edit',
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid: catalogueMid('01'),
    text: 'Hi! Do you still have the linen shirt in size L?',
    numEdit: 1,
    at: catalogueAt('23'),
  },
  '24': {
    kind: 'edit',
    accountId: IG_ID,
    customerId: null,
    mid: catalogueMid('01'),
    text: null,
    numEdit: 0,
    at: catalogueAt('24'),
  },
  '25': {
    kind: 'reaction',
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid: catalogueMid('20'),
    by: 'customer',
    emoji: '❤️',
    at: catalogueAt('25'),
  },
  '26': {
    kind: 'reaction',
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid: catalogueMid('20'),
    by: 'customer',
    emoji: '🔥',
    at: catalogueAt('26'),
  },
  '27': {
    kind: 'reaction',
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid: catalogueMid('20'),
    by: 'customer',
    emoji: null,
    at: catalogueAt('27'),
  },
  '28': {
    kind: 'seen',
    accountId: IG_ID,
    customerId: CUSTOMER_ID,
    mid: catalogueMid('20'),
    at: catalogueAt('28'),
  },
  '29': {
    kind: 'seen',
    accountId: IG_ID,
    customerId: null,
    mid: catalogueMid('21'),
    at: catalogueAt('29'),
  },
  '30': inbound('30', {
    text: 'Where is my order?',
    context: { kind: 'postback', title: 'Where is my order?', payload: 'ICEBREAKER_ORDER_STATUS' },
  }),
  '31': inbound('31', {
    mid: expect.stringMatching(/^referral:[\w-]{32}$/) as string,
    context: {
      kind: 'referral',
      source: 'https://ig.me/m/acme.studio?ref=newsletter_march',
      ref: 'newsletter_march',
      adId: null,
      adTitle: null,
    },
    isContextOnly: true,
  }),
  '32': { kind: 'ignored', accountId: IG_ID, reason: 'optin (kept raw, not shown)' },
  '33': { kind: 'ignored', accountId: IG_ID, reason: 'pass_thread_control (kept raw, not shown)' },
  '34': { kind: 'ignored', accountId: IG_ID, reason: 'take_thread_control (kept raw, not shown)' },
  '35': inbound('35', { text: 'Hello? Anyone there?', isStandby: true }),
  '36': comment('36', {
    id: '17867301270523379',
    fromId: '952467318864215',
    fromUsername: 'priya.makes',
    text: 'Price? 💸',
  }),
  '37': comment('37', {
    id: '17871129034456180',
    fromId: '3012745589164230',
    fromUsername: 'tom.builds',
    text: '@priya.makes it is in the bio',
    parentId: '17867301270523379',
  }),
  '38': comment('38', {
    id: '17999912345678901',
    fromId: IG_ID,
    fromUsername: 'acme.studio',
    text: 'Sent you a DM!',
    parentId: '17867301270523379',
    isSelf: true,
  }),
  '39': comment('39', {
    field: 'live_comments',
    id: '17855501234567890',
    fromId: '952467318864215',
    fromUsername: 'priya.makes',
    mediaId: '18061234567890123',
    mediaProductType: 'LIVE',
    text: 'Love this!',
  }),
};

describe('docs/platform.md#payload-catalogue catalogue, byte for byte', () => {
  it('has a fixture and an expectation for every key [01]–[39]', () => {
    const keys = Array.from({ length: 39 }, (_, i) => String(i + 1).padStart(2, '0'));
    expect(Object.keys(CATALOGUE).sort()).toEqual(keys);
    expect(Object.keys(EXPECTED).sort()).toEqual(keys);
  });

  it('writes bodies the way Meta does: escaped slashes and \\uXXXX, or spaced comment JSON', () => {
    expect(CATALOGUE['02']?.body).toContain('Ol\\u00e1 \\ud83d\\udc4b');
    expect(CATALOGUE['02']?.body).toContain('https:\\/\\/shop.example');
    expect(CATALOGUE['25']?.body).toContain('"emoji":"\\u2764\\ufe0f"');
    expect(CATALOGUE['36']?.body).toMatch(
      /^\{"entry": \[\{"id": "17841405309211844", "time": \d{10}, /,
    );
    for (const { body } of Object.values(CATALOGUE)) expect(body).toMatch(/^[\x20-\x7e]+$/);
  });

  for (const [key, { title, body }] of Object.entries(CATALOGUE)) {
    it(`[${key}] ${title}`, () => {
      expect(parse(body)).toEqual([EXPECTED[key]]);
    });
  }
});

describe('other documented forms', () => {
  it('request_thread_control is kept raw', () => {
    expect(parse(REQUEST_THREAD_CONTROL_BODY)).toEqual([
      { kind: 'ignored', accountId: IG_ID, reason: 'request_thread_control (kept raw, not shown)' },
    ]);
  });

  it('reads the comment template form with field/value on the entry', () => {
    expect(parse(COMMENT_TEMPLATE_BODY)).toEqual([
      expect.objectContaining({ kind: 'comment', id: '17800000000000001', text: 'Template form' }),
    ]);
  });

  it('ignores the dashboard Test payload without creating anything', () => {
    expect(parse(DASHBOARD_TEST_BODY)).toEqual([
      { kind: 'ignored', accountId: '0', reason: 'dashboard test event' },
    ]);
  });

  it('reads a num_edit sent as a string, as in Meta’s template', () => {
    const body = messagingBody([
      { timestamp: 5, message_edit: { mid: 'm', text: 'new', num_edit: '2' } },
    ]);
    expect(parse(body)).toEqual([
      {
        kind: 'edit',
        accountId: IG_ID,
        customerId: null,
        mid: 'm',
        text: 'new',
        numEdit: 2,
        at: 5000,
      },
    ]);
  });

  it('attributes an echo-side reaction to the business and one without sender to the customer', () => {
    const body = messagingBody([
      {
        sender: { id: IG_ID },
        recipient: { id: CUSTOMER_ID },
        timestamp: catalogueAt('25'),
        reaction: { mid: 'm', action: 'react', reaction: 'like' },
      },
      { timestamp: catalogueAt('25'), reaction: { mid: 'm', action: 'unreact' } },
    ]);
    expect(parse(body)).toEqual([
      expect.objectContaining({ by: 'business', customerId: CUSTOMER_ID, emoji: '👍' }),
      expect.objectContaining({ by: 'customer', customerId: null, emoji: null }),
    ]);
  });

  it('keeps an unknown attachment that has a URL showable, and a postback without mid gets a stable id', () => {
    const postback = {
      sender: { id: CUSTOMER_ID },
      recipient: { id: IG_ID },
      timestamp: catalogueAt('30'),
      postback: { title: 'Menu', payload: 'MENU' },
    };
    const body = messagingBody([
      {
        sender: { id: CUSTOMER_ID },
        recipient: { id: IG_ID },
        timestamp: 1,
        message: {
          mid: 'u',
          attachments: [{ type: 'media', payload: { url: 'https://x.test/a' } }],
        },
      },
      postback,
    ]);
    const [unknown, first] = parse(body);
    expect(unknown).toMatchObject({
      isUnsupported: false,
      attachments: [{ type: 'media', url: 'https://x.test/a', title: null }],
    });
    const [again] = parse(messagingBody([postback]));
    expect(first).toMatchObject({ kind: 'message', text: 'Menu' });
    expect(first && 'mid' in first && first.mid).toMatch(/^postback:/);
    expect(again).toEqual(first);
  });

  it('walks several entries and events in one body, mixing kinds, in order', () => {
    type Entry = { messaging?: unknown[]; standby?: unknown[]; changes?: unknown[] };
    const entryOf = (key: string): Entry =>
      (JSON.parse(CATALOGUE[key]?.body ?? '') as { entry: Entry[] }).entry[0] ?? {};
    const body = metaJson({
      object: 'instagram',
      entry: [
        entryOf('01'),
        {
          id: IG_ID,
          time: catalogueAt('25'),
          messaging: [...(entryOf('25').messaging ?? []), ...(entryOf('29').messaging ?? [])],
          changes: entryOf('36').changes,
        },
        entryOf('35'),
      ],
    });
    expect(parse(body)).toEqual([
      EXPECTED['01'],
      EXPECTED['25'],
      EXPECTED['29'],
      { ...(EXPECTED['36'] as object), at: catalogueAt('25') },
      EXPECTED['35'],
    ]);
  });

  it('falls back to entry.time (seconds or ms) when an event has no timestamp', () => {
    const body = (time: number) =>
      metaJson({
        object: 'instagram',
        entry: [{ id: IG_ID, time, messaging: [{ read: { mid: 'm' } }] }],
      });
    expect(parse(body(1773842711))[0]).toMatchObject({ at: 1773842711000 });
    expect(parse(body(1773842711734))[0]).toMatchObject({ at: 1773842711734 });
  });

  it('keeps a self-messaging comment id that only has self_ig_scoped_id as the business’s own', () => {
    const body = metaJson({
      object: 'instagram',
      entry: [
        {
          id: IG_ID,
          time: 1,
          changes: [
            {
              field: 'comments',
              value: { id: '1', from: { id: '5', self_ig_scoped_id: SELF_SCOPED_ID } },
            },
          ],
        },
      ],
    });
    expect(parse(body)[0]).toMatchObject({ isSelf: true, text: null, mediaId: null });
  });
});
