import { z } from 'zod';

/**
 * The admin API's request and response shapes, shared by the server (which validates requests)
 * and the typed client (which validates responses).
 */

const Id = z.string().regex(/^\d{1,32}$/, 'an Instagram id is a string of digits');

export const AppSettingsInput = z.object({
  redirectUris: z.array(z.string().url()).optional(),
  tokenResponseShape: z.enum(['flat', 'wrapped']).optional(),
  humanAgentEnabled: z.boolean().optional(),
  windowSubcode: z.union([z.literal(2534022), z.literal(2018278)]).optional(),
  name: z.string().min(1).optional(),
  subscribeEveryone: z.boolean().optional(),
  mode: z.enum(['development', 'live']).optional(),
  published: z.boolean().optional(),
  dropSubscriptionAfterMs: z.number().int().positive().optional(),
  messageExpansion: z.enum(['bodies', 'ids-only']).optional(),
  callBudget: z.number().int().positive().optional(),
});
export const AppSettings = z.object({
  appId: z.string(),
  name: z.string(),
  redirectUris: z.array(z.string()),
  tokenResponseShape: z.enum(['flat', 'wrapped']),
  humanAgentEnabled: z.boolean(),
  windowSubcode: z.number(),
  subscribeEveryone: z.boolean(),
  mode: z.enum(['development', 'live']),
  published: z.boolean(),
  dropSubscriptionAfterMs: z.number(),
  messageExpansion: z.enum(['bodies', 'ids-only']),
  callBudget: z.number(),
});

export const AccountInput = z.object({
  username: z.string().min(1),
  name: z.string().optional(),
  igUserId: Id.optional(),
  /** Default true: the dashboard's "Generate token" only serves accounts with a role. */
  hasRole: z.boolean().optional(),
});
export const AccountCreated = z.object({
  igUserId: z.string(),
  username: z.string(),
  accessToken: z.string(),
  /** The scopes the token grants (the dashboard's "Generate token" grants every inbox scope). */
  permissions: z.array(z.string()),
});

export const Subscription = z.object({
  igUserId: z.string(),
  subscribedFields: z.array(z.string()),
});

export const WebhookInput = z.object({
  callbackUrl: z.string().url(),
  verifyToken: z.string().min(1),
});
export const WebhookVerified = z.object({ verified: z.literal(true) });

export const CustomerInput = z.object({
  accountId: Id,
  username: z.string().min(1),
  name: z.string().optional(),
  igsid: Id.optional(),
  /** Default false: a customer is a stranger to the app, as Meta sees everyone but its testers. */
  hasRole: z.boolean().optional(),
  /**
   * What the User Profile API says of their picture: a `sample` picture (default), `none`
   * (profile_pic null, as Meta answers for some people), or an `expired` link the CDN refuses.
   */
  picture: z.enum(['sample', 'none', 'expired']).optional(),
});
export const CustomerCreated = z.object({ igsid: z.string(), username: z.string() });
export const CustomerAvailabilityInput = z.object({ available: z.boolean() });

export const AttachmentInput = z.object({
  type: z.string().min(1),
  url: z.string().optional(),
  title: z.string().optional(),
  mediaId: z.string().optional(),
});

export const CustomerMessageInput = z.object({
  text: z.string().optional(),
  attachments: z.array(AttachmentInput).optional(),
  replyToMid: z.string().optional(),
  replyToStory: z.object({ url: z.string().optional(), id: z.string().optional() }).optional(),
  quickReplyPayload: z.string().optional(),
  referral: z.record(z.string(), z.unknown()).optional(),
  isUnsupported: z.boolean().optional(),
  standby: z.boolean().optional(),
  mid: z.string().optional(),
  timestamp: z.number().int().optional(),
});

const Timestamp = { timestamp: z.number().int().optional() };
export const ReactInput = z.object({
  mid: z.string(),
  reaction: z.string().optional(),
  emoji: z.string().optional(),
  ...Timestamp,
});
export const UnreactInput = z.object({ mid: z.string(), ...Timestamp });
export const EditInput = z.object({
  mid: z.string(),
  text: z.string().optional(),
  numEdit: z.number().int().optional(),
  /** Send it as captured in the wild: no sender/recipient (docs/platform.md#envelope). */
  minimal: z.boolean().optional(),
  ...Timestamp,
});
export const UnsendInput = z.object({ mid: z.string(), ...Timestamp });
export const SeenInput = z.object({
  mid: z.string().optional(),
  minimal: z.boolean().optional(),
  ...Timestamp,
});
export const PostbackInput = z.object({
  title: z.string(),
  payload: z.string(),
  mid: z.string().optional(),
  ...Timestamp,
});
export const ReferralInput = z.object({
  ref: z.string(),
  source: z.string().optional(),
  type: z.string().optional(),
  ...Timestamp,
});
export const EchoInput = z.object({
  text: z.string().min(1),
  mid: z.string().optional(),
  ...Timestamp,
});

export const CommentInput = z.object({
  accountId: Id,
  text: z.string().min(1),
  fromId: Id.optional(),
  fromUsername: z.string().optional(),
  mediaId: z.string().optional(),
  mediaProductType: z.string().optional(),
  postCaption: z.string().optional(),
  parentId: z.string().optional(),
  id: z.string().optional(),
  ...Timestamp,
});

/** One item of a batch: the same inputs as the single-event endpoints, tagged by kind. */
export const BatchItem = z.discriminatedUnion('kind', [
  CustomerMessageInput.extend({ kind: z.literal('message'), igsid: Id }),
  ReactInput.extend({ kind: z.literal('react'), igsid: Id }),
  UnreactInput.extend({ kind: z.literal('unreact'), igsid: Id }),
  EditInput.extend({ kind: z.literal('edit'), igsid: Id }),
  UnsendInput.extend({ kind: z.literal('unsend'), igsid: Id }),
  SeenInput.extend({ kind: z.literal('seen'), igsid: Id }),
  PostbackInput.extend({ kind: z.literal('postback'), igsid: Id }),
  ReferralInput.extend({ kind: z.literal('referral'), igsid: Id }),
  EchoInput.extend({ kind: z.literal('echo'), igsid: Id }),
  CommentInput.extend({ kind: z.literal('comment') }),
]);
export type BatchItem = z.input<typeof BatchItem>;
export const BatchInput = z.object({
  events: z.array(BatchItem).min(1),
  /** `grouped`: one entry per account holding every event; `separate`: one entry per event. */
  entries: z.enum(['grouped', 'separate']).optional(),
});

export const DeliveryOutcome = z.object({
  status: z.number().nullable(),
  error: z.string().nullable(),
});
export const EventDelivered = z.object({
  mid: z.string().nullable(),
  commentId: z.string().nullable().optional(),
  delivery: DeliveryOutcome,
});
export const BatchDelivered = z.object({
  mids: z.array(z.string().nullable()),
  delivery: DeliveryOutcome,
});

export const ClockAdvanceInput = z.object({ ms: z.number().int().nonnegative() });
export const ClockState = z.object({ now: z.number() });

export const FaultsInput = z.object({
  sendFailures: z
    .object({
      count: z.number().int().positive(),
      code: z.number().int(),
      subcode: z.number().int().optional(),
      httpStatus: z.number().int().min(400).max(599).optional(),
      message: z.string().optional(),
      regainAccessMinutes: z.number().int().nonnegative().optional(),
    })
    .optional(),
  latencyMs: z.number().int().nonnegative().max(60_000).optional(),
  dropDeliveries: z.number().int().nonnegative().optional(),
  unreachableDeliveries: z.number().int().nonnegative().optional(),
  duplicateDeliveries: z.number().int().nonnegative().optional(),
  timeoutSends: z.number().int().nonnegative().optional(),
  lostSends: z.number().int().nonnegative().optional(),
});

export const SentRequest = z.object({
  id: z.string(),
  at: z.number(),
  accountId: z.string(),
  path: z.string(),
  body: z.record(z.string(), z.unknown()),
  response: z.object({ status: z.number().nullable(), body: z.unknown() }),
  /** The mid of the message this request created, even when no answer went back (timeouts). */
  storedMid: z.string().nullable().optional(),
  fetched: z
    .array(
      z.object({
        url: z.string(),
        status: z.number().nullable(),
        contentType: z.string().nullable(),
        size: z.number().nullable(),
        sha256: z.string().nullable().optional(),
      }),
    )
    .optional(),
});
export const SentList = z.object({ requests: z.array(SentRequest) });

export const Delivery = z.object({
  id: z.string(),
  at: z.number(),
  body: z.string(),
  signature: z.string(),
  attempts: z.array(
    z.object({ at: z.number(), status: z.number().nullable(), error: z.string().nullable() }),
  ),
  state: z.enum(['pending', 'delivered', 'retrying', 'failed', 'dropped']),
  nextAttemptAt: z.number().nullable(),
  duplicateOf: z.string().nullable(),
  accountIds: z.array(z.string()),
});
export const DeliveryList = z.array(Delivery);

export const ErrorBody = z.object({ error: z.string() });
