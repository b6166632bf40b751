import { parseArgs } from 'node:util';
import type { Fetch, SimulatedEvents } from '../core/ports';
import {
  AD_REFERRAL,
  commentEvent,
  customerEdit,
  customerMessage,
  customerPostback,
  customerReaction,
  customerReferral,
  customerSeen,
  customerUnsend,
  echoEvent,
  type CustomerMessageInput,
  type EventContext,
} from './customer-events';
import { UsageError } from '../../shared/domain/command-error';
import { newMid } from './ids';
import { signBody } from './signing';
import { buildEnvelope, type WebhookEvent } from './webhook-delivery';
import { DEFAULT_CALL_BUDGET, HOUR_MS, World } from './world';

/**
 * `inlet simulate <event> --url <webhook url> --secret <app secret> [options]`: fires one
 * realistic signed webhook at a running Inlet, like `stripe trigger`. Bodies are built by the same
 * code as the emulator's, so they carry Meta's escaping (docs/platform.md#signatures) and the
 * shapes of docs/platform.md#payload-catalogue.
 */

const DOC_ACCOUNT = '17841405309211844'; // the ids of docs/platform.md#payload-catalogue
const DOC_CUSTOMER = '1284973601758392';

type Options = {
  account: string;
  customer: string;
  text?: string;
  mid?: string;
  emoji?: string;
  now: number;
};

const MESSAGE_KINDS: Record<string, (o: Options) => CustomerMessageInput> = {
  message: (o) => ({ text: o.text ?? 'Hi! Do you still have the linen shirt in size M? ✨' }),
  image: () => ({ attachments: [{ type: 'image' }] }),
  images: () => ({ attachments: [{ type: 'image' }, { type: 'image' }] }),
  video: () => ({ attachments: [{ type: 'video' }] }),
  audio: () => ({ attachments: [{ type: 'audio' }] }),
  file: () => ({ attachments: [{ type: 'file' }] }),
  share: () => ({ attachments: [{ type: 'share' }] }),
  ig_post: () => ({ attachments: [{ type: 'ig_post', title: 'New linen collection 🌿' }] }),
  ig_reel: () => ({
    attachments: [
      {
        type: 'ig_reel',
        title: 'How we dye our linen',
        url: 'https://www.instagram.com/reel/C5xYz12AbCd/',
      },
    ],
  }),
  ephemeral: () => ({ attachments: [{ type: 'ephemeral' }] }),
  story_mention: () => ({ attachments: [{ type: 'story_mention' }] }),
  story_reply: (o) => ({ text: o.text ?? 'Is this one still available?', replyToStory: {} }),
  quote_reply: (o) => ({ text: o.text ?? 'Yes, this one', replyToMid: o.mid ?? newMid(o.account) }),
  quick_reply: (o) => ({ text: o.text ?? 'Medium', quickReplyPayload: 'SIZE_M' }),
  ad_referral: (o) => ({ text: o.text ?? 'Hi, I saw your ad…', referral: AD_REFERRAL }),
  unsupported: () => ({ isUnsupported: true }),
  standby: (o) => ({ text: o.text ?? 'Hello? Anyone there?', standby: true }),
};

const OTHER_KINDS: Record<string, (ctx: EventContext, o: Options) => WebhookEvent> = {
  echo: (ctx, o) =>
    echoEvent(
      ctx.world.addMessage({
        mid: o.mid ?? newMid(o.account),
        accountId: o.account,
        igsid: o.customer,
        direction: 'out',
        createdAt: o.now,
        text: o.text ?? 'Yes! We have M in beige and navy.',
        attachments: [],
        reactions: [],
      }),
    ),
  edit: (ctx, o) =>
    customerEdit(ctx, o.customer, {
      mid: o.mid ?? newMid(o.account),
      text: o.text ?? 'Size L actually',
      numEdit: 1,
    }),
  unsend: (ctx, o) => customerUnsend(ctx, o.customer, { mid: o.mid ?? newMid(o.account) }),
  react: (ctx, o) =>
    customerReaction(ctx, o.customer, {
      mid: o.mid ?? newMid(o.account),
      action: 'react',
      emoji: o.emoji,
      reaction: o.emoji ? 'other' : 'love',
    }),
  unreact: (ctx, o) =>
    customerReaction(ctx, o.customer, { mid: o.mid ?? newMid(o.account), action: 'unreact' }),
  seen: (ctx, o) => customerSeen(ctx, o.customer, { mid: o.mid ?? newMid(o.account) }),
  postback: (ctx, o) =>
    customerPostback(ctx, o.customer, {
      title: o.text ?? 'Where is my order?',
      payload: 'ICEBREAKER_ORDER_STATUS',
    }),
  referral: (ctx, o) => customerReferral(ctx, o.customer, { ref: 'newsletter_march' }),
  comment: (ctx, o) =>
    commentEvent(ctx, {
      accountId: o.account,
      fromId: o.customer,
      fromUsername: 'lena.k',
      text: o.text ?? 'Price?',
    }).event,
};

export const SIMULATE_EVENTS = [...Object.keys(MESSAGE_KINDS), ...Object.keys(OTHER_KINDS)];

/** The Developer section's "Simulate": the same builders, for the customer of the payload catalogue. */
export const simulatedEvents: SimulatedEvents = {
  kinds: SIMULATE_EVENTS,
  build: (kind, options) => {
    if (!SIMULATE_EVENTS.includes(kind)) throw new Error(`unknown event "${kind}"`);
    return buildSimulatedBody(kind, { customer: DOC_CUSTOMER, ...options });
  },
};

const USAGE = `usage: inlet simulate <event> [--url <webhook url> --secret <app secret>] [--data-dir DIR] [--sandbox]
         [--account IG_ID] [--customer IGSID] [--text TEXT] [--mid MID] [--emoji EMOJI]
Without --url, the Inlet running on the data dir is found (its sandbox with --sandbox), and with
it the secret (the sandbox's is known; else INLET_APP_SECRET) and its connected account.
events: ${SIMULATE_EVENTS.join(', ')}
example: inlet simulate message --sandbox --text "Hi ✨"
         inlet simulate message --url http://127.0.0.1:4100/webhook --secret $APP_SECRET --text "Hi ✨"
         inlet simulate react --url … --secret … --mid <mid of a stored message> --emoji 🔥`;

export async function runSimulateCommand(
  args: string[],
  io: {
    stdout: (line: string) => void;
    stderr: (line: string) => void;
    fetch?: Fetch;
    now?: () => number;
    /** The Inlet running on a data dir (main/cli/running-inlet.ts), for --url-less use. */
    findInlet?: (
      dataDir: string | undefined,
      sandbox: boolean,
    ) => { mode: string; url: string; secret: string | null; accountIds: string[] } | null;
    env?: Readonly<Record<string, string | undefined>>;
  },
): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError(`simulate: ${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return io.stdout(USAGE);
  const kind = positionals[0];
  if (!kind || !SIMULATE_EVENTS.includes(kind))
    throw new UsageError(`simulate: unknown event "${kind ?? ''}"\n${USAGE}`);
  const running =
    values.url === undefined
      ? (io.findInlet?.(values['data-dir'], values.sandbox === true) ?? null)
      : null;
  const url = values.url ?? running?.url;
  if (!url)
    throw new UsageError(
      `simulate: no running Inlet found${values['data-dir'] ? ` on ${values['data-dir']}` : ''}; start inlet serve${values.sandbox ? ' --sandbox' : ''} or give --url\n${USAGE}`,
    );
  const secret = values.secret ?? running?.secret ?? io.env?.INLET_APP_SECRET;
  if (!secret)
    throw new UsageError(
      `simulate: the app secret signs the event; give --secret or set INLET_APP_SECRET\n${USAGE}`,
    );
  if (running) io.stderr(`simulate: sending to the ${running.mode} Inlet at ${url}`);
  const account = values.account ?? running?.accountIds[0] ?? DOC_ACCOUNT;
  if (running && !running.accountIds.includes(account))
    io.stderr(
      `simulate: warning: Inlet does not know account ${account}${running.accountIds.length > 0 ? ` (it knows ${running.accountIds.join(', ')})` : ''}; it will keep the event but skip it`,
    );

  const now = (io.now ?? Date.now)();
  const options: Options = {
    account,
    customer: values.customer ?? DOC_CUSTOMER,
    text: values.text,
    mid: values.mid,
    emoji: values.emoji,
    now,
  };
  const body = buildSimulatedBody(kind, options);
  const signature = signBody(body, secret);
  io.stdout(body);
  const response = await (io.fetch ?? globalThis.fetch)(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signature,
      'User-Agent': 'facebookexternalua',
    },
    body,
  });
  io.stdout(`HTTP ${response.status}`);
  if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
}

/** The exact body Meta would send for one event of that kind (a throwaway world holds the ids). */
export function buildSimulatedBody(kind: string, options: Options): string {
  const world = new World({
    appId: '0',
    appSecret: '',
    name: 'simulate',
    redirectUris: [],
    tokenResponseShape: 'flat',
    humanAgentEnabled: false,
    windowSubcode: 2534022,
    // Only builds bodies; nothing is delivered from this world.
    subscribeEveryone: false,
    mode: 'live',
    published: true,
    dropSubscriptionAfterMs: HOUR_MS,
    messageExpansion: 'bodies',
    callBudget: DEFAULT_CALL_BUDGET,
  });
  world.createAccount({ igUserId: options.account, username: 'acme.studio' });
  world.createCustomer({ accountId: options.account, igsid: options.customer, username: 'lena.k' });
  const ctx: EventContext = {
    world,
    now: options.now,
    cdnUrl: (assetId) =>
      `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${encodeURIComponent(assetId)}&signature=simulated`,
  };
  const message = MESSAGE_KINDS[kind];
  const event = message
    ? customerMessage(ctx, options.customer, message(options)).event
    : OTHER_KINDS[kind]!(ctx, options);
  return buildEnvelope([event], 'grouped', options.now);
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      account: { type: 'string' },
      customer: { type: 'string' },
      text: { type: 'string' },
      mid: { type: 'string' },
      emoji: { type: 'string' },
      'data-dir': { type: 'string' },
      sandbox: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
}
