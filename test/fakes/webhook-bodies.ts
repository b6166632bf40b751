import { AD_REFERRAL } from '../../main/sandbox/customer-events';

/**
 * Byte-exact webhook bodies as Meta writes them (docs/platform.md#signatures,
 * docs/platform.md#payload-catalogue): compact JSON, `/` escaped as `\/`, non-ASCII as lowercase
 * `\uXXXX` with surrogate pairs.
 */
export const IG_ID = '17841405309211844';
export const CUSTOMER_ID = '1284973601758392';

export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(
      /[\u007f-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

export function textMessageBody(options: {
  mid: string;
  text: string;
  at?: number;
  echo?: boolean;
  customerId?: string;
  accountId?: string;
}): string {
  const at = options.at ?? 1773842751091;
  const customer = options.customerId ?? CUSTOMER_ID;
  const account = options.accountId ?? IG_ID;
  const [sender, recipient] = options.echo ? [account, customer] : [customer, account];
  return metaJson({
    object: 'instagram',
    entry: [
      {
        time: at + 200,
        id: account,
        messaging: [
          {
            sender: { id: sender },
            recipient: { id: recipient },
            timestamp: at,
            message: {
              mid: options.mid,
              text: options.text,
              ...(options.echo ? { is_echo: true } : {}),
            },
          },
        ],
      },
    ],
  });
}

/** The business's own Instagram-scoped id, seen in self-messaging tests and its own comments. */
export const SELF_SCOPED_ID = '2710948365512097';
/** Timestamp of catalogue entry [01]; entry [NN] happens NN-1 seconds later. */
export const T0 = 1773842751091;
const CDN = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=';

/**
 * A realistic mid for catalogue entry `key` (mids are opaque base64-like strings,
 * docs/platform.md#messages-field).
 */
export function catalogueMid(key: string): string {
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1MzA5MjExODQ0OjM0MDI4MjM2Njg0${key}`;
}

/** When catalogue entry `key` happened (epoch ms). */
export function catalogueAt(key: string): number {
  return T0 + (Number(key) - 1) * 1000;
}

type Item = Record<string, unknown>;

/** One compact envelope with several entries, each with its messaging items. */
export function messagingBody(...entries: Item[][]): string {
  return metaJson({
    object: 'instagram',
    entry: entries.map((items) => ({
      time: Math.max(...items.map((item) => Number(item.timestamp ?? T0))) + 312,
      id: IG_ID,
      messaging: items,
    })),
  });
}

const fromCustomer = (key: string, event: Item): Item => ({
  sender: { id: CUSTOMER_ID },
  recipient: { id: IG_ID },
  timestamp: catalogueAt(key),
  ...event,
});

const fromBusiness = (key: string, event: Item, recipient = CUSTOMER_ID): Item => ({
  sender: { id: IG_ID },
  recipient: { id: recipient },
  timestamp: catalogueAt(key),
  ...event,
});

const message = (key: string, fields: Item): Item =>
  fromCustomer(key, { message: { mid: catalogueMid(key), ...fields } });

const attachment = (key: string, type: string, payload?: Item): Item =>
  message(key, { attachments: [payload === undefined ? { type } : { type, payload }] });

/**
 * Comment bodies have been seen with `", "` / `": "` spacing (docs/platform.md#signatures):
 * serialise like that, with Meta's escapes, so the signature is computed over bytes a re-serialiser
 * would not reproduce.
 */
export function spacedMetaJson(value: unknown): string {
  const write = (node: unknown): string => {
    if (Array.isArray(node)) return `[${node.map(write).join(', ')}]`;
    if (node !== null && typeof node === 'object') {
      return `{${Object.entries(node)
        .map(([key, child]) => `${metaJson(key)}: ${write(child)}`)
        .join(', ')}}`;
    }
    return metaJson(node);
  };
  return write(value);
}

/** A comments body: entry.time in seconds (docs/platform.md#envelope), `changes[]` wrapper. */
export function commentBody(field: 'comments' | 'live_comments', value: Item, key: string): string {
  return spacedMetaJson({
    entry: [{ id: IG_ID, time: Math.floor(catalogueAt(key) / 1000), changes: [{ value, field }] }],
    object: 'instagram',
  });
}

const MEDIA = { id: '18050310947722369', media_product_type: 'FEED' };

/**
 * docs/platform.md#payload-catalogue, one byte-exact body per catalogue key. The appendix leaves
 * [02] and [17] without a snippet; here [02] is text with emoji, a link and quotes, and [17] the
 * undocumented attachment kinds (`story`, `template`, …) that carry nothing showable. [39] is a
 * live comment.
 */
export const CATALOGUE: Record<string, { title: string; body: string }> = {
  '01': {
    title: 'inbound text',
    body: messagingBody([
      message('01', { text: 'Hi! Do you still have the linen shirt in size M?' }),
    ]),
  },
  '02': {
    title: 'inbound text with emoji, a link and quotes',
    body: messagingBody([
      message('02', { text: 'Olá 👋 is this "the one"? https://shop.example/linen/m ✨' }),
    ]),
  },
  '03': {
    title: 'image',
    body: messagingBody([attachment('03', 'image', { url: `${CDN}103&signature=Ab03` })]),
  },
  '04': {
    title: 'two images',
    body: messagingBody([
      message('04', {
        attachments: [
          { type: 'image', payload: { url: `${CDN}1041&signature=Ab41` } },
          { type: 'image', payload: { url: `${CDN}1042&signature=Ab42` } },
        ],
      }),
    ]),
  },
  '05': {
    title: 'video',
    body: messagingBody([attachment('05', 'video', { url: `${CDN}105&signature=Ab05` })]),
  },
  '06': {
    title: 'audio (voice note)',
    body: messagingBody([attachment('06', 'audio', { url: `${CDN}106&signature=Ab06` })]),
  },
  '07': {
    title: 'file',
    body: messagingBody([attachment('07', 'file', { url: `${CDN}107&signature=Ab07` })]),
  },
  '08': {
    title: 'share (legacy)',
    body: messagingBody([attachment('08', 'share', { url: `${CDN}108&signature=Ab08` })]),
  },
  '09': {
    title: 'ig_post',
    body: messagingBody([
      attachment('09', 'ig_post', {
        url: `${CDN}109&signature=Ab09`,
        title: 'New in: linen shirts 🌿',
        ig_post_media_id: '18139494541428835',
      }),
    ]),
  },
  '10': {
    title: 'ig_reel',
    body: messagingBody([
      attachment('10', 'ig_reel', {
        reel_video_id: '18090345520838968',
        title: 'reel caption',
        url: 'https://www.instagram.com/reel/C4xYz12AbCd/',
      }),
    ]),
  },
  '11': { title: 'ephemeral', body: messagingBody([attachment('11', 'ephemeral')]) },
  '12': {
    title: 'story mention',
    body: messagingBody([attachment('12', 'story_mention', { url: `${CDN}112&signature=Ab12` })]),
  },
  '13': {
    title: 'story reply',
    body: messagingBody([
      message('13', {
        text: 'Is this one still available?',
        reply_to: { story: { url: `${CDN}113&signature=Ab13`, id: '18047712935561234' } },
      }),
    ]),
  },
  '14': {
    title: 'quoted reply',
    body: messagingBody([
      message('14', { text: 'Yes, this one', reply_to: { mid: catalogueMid('01') } }),
    ]),
  },
  '15': {
    title: 'quick reply',
    body: messagingBody([
      fromCustomer('15', {
        message: { quick_reply: { payload: 'SIZE_M' }, mid: catalogueMid('15'), text: 'Medium' },
      }),
    ]),
  },
  '16': {
    title: 'ad referral',
    body: messagingBody([message('16', { text: 'Hi, I saw your ad…', referral: AD_REFERRAL })]),
  },
  '17': {
    title: 'undocumented attachment kinds with nothing showable',
    body: messagingBody([
      message('17', { attachments: [{ type: 'ig_story' }, { type: 'template', payload: {} }] }),
    ]),
  },
  '18': {
    title: 'unsupported',
    body: messagingBody([message('18', { is_unsupported: true })]),
  },
  '19': {
    title: 'unsend (of [03])',
    body: messagingBody([
      fromCustomer('19', { message: { mid: catalogueMid('03'), is_deleted: true } }),
    ]),
  },
  '20': {
    title: 'echo of a message sent from the Instagram app',
    body: messagingBody([
      fromBusiness('20', {
        message: {
          mid: catalogueMid('20'),
          text: 'Yes! We have M in beige and navy.',
          is_echo: true,
        },
      }),
    ]),
  },
  '21': {
    title: 'echo with an attachment',
    body: messagingBody([
      fromBusiness('21', {
        message: {
          mid: catalogueMid('21'),
          attachments: [{ type: 'image', payload: { url: `${CDN}121&signature=Ab21` } }],
          is_echo: true,
        },
      }),
    ]),
  },
  '22': {
    title: 'self-messaging test',
    body: messagingBody([
      fromBusiness(
        '22',
        {
          message: { mid: catalogueMid('22'), text: 'webhook test', is_echo: true, is_self: true },
        },
        SELF_SCOPED_ID,
      ),
    ]),
  },
  '23': {
    title: 'edit (of [01])',
    body: messagingBody([
      fromCustomer('23', {
        message_edit: {
          mid: catalogueMid('01'),
          text: 'Hi! Do you still have the linen shirt in size L?',
          num_edit: 1,
        },
      }),
    ]),
  },
  '24': {
    title: 'minimal edit without sender, recipient or text (of [01])',
    body: messagingBody([
      { timestamp: catalogueAt('24'), message_edit: { mid: catalogueMid('01'), num_edit: 0 } },
    ]),
  },
  '25': {
    title: 'react love (to [20])',
    body: messagingBody([
      fromCustomer('25', {
        reaction: { mid: catalogueMid('20'), action: 'react', reaction: 'love', emoji: '❤️' },
      }),
    ]),
  },
  '26': {
    title: 'react other 🔥 (to [20]), replacing [25]',
    body: messagingBody([
      fromCustomer('26', {
        reaction: { mid: catalogueMid('20'), action: 'react', reaction: 'other', emoji: '🔥' },
      }),
    ]),
  },
  '27': {
    title: 'unreact (on [20])',
    body: messagingBody([
      fromCustomer('27', { reaction: { mid: catalogueMid('20'), action: 'unreact' } }),
    ]),
  },
  '28': {
    title: 'seen (up to [20])',
    body: messagingBody([fromCustomer('28', { read: { mid: catalogueMid('20') } })]),
  },
  '29': {
    title: 'minimal seen without sender (up to [21])',
    body: messagingBody([{ timestamp: catalogueAt('29'), read: { mid: catalogueMid('21') } }]),
  },
  '30': {
    title: 'postback (icebreaker)',
    body: messagingBody([
      fromCustomer('30', {
        postback: {
          mid: catalogueMid('30'),
          title: 'Where is my order?',
          payload: 'ICEBREAKER_ORDER_STATUS',
        },
      }),
    ]),
  },
  '31': {
    title: 'ig.me referral in an existing thread',
    body: messagingBody([
      fromCustomer('31', {
        referral: {
          ref: 'newsletter_march',
          source: 'https://ig.me/m/acme.studio?ref=newsletter_march',
          type: 'OPEN_THREAD',
        },
      }),
    ]),
  },
  '32': {
    title: 'opt-in',
    body: messagingBody([
      fromCustomer('32', {
        optin: {
          type: 'notification_messages',
          payload: 'RESTOCK_ALERTS',
          notification_messages_token: '7051282543285723459',
          notification_messages_timezone: 'America/Toronto',
          token_expiry_timestamp: 1781618751091,
          user_token_status: 'NOT_REFRESHED',
          title: 'Restock alerts',
        },
      }),
    ]),
  },
  '33': {
    title: 'pass_thread_control',
    body: messagingBody([
      fromCustomer('33', {
        pass_thread_control: {
          previous_owner_app_id: '1203948576213345',
          new_owner_app_id: '990602627938098',
          metadata: 'escalated_by_bot',
        },
      }),
    ]),
  },
  '34': {
    title: 'take_thread_control',
    body: messagingBody([
      fromCustomer('34', {
        take_thread_control: {
          previous_owner_app_id: '990602627938098',
          new_owner_app_id: '1203948576213345',
          metadata: 'bot_resumed',
        },
      }),
    ]),
  },
  '35': {
    title: 'standby message',
    body: metaJson({
      object: 'instagram',
      entry: [
        {
          time: catalogueAt('35') + 312,
          id: IG_ID,
          standby: [message('35', { text: 'Hello? Anyone there?' })],
        },
      ],
    }),
  },
  '36': {
    title: 'comment',
    body: commentBody(
      'comments',
      {
        from: { id: '952467318864215', username: 'priya.makes' },
        media: MEDIA,
        id: '17867301270523379',
        text: 'Price? 💸',
      },
      '36',
    ),
  },
  '37': {
    title: 'reply to a comment',
    body: commentBody(
      'comments',
      {
        from: { id: '3012745589164230', username: 'tom.builds' },
        media: MEDIA,
        id: '17871129034456180',
        parent_id: '17867301270523379',
        text: '@priya.makes it is in the bio',
      },
      '37',
    ),
  },
  '38': {
    title: 'the business’s own comment',
    body: commentBody(
      'comments',
      {
        from: { id: IG_ID, username: 'acme.studio', self_ig_scoped_id: SELF_SCOPED_ID },
        media: MEDIA,
        id: '17999912345678901',
        parent_id: '17867301270523379',
        text: 'Sent you a DM!',
      },
      '38',
    ),
  },
  '39': {
    title: 'live comment',
    body: commentBody(
      'live_comments',
      {
        from: { id: '952467318864215', username: 'priya.makes' },
        media: { id: '18061234567890123', media_product_type: 'LIVE' },
        id: '17855501234567890',
        text: 'Love this!',
      },
      '39',
    ),
  },
};

/**
 * [33] with `request_thread_control`, not in the appendix but in
 * docs/platform.md#other-messaging-fields.
 */
export const REQUEST_THREAD_CONTROL_BODY = messagingBody([
  fromCustomer('33', {
    request_thread_control: { requested_owner_app_id: '990602627938098', metadata: 'please' },
  }),
]);

/**
 * Meta's doc template: a comment's `field`/`value` directly on the entry
 * (docs/platform.md#envelope).
 */
export const COMMENT_TEMPLATE_BODY = metaJson({
  object: 'instagram',
  entry: [
    {
      id: IG_ID,
      time: Math.floor(T0 / 1000),
      field: 'comments',
      value: {
        from: { id: '952467318864215', username: 'priya.makes' },
        media: MEDIA,
        id: '17800000000000001',
        text: 'Template form',
      },
    },
  ],
});

/** The dashboard "Test" button payload (docs/platform.md#envelope), byte for byte. */
export const DASHBOARD_TEST_BODY =
  '{"object":"instagram","entry":[{"id":"0","time":1773842711,"changes":[{"field":"messages","value":{"sender":{"id":"12334"},"recipient":{"id":"23245"},"timestamp":"1527459824","message":{"mid":"random_mid","text":"random_text"}}}]}]}';
