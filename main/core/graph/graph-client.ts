import { z } from 'zod';
import { OutgoingTextSchema } from '../../../shared/domain/message-text';
import { InstagramIdSchema } from '../../../shared/domain/schemas';
import { AppError } from '../errors';
import type { Clock, Fetch, Logger } from '../ports';
import { classifyGraphFailure, GraphError, type GraphFailureInput } from './graph-errors';
import {
  CodeExchangeSchema,
  ConversationMessagesSchema,
  ConversationsPageSchema,
  LongLivedTokenSchema,
  MeSchema,
  MessageSchema,
  SendResponseSchema,
  SubscribedAppsSchema,
  SuccessSchema,
  MediaSchema,
  UserProfileSchema,
  type CodeExchangeResult,
  type GraphConversationsPage,
  type GraphMe,
  type GraphMessage,
  type GraphMessagesPage,
  type GraphMedia,
  type GraphUserProfile,
  type LongLivedToken,
  type SubscribedApp,
} from './graph-schemas';
import { parseJsonPreservingIds } from './json';
import { parseUsageHeaders, type GraphUsage } from './usage';

/**
 * The typed Instagram Graph client (docs/platform.md#accounts-and-login,
 * docs/platform.md#subscriptions, docs/platform.md#send-api, docs/platform.md#conversations-api).
 * Every URL is built from the configured base URLs and API version, so the app runs unchanged
 * against the local emulator. Tokens travel in `Authorization: Bearer` (docs/platform.md#tokens),
 * except where Meta only accepts query parameters (docs/platform.md#token-exchange,
 * docs/platform.md#token-refresh), and are never logged.
 */

export const DEFAULT_GRAPH_URL = 'https://graph.instagram.com';
export const DEFAULT_TOKEN_URL = 'https://api.instagram.com';
export const DEFAULT_GRAPH_VERSION = 'v24.0';
export const DEFAULT_TIMEOUT_MS = 30_000;

export type GraphClientOptions = {
  fetch: Fetch;
  /** Graph host, e.g. https://graph.instagram.com or the emulator's http://127.0.0.1:PORT. */
  graphUrl?: string;
  /** OAuth host for the code exchange (docs/platform.md#token-exchange). */
  tokenUrl?: string;
  /** e.g. 'v24.0' (docs/platform.md#versions); always sent in the path. */
  version?: string;
  timeoutMs?: number;
  logger: Logger;
  /**
   * Called with the usage headers of every response that carries them
   * (docs/platform.md#usage-headers).
   */
  onUsage?: (usage: GraphUsage, operation: GraphOperation) => void;
  /** For `Retry-After` dates. */
  clock?: Clock;
};

const QuickReplySchema = z.object({
  contentType: z.enum(['text', 'user_email', 'user_phone_number']),
  title: z.string().min(1),
  payload: z.string().min(1),
});

/** The 7-day human-agent tag (docs/platform.md#reply-windows); needs App Review. */
const TagSchema = z.literal('HUMAN_AGENT').optional();

const HttpUrlSchema = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'Attachments must be http(s) URLs that Instagram can download',
  });

/** Everything `POST /{IG_ID}/messages` can carry in Inlet (docs/platform.md#send-api). */
export const SendBodySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    recipientId: InstagramIdSchema,
    text: OutgoingTextSchema,
    /** At most 13; not shown on desktop Instagram (docs/platform.md#quick-replies). */
    quickReplies: z.array(QuickReplySchema).min(1).max(13).optional(),
    /**
     * Inline reply to that message. [inferred] Which shape Instagram expects is open
     * (docs/platform.md#reply-to); it mirrors the `reply_to.mid` of received messages
     * (docs/platform.md#messages-field) and Meta's Messenger Send API.
     */
    replyToMid: z.string().min(1).optional(),
    tag: TagSchema,
  }),
  z.object({
    kind: z.literal('attachment'),
    recipientId: InstagramIdSchema,
    /**
     * Meta downloads the file from `url`; it must be publicly reachable
     * (docs/platform.md#text-limits).
     */
    attachment: z.object({ type: z.enum(['image', 'video', 'audio', 'file']), url: HttpUrlSchema }),
    tag: TagSchema,
  }),
  /**
   * One text reply to a comment, within 7 days; Meta answers with the commenter's IGSID
   * (docs/platform.md#private-replies).
   */
  z.object({
    kind: z.literal('private-reply'),
    commentId: InstagramIdSchema,
    text: OutgoingTextSchema,
  }),
  z.object({
    kind: z.literal('reaction'),
    recipientId: InstagramIdSchema,
    messageId: z.string().min(1),
    /** `love` is the value every API version accepts (docs/platform.md#reactions-sent). */
    reaction: z.string().min(1),
  }),
  z.object({
    kind: z.literal('unreaction'),
    recipientId: InstagramIdSchema,
    messageId: z.string().min(1),
  }),
  z.object({
    kind: z.literal('sender-action'),
    recipientId: InstagramIdSchema,
    action: z.enum(['typing_on', 'typing_off', 'mark_seen']),
  }),
]);
export type SendBody = z.input<typeof SendBodySchema>;

/** Reactions and sender actions create no message, so Meta returns no `message_id` for them. */
export type SendResult<B extends SendBody> = B extends {
  kind: (typeof ACTION_KINDS)[number];
}
  ? { recipientId: string | null; messageId: null }
  : { recipientId: string; messageId: string };

export type GraphOperation =
  | 'exchangeCode'
  | 'exchangeForLongLived'
  | 'refreshLongLived'
  | 'getMe'
  | 'subscribeApp'
  | 'getSubscribedApps'
  | 'listConversations'
  | 'getConversationMessages'
  | 'getMessage'
  | 'getUserProfile'
  | 'getMedia'
  | 'sendMessage';

export interface GraphClient {
  /**
   * Code → short-lived token (docs/platform.md#token-exchange). Codes are single use: never
   * retried.
   */
  exchangeCode(input: {
    appId: string;
    appSecret: string;
    redirectUri: string;
    code: string;
  }): Promise<CodeExchangeResult>;
  /** Short-lived → 60-day token (docs/platform.md#token-exchange). */
  exchangeForLongLived(input: { appSecret: string; accessToken: string }): Promise<LongLivedToken>;
  /**
   * Needs a long-lived token at least 24 h old and not expired (docs/platform.md#token-refresh).
   */
  refreshLongLived(input: { accessToken: string }): Promise<LongLivedToken>;
  /**
   * `igUserId` (`user_id`) is the id that routes webhooks; `appScopedId` (`id`) matches nothing
   * (docs/platform.md#ids).
   */
  getMe(token: string): Promise<GraphMe>;
  subscribeApp(token: string, igUserId: string, fields: string[]): Promise<void>;
  getSubscribedApps(token: string, igUserId: string): Promise<SubscribedApp[]>;
  listConversations(
    token: string,
    igUserId: string,
    page?: { after?: string; limit?: number; customerId?: string },
  ): Promise<GraphConversationsPage>;
  /**
   * Newest first; only the 20 newest messages have details
   * (docs/platform.md#conversation-messages).
   */
  getConversationMessages(
    token: string,
    conversationId: string,
    page?: { after?: string; limit?: number },
  ): Promise<GraphMessagesPage>;
  getMessage(token: string, mid: string): Promise<GraphMessage>;
  /**
   * Code 230 (the person never messaged) throws a `GraphError` with reason `consent-required`
   * (docs/platform.md#user-profile).
   */
  getUserProfile(token: string, igsid: string): Promise<GraphUserProfile>;
  /** One of the account's own posts or reels: what its comments are on (docs/platform.md#media-node). */
  getMedia(token: string, mediaId: string): Promise<GraphMedia>;
  /**
   * Never retried here: a timeout after the request left throws kind `outcome-unknown`, and the
   * caller reconciles against the echo webhook before sending again (docs/platform.md#idempotency).
   */
  sendMessage<B extends SendBody>(token: string, igUserId: string, body: B): Promise<SendResult<B>>;
}

/**
 * docs/platform.md#conversation-messages: every field the inbox can show; Graph omits empty ones.
 */
const MESSAGE_FIELDS =
  'id,created_time,from,to,message,attachments,reactions,shares,story,reply_to,is_unsupported';
const PROFILE_FIELDS =
  'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user,is_verified_user';
const ME_FIELDS = 'id,user_id,username,name,account_type,profile_picture_url';
const MEDIA_FIELDS = 'id,media_type,media_product_type,caption,permalink,media_url,thumbnail_url';
const WEBHOOK_FIELD = /^[a-z_]+$/;

type RequestSpec<T> = {
  operation: GraphOperation;
  method: 'GET' | 'POST';
  url: URL;
  bearer?: string;
  json?: unknown;
  form?: URLSearchParams;
  schema: z.ZodType<T>;
  isIdempotent: boolean;
  isHumanAgentSend?: boolean;
};

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const graphUrl = baseUrlOf(options.graphUrl ?? DEFAULT_GRAPH_URL, 'graphUrl');
  const tokenUrl = baseUrlOf(options.tokenUrl ?? DEFAULT_TOKEN_URL, 'tokenUrl');
  const version = options.version ?? DEFAULT_GRAPH_VERSION;
  if (!/^v\d+\.\d+$/.test(version))
    throw new AppError('INVALID_INPUT', `"${version}" is not a Graph API version like v24.0`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? Date;
  const { logger } = options;

  /** `{graphUrl}/{version}/{node}/{edge}`; every segment is encoded, ids come from outside. */
  const graphPath = (segments: string[], query: Record<string, string | undefined> = {}) => {
    const url = new URL(`${graphUrl}/${version}/${segments.map(encodeURIComponent).join('/')}`);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, value);
    return url;
  };

  async function request<T>(spec: RequestSpec<T>): Promise<T> {
    const headers = new Headers({ accept: 'application/json' });
    if (spec.bearer !== undefined) headers.set('authorization', `Bearer ${spec.bearer}`);
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(spec.json);
    } else if (spec.form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = spec.form.toString();
    }

    const fail = (input: GraphFailureInput, cause?: unknown): GraphError => {
      const failure = classifyGraphFailure({
        ...input,
        nowMs: clock.now(),
        isHumanAgentSend: spec.isHumanAgentSend,
      });
      // The path never holds a token; the query (token endpoints) is left out on purpose.
      logger.warn('graph request failed', {
        operation: spec.operation,
        method: spec.method,
        path: spec.url.pathname,
        status: input.httpStatus,
        kind: failure.kind,
        reason: failure.reason,
        graphCode: failure.graphCode,
        subcode: failure.subcode,
        fbtraceId: failure.fbtraceId,
      });
      return new GraphError(failure, {
        operation: spec.operation,
        isIdempotent: spec.isIdempotent,
        cause,
      });
    };

    let response: Response;
    let text: string;
    try {
      // One signal covers connecting, the headers and the body.
      response = await options.fetch(spec.url, {
        method: spec.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect would carry the query-string token of docs/platform.md#token-exchange,
        // docs/platform.md#token-refresh elsewhere; Graph never redirects.
        redirect: 'error',
      });
    } catch (error) {
      throw fail(
        { httpStatus: null, body: null, networkError: error, requestSent: wasRequestSent(error) },
        error,
      );
    }
    try {
      text = await response.text();
    } catch (error) {
      // Headers arrived, so Meta had the request: its effect is unknown.
      throw fail(
        {
          httpStatus: null,
          body: null,
          networkError: error,
          requestSent: true,
          headers: response.headers,
        },
        error,
      );
    }

    const usage = parseUsageHeaders(response.headers);
    if (
      options.onUsage &&
      (usage.appUsagePercent !== null ||
        usage.businessUsagePercent !== null ||
        usage.regainAccessMs !== null)
    )
      options.onUsage(usage, spec.operation);

    let parsed: unknown;
    try {
      parsed = parseJsonPreservingIds(text);
    } catch {
      parsed = text; // HTML from a proxy, an empty 502…: classified by status alone
    }
    const failureInput = {
      httpStatus: response.status,
      body: parsed,
      requestSent: true,
      headers: response.headers,
    };
    if (!response.ok || hasErrorEnvelope(parsed)) throw fail(failureInput);

    const result = spec.schema.safeParse(parsed);
    if (!result.success) {
      // Issue paths only: the body of a token response holds the token itself.
      logger.warn('graph response did not match its schema', {
        operation: spec.operation,
        issues: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`),
      });
      throw fail(failureInput, result.error);
    }
    return result.data;
  }

  // Every method is async so that bad input rejects the promise rather than throwing synchronously.
  return {
    exchangeCode: async ({ appId, appSecret, redirectUri, code }) =>
      request({
        operation: 'exchangeCode',
        method: 'POST',
        url: new URL(`${tokenUrl}/oauth/access_token`),
        form: new URLSearchParams({
          client_id: appId,
          client_secret: appSecret,
          grant_type: 'authorization_code',
          redirect_uri: redirectUri,
          // The redirect appends `#_`, which is not part of the code (docs/platform.md#oauth).
          code: code.trim().replace(/#_$/, ''),
        }),
        schema: CodeExchangeSchema,
        isIdempotent: false,
      }),

    // docs/platform.md#token-exchange, docs/platform.md#token-refresh accept the token only as a
    // query parameter, on unversioned paths.
    exchangeForLongLived: async ({ appSecret, accessToken }) => {
      const url = new URL(`${graphUrl}/access_token`);
      url.search = new URLSearchParams({
        grant_type: 'ig_exchange_token',
        client_secret: appSecret,
        access_token: accessToken,
      }).toString();
      return request({
        operation: 'exchangeForLongLived',
        method: 'GET',
        url,
        schema: LongLivedTokenSchema,
        isIdempotent: true,
      });
    },

    refreshLongLived: async ({ accessToken }) => {
      const url = new URL(`${graphUrl}/refresh_access_token`);
      url.search = new URLSearchParams({
        grant_type: 'ig_refresh_token',
        access_token: accessToken,
      }).toString();
      return request({
        operation: 'refreshLongLived',
        method: 'GET',
        url,
        schema: LongLivedTokenSchema,
        isIdempotent: true,
      });
    },

    getMe: async (token) =>
      request({
        operation: 'getMe',
        method: 'GET',
        url: graphPath(['me'], { fields: ME_FIELDS }),
        bearer: token,
        schema: MeSchema,
        isIdempotent: true,
      }),

    subscribeApp: async (token, igUserId, fields) => {
      if (fields.length === 0 || !fields.every((field) => WEBHOOK_FIELD.test(field)))
        throw new AppError('INVALID_INPUT', 'Webhook fields must be names like "messages"');
      // `{"success": false}` fails the schema: an unconfirmed subscription is not a success
      // (docs/platform.md#subscriptions).
      await request({
        operation: 'subscribeApp',
        method: 'POST',
        url: graphPath([accountId(igUserId), 'subscribed_apps'], {
          subscribed_fields: fields.join(','),
        }),
        bearer: token,
        schema: SuccessSchema,
        isIdempotent: true,
      });
    },

    getSubscribedApps: async (token, igUserId) =>
      request({
        operation: 'getSubscribedApps',
        method: 'GET',
        url: graphPath([accountId(igUserId), 'subscribed_apps']),
        bearer: token,
        schema: SubscribedAppsSchema,
        isIdempotent: true,
      }),

    listConversations: async (token, igUserId, page = {}) =>
      request({
        operation: 'listConversations',
        method: 'GET',
        url: graphPath([accountId(igUserId), 'conversations'], {
          platform: 'instagram',
          fields: 'id,updated_time,participants',
          limit: String(pageLimit(page.limit, 25)),
          after: page.after,
          // Finds the one thread with a customer (docs/platform.md#conversations-api).
          user_id: page.customerId === undefined ? undefined : accountId(page.customerId),
        }),
        bearer: token,
        schema: ConversationsPageSchema,
        isIdempotent: true,
      }),

    getConversationMessages: async (token, conversationId, page = {}) => {
      const node = nodeId(conversationId);
      const limit = pageLimit(page.limit, 20);
      // The first page is the documented field expansion (docs/platform.md#conversation-messages);
      // later pages use the
      // `/{conversation}/messages` edge, which is what Graph's own `paging.next` links point at.
      const url =
        page.after === undefined
          ? graphPath([node], { fields: `messages.limit(${limit}){${MESSAGE_FIELDS}}` })
          : graphPath([node, 'messages'], {
              fields: MESSAGE_FIELDS,
              limit: String(limit),
              after: page.after,
            });
      return request({
        operation: 'getConversationMessages',
        method: 'GET',
        url,
        bearer: token,
        schema: ConversationMessagesSchema,
        isIdempotent: true,
      });
    },

    getMessage: async (token, mid) =>
      request({
        operation: 'getMessage',
        method: 'GET',
        url: graphPath([nodeId(mid)], { fields: MESSAGE_FIELDS }),
        bearer: token,
        schema: MessageSchema,
        isIdempotent: true,
      }),

    getUserProfile: async (token, igsid) =>
      request({
        operation: 'getUserProfile',
        method: 'GET',
        url: graphPath([accountId(igsid)], { fields: PROFILE_FIELDS }),
        bearer: token,
        schema: UserProfileSchema,
        isIdempotent: true,
      }),

    getMedia: async (token, mediaId) =>
      request({
        operation: 'getMedia',
        method: 'GET',
        url: graphPath([nodeId(mediaId)], { fields: MEDIA_FIELDS }),
        bearer: token,
        schema: MediaSchema,
        isIdempotent: true,
      }),

    sendMessage: async <B extends SendBody>(token: string, igUserId: string, body: B) => {
      const checked = SendBodySchema.safeParse(body);
      if (!checked.success) throw new AppError('INVALID_INPUT', z.prettifyError(checked.error));
      const send = checked.data;
      const createsMessage = !isActionKind(send.kind);
      const response = await request({
        operation: 'sendMessage',
        method: 'POST',
        url: graphPath([accountId(igUserId), 'messages']),
        bearer: token,
        json: toSendPayload(send),
        schema: createsMessage
          ? SendResponseSchema.refine(
              (sent) => sent.message_id !== null && sent.recipient_id !== null,
            )
          : SendResponseSchema,
        isIdempotent: false,
        isHumanAgentSend: 'tag' in send && send.tag === 'HUMAN_AGENT',
      });
      // The refine above guarantees both ids when a message was created.
      return {
        recipientId: response.recipient_id,
        messageId: createsMessage ? response.message_id : null,
      } as SendResult<B>;
    },
  };
}

type CheckedSendBody = z.output<typeof SendBodySchema>;

/**
 * Wire shapes from docs/platform.md#send-api (text), docs/platform.md#text-limits (media),
 * docs/platform.md#reactions-sent (reactions), docs/platform.md#sender-actions (actions),
 * docs/platform.md#quick-replies, docs/platform.md#private-replies, docs/platform.md#reply-windows.
 */
function toSendPayload(body: CheckedSendBody): Record<string, unknown> {
  switch (body.kind) {
    case 'text': {
      const quickReplies = body.quickReplies?.map((reply) => ({
        content_type: reply.contentType,
        title: reply.title,
        payload: reply.payload,
      }));
      return {
        recipient: { id: body.recipientId },
        ...humanAgentTag(body.tag),
        message: {
          text: body.text,
          ...(quickReplies && { quick_replies: quickReplies }),
        },
        // Beside `message`, not inside it as received messages carry it (docs/platform.md#reply-to).
        ...(body.replyToMid !== undefined && { reply_to: { mid: body.replyToMid } }),
      };
    }
    case 'attachment':
      return {
        recipient: { id: body.recipientId },
        ...humanAgentTag(body.tag),
        message: {
          attachment: { type: body.attachment.type, payload: { url: body.attachment.url } },
        },
      };
    case 'private-reply':
      return { recipient: { comment_id: body.commentId }, message: { text: body.text } };
    case 'reaction':
      return {
        recipient: { id: body.recipientId },
        sender_action: 'react',
        payload: { message_id: body.messageId, reaction: body.reaction },
      };
    case 'unreaction':
      return {
        recipient: { id: body.recipientId },
        sender_action: 'unreact',
        payload: { message_id: body.messageId },
      };
    case 'sender-action':
      // Only `recipient` and `sender_action` may be in this body (docs/platform.md#sender-actions).
      return { recipient: { id: body.recipientId }, sender_action: body.action };
  }
}

function humanAgentTag(tag: 'HUMAN_AGENT' | undefined): Record<string, string> {
  return tag === undefined ? {} : { messaging_type: 'MESSAGE_TAG', tag };
}

const ACTION_KINDS = ['reaction', 'unreaction', 'sender-action'] as const;
function isActionKind(kind: SendBody['kind']): kind is (typeof ACTION_KINDS)[number] {
  return (ACTION_KINDS as readonly string[]).includes(kind);
}

/** Connection-stage failures: the request provably never reached anyone. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * `fetch` does not say whether bytes left; only connection-stage error codes prove they did not.
 * Anything else (timeouts, resets) counts as sent, so a send is never blindly repeated
 * (docs/platform.md#idempotency).
 */
export function wasRequestSent(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return false;
    current = (current as { cause?: unknown }).cause;
  }
  return true;
}

function hasErrorEnvelope(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error' in body;
}

function baseUrlOf(value: string, name: string): string {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '')
    throw new AppError(
      'INVALID_INPUT',
      `${name} must be an http(s) URL without query, got "${value}"`,
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Account and customer ids are digit strings (docs/platform.md#ids); anything else would change the
 * path.
 */
function accountId(id: string): string {
  if (!InstagramIdSchema.safeParse(id).success)
    throw new AppError('INVALID_INPUT', 'An Instagram id is a string of digits');
  return id;
}

function nodeId(id: string): string {
  if (id.length === 0) throw new AppError('INVALID_INPUT', 'An id cannot be empty');
  return id;
}

function pageLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new AppError('INVALID_INPUT', 'A page holds between 1 and 100 items');
  return limit;
}
