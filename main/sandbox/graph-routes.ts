import type { IncomingMessage } from 'node:http';
import type { CallBudget } from './call-budget';
import { samplePictureSize } from './cdn';
import { echoEvent } from './customer-events';
import type { EmulatorClock } from './emulator-clock';
import { type FieldRequest, graphTime, parseFields } from './graph-fields';
import { GraphError, graphErrors } from './graph-errors';
import { parseRequestBody, sendMetaJson, type RoutedRequest } from './http';
import type { SendApi } from './send-api';
import type { WebhookDispatcher } from './webhook-delivery';
import {
  LONG_TOKEN_MS,
  DAY_MS,
  WEBHOOK_FIELDS,
  type Account,
  type Customer,
  type Post,
  type StoredMessage,
  type TokenRecord,
  type World,
} from './world';

/**
 * graph.instagram.com as Inlet uses it: token exchange and refresh
 * (docs/platform.md#token-exchange, docs/platform.md#token-refresh), `/me` (docs/platform.md#ids),
 * subscriptions (docs/platform.md#subscriptions), the Send API (docs/platform.md#send-api),
 * Conversations and User Profile (docs/platform.md#conversations-api). Paths may carry a version
 * prefix (`/v24.0/…`) or none (docs/platform.md#versions); tokens come as a Bearer header or
 * `access_token`.
 */

export type GraphDeps = {
  world: World;
  clock: EmulatorClock;
  sendApi: SendApi;
  dispatcher: WebhookDispatcher;
  budget: CallBudget;
};

const VERSION_PREFIX = /^\/v\d+(?:\.\d+)?(?=\/)/;
const ACCOUNT_FIELDS = new Set([
  'id',
  'user_id',
  'username',
  'name',
  'account_type',
  'profile_picture_url',
  'followers_count',
  'media_count',
]);
const PROFILE_FIELDS = new Set([
  'id',
  'name',
  'username',
  'profile_pic',
  'follower_count',
  'is_user_follow_business',
  'is_business_follow_user',
  'is_verified_user',
]);
const MEDIA_FIELDS = new Set([
  'id',
  'media_type',
  'media_product_type',
  'caption',
  'permalink',
  'media_url',
  'thumbnail_url',
  'timestamp',
  'username',
  'shortcode',
  'comments_count',
  'like_count',
]);
const CONVERSATION_FIELDS = new Set(['id', 'updated_time', 'participants', 'messages']);
const MESSAGE_FIELDS = new Set([
  'id',
  'created_time',
  'from',
  'to',
  'message',
  'attachments',
  'reactions',
  'shares',
  'story',
  'reply_to',
  'is_unsupported',
]);
const DEFAULT_PAGE = 25;

export async function handleGraph(deps: GraphDeps, request: RoutedRequest): Promise<void> {
  const { req, res, url } = request;
  const path = url.pathname.replace(VERSION_PREFIX, '');
  const segments = path.split('/').filter(Boolean);
  let body: Record<string, unknown> = {};
  try {
    body =
      req.method === 'POST' ? parseRequestBody(request.rawBody, req.headers['content-type']) : {};
  } catch {
    body = {};
  }
  const headers: Record<string, string> = {
    'X-App-Usage': JSON.stringify({ call_count: 1, total_time: 1, total_cputime: 1 }),
  };
  let token: TokenRecord | null = null;
  const authenticate = (): TokenRecord => {
    if (token) return token;
    const record = authenticateRequest(deps, req, url, body);
    const account = deps.world.accounts.get(record.accountId);
    if (deps.world.app.mode === 'development' && account && !account.hasRole)
      throw graphErrors.unsupportedRequest(req.method ?? 'GET');
    const spent = deps.budget.spend(record.accountId, deps.clock.now(), deps.world.app.callBudget);
    headers['X-Business-Use-Case-Usage'] = spent.header;
    if (spent.throttledForMinutes !== null) throw graphErrors.throttled();
    token = record;
    return record;
  };
  try {
    if (req.method === 'POST' && segments.length === 2 && segments[1] === 'messages') {
      const outcome = await deps.sendApi.handle({
        path: url.pathname,
        node: segments[0]!,
        body,
        authenticate,
      });
      if (outcome.cutConnection) {
        req.socket.destroy();
      } else {
        sendMetaJson(res, outcome.status, outcome.body, { ...headers, ...outcome.headers });
      }
      // The echo follows the answer, carrying the returned message_id as its mid
      // (docs/platform.md#messages-field, [20]).
      if (outcome.echo) void deps.dispatcher.dispatch([echoEvent(outcome.echo)]);
      return;
    }
    const answer = await route(deps, req.method ?? 'GET', segments, url, body, authenticate);
    sendMetaJson(res, 200, answer, headers);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    sendMetaJson(res, error.status, error.body(), { ...headers, ...error.details.headers });
  }
}

async function route(
  deps: GraphDeps,
  method: string,
  segments: string[],
  url: URL,
  body: Record<string, unknown>,
  authenticate: () => TokenRecord,
): Promise<unknown> {
  const [node, edge, ...rest] = segments;
  if (!node || rest.length > 0) throw graphErrors.unknownPath(url.pathname);
  if (method === 'GET' && node === 'access_token' && !edge) return exchangeToken(deps, url);
  if (method === 'GET' && node === 'refresh_access_token' && !edge)
    return refreshToken(deps, url, authenticate());
  const token = authenticate();
  const fields = fieldsOf(url);
  if (edge === 'subscribed_apps')
    return subscribedApps(deps, method, accountNode(deps, node, token, method), token, url, body);
  if (method !== 'GET') throw graphErrors.objectNotFound(node, method.toLowerCase());
  if (edge === 'conversations')
    return conversations(deps, accountNode(deps, node, token, 'get'), url, fields);
  if (edge === 'messages') {
    const conversation = deps.world.conversationById(node);
    if (!conversation || conversation.accountId !== token.accountId)
      throw graphErrors.objectNotFound(node, 'get');
    return messagesEdge(
      deps,
      conversation.accountId,
      conversation.igsid,
      url,
      fieldsOf(url) ?? undefined,
    );
  }
  if (edge) throw graphErrors.unknownPath(url.pathname);
  return readNode(deps, node, token, fields);
}

function fieldsOf(url: URL): FieldRequest[] | null {
  try {
    return parseFields(url.searchParams.get('fields'));
  } catch (error) {
    throw graphErrors.invalidParameter((error as Error).message);
  }
}

function authenticateRequest(
  deps: GraphDeps,
  req: IncomingMessage,
  url: URL,
  body: Record<string, unknown>,
): TokenRecord {
  const header = req.headers.authorization;
  const fromHeader = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header)?.[1] : undefined;
  const token =
    fromHeader ??
    url.searchParams.get('access_token') ??
    (typeof body.access_token === 'string' ? body.access_token : undefined);
  if (!token) throw graphErrors.missingToken();
  const record = deps.world.tokens.get(token);
  if (!record) throw graphErrors.invalidToken();
  if (deps.clock.now() >= record.expiresAt) throw graphErrors.expiredToken(record.expiresAt);
  return record;
}

/**
 * `me` or the explicit IG_ID of the token's own account (docs/platform.md#subscriptions); anything
 * else is 100/33.
 */
function accountNode(deps: GraphDeps, node: string, token: TokenRecord, method: string): Account {
  const id = node === 'me' ? token.accountId : node;
  const account = deps.world.accounts.get(id);
  if (!account || id !== token.accountId)
    throw graphErrors.objectNotFound(node, method.toLowerCase());
  return account;
}

function exchangeToken(deps: GraphDeps, url: URL): unknown {
  const { world, clock } = deps;
  if (url.searchParams.get('grant_type') !== 'ig_exchange_token') {
    throw graphErrors.invalidParameter('Unsupported grant_type: expected ig_exchange_token');
  }
  if (url.searchParams.get('client_secret') !== world.app.appSecret) {
    throw new GraphError(400, 1, 'Error validating client secret.', { type: 'OAuthException' });
  }
  const short = world.tokens.get(url.searchParams.get('access_token') ?? '');
  if (!short) throw graphErrors.invalidToken();
  if (clock.now() >= short.expiresAt) throw graphErrors.expiredToken(short.expiresAt);
  if (short.kind !== 'short')
    throw graphErrors.invalidParameter('Only a short-lived token can be exchanged');
  const long = world.issueToken(short.accountId, 'long', clock.now(), short.scopes);
  return {
    access_token: long.token,
    token_type: 'bearer',
    expires_in: Math.floor(LONG_TOKEN_MS / 1000),
  };
}

/**
 * Refresh needs a long-lived, unexpired token at least 24 h old (docs/platform.md#token-refresh);
 * same string, new expiry.
 */
function refreshToken(deps: GraphDeps, url: URL, token: TokenRecord): unknown {
  if (url.searchParams.get('grant_type') !== 'ig_refresh_token') {
    throw graphErrors.invalidParameter('Unsupported grant_type: expected ig_refresh_token');
  }
  const now = deps.clock.now();
  if (token.kind !== 'long')
    throw graphErrors.invalidParameter('Only a long-lived token can be refreshed');
  if (now - token.issuedAt < DAY_MS) {
    throw graphErrors.invalidParameter(
      'The access token must be at least 24 hours old to be refreshed',
    );
  }
  if (!token.scopes.includes('instagram_business_basic')) throw graphErrors.missingPermission();
  token.issuedAt = now;
  token.expiresAt = now + LONG_TOKEN_MS;
  return {
    access_token: token.token,
    token_type: 'bearer',
    expires_in: Math.floor(LONG_TOKEN_MS / 1000),
  };
}

function subscribedApps(
  deps: GraphDeps,
  method: string,
  account: Account,
  token: TokenRecord,
  url: URL,
  body: Record<string, unknown>,
): unknown {
  if (method === 'GET') {
    if (account.subscribedFields.length === 0) return { data: [] };
    return {
      data: [
        {
          id: deps.world.app.appId,
          name: deps.world.app.name,
          subscribed_fields: account.subscribedFields,
        },
      ],
    };
  }
  if (method === 'DELETE') {
    account.subscribedFields = [];
    return { success: true };
  }
  if (method !== 'POST') throw graphErrors.objectNotFound(account.igUserId, method.toLowerCase());
  const raw =
    url.searchParams.get('subscribed_fields') ??
    (typeof body.subscribed_fields === 'string' ? body.subscribed_fields : '');
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length === 0)
    throw graphErrors.invalidParameter('param subscribed_fields must be non-empty.');
  const unknown = fields.filter((f) => !(WEBHOOK_FIELDS as readonly string[]).includes(f));
  if (unknown.length) {
    throw graphErrors.invalidParameter(
      `Param subscribed_fields must be one of {${WEBHOOK_FIELDS.join(', ')}} - got "${unknown.join(', ')}"`,
    );
  }
  // Comment fields need the comments permission (docs/platform.md#webhook-fields).
  const isCommentField = (f: string) => f === 'comments' || f === 'live_comments';
  if (fields.some(isCommentField) && !token.scopes.includes('instagram_business_manage_comments'))
    throw graphErrors.missingPermission();
  account.subscribedFields = fields;
  return { success: true };
}

function conversations(
  deps: GraphDeps,
  account: Account,
  url: URL,
  fields: FieldRequest[] | null,
): unknown {
  if (url.searchParams.get('platform') !== 'instagram') {
    throw graphErrors.invalidParameter('The parameter platform is required and must be instagram');
  }
  let threads = deps.world.conversations(account.igUserId);
  const userId = url.searchParams.get('user_id');
  if (userId !== null) threads = threads.filter((t) => t.igsid === userId);
  const wanted = fields ?? [{ name: 'id' }, { name: 'updated_time' }];
  const page = paginate(
    threads.map((t) => t.id),
    url,
  );
  return {
    data: page.ids.map((id) =>
      conversationNode(
        deps,
        account,
        threads.find((t) => t.id === id)!,
        wanted,
      ),
    ),
    paging: page.paging,
  };
}

function conversationNode(
  deps: GraphDeps,
  account: Account,
  thread: { id: string; igsid: string; updatedAt: number },
  fields: FieldRequest[],
): Record<string, unknown> {
  const customer = deps.world.customers.get(thread.igsid);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!CONVERSATION_FIELDS.has(field.name)) throw nonexistentField(field.name, 'Conversation');
    if (field.name === 'id') out.id = thread.id;
    if (field.name === 'updated_time') out.updated_time = graphTime(thread.updatedAt);
    if (field.name === 'participants') {
      out.participants = {
        data: [
          { username: customer?.username, id: thread.igsid },
          { username: account.username, id: account.igUserId },
        ],
      };
    }
    if (field.name === 'messages') {
      const idsOnly = deps.world.app.messageExpansion === 'ids-only';
      out.messages = messagesEdge(
        deps,
        account.igUserId,
        thread.igsid,
        undefined,
        idsOnly
          ? field.fields?.filter((f) => f.name === 'id' || f.name === 'created_time')
          : field.fields,
        field.limit,
      );
    }
  }
  if (!out.id) out.id = thread.id;
  return out;
}

/**
 * Message ids of a thread, newest first; only the 20 newest carry details
 * (docs/platform.md#conversation-messages).
 */
function messagesEdge(
  deps: GraphDeps,
  accountId: string,
  igsid: string,
  url: URL | undefined,
  fields: FieldRequest[] | undefined,
  limit?: number,
): unknown {
  const thread = deps.world.thread(accountId, igsid);
  const page = paginate(
    thread.map((m) => m.mid),
    url,
    limit,
  );
  const wanted = fields ?? [{ name: 'id' }, { name: 'created_time' }];
  return {
    data: page.ids.map((mid) => messageNode(deps, deps.world.message(mid)!, wanted, false)),
    paging: page.paging,
  };
}

function messageNode(
  deps: GraphDeps,
  message: StoredMessage,
  fields: FieldRequest[],
  strict: boolean,
): Record<string, unknown> {
  const readable = deps.world.isReadableInDetail(message) && !message.isDeleted;
  if (!readable && strict) throw graphErrors.messageNotReadable();
  const account = deps.world.accounts.get(message.accountId)!;
  const customer = deps.world.customers.get(message.igsid);
  const business = { username: account.username, id: account.igUserId };
  const person = { username: customer?.username, id: message.igsid };
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!MESSAGE_FIELDS.has(field.name)) throw nonexistentField(field.name, 'Message');
    // Older messages are listed by id only: their details are gone for good
    // (docs/platform.md#conversation-messages).
    if (!readable && field.name !== 'id' && field.name !== 'created_time') continue;
    switch (field.name) {
      case 'id':
        out.id = message.mid;
        break;
      case 'created_time':
        out.created_time = graphTime(message.createdAt);
        break;
      case 'from':
        out.from = message.direction === 'in' ? person : business;
        break;
      case 'to':
        out.to = { data: [message.direction === 'in' ? business : person] };
        break;
      case 'message':
        out.message = message.text ?? '';
        break;
      case 'attachments': {
        const media = message.attachments.filter(
          (a) =>
            a.url && !['share', 'ig_post', 'ig_reel', 'reel', 'story_mention'].includes(a.type),
        );
        if (media.length)
          out.attachments = { data: media.map((a, i) => attachmentNode(message.mid, i, a)) };
        break;
      }
      case 'shares': {
        const shares = message.attachments.filter((a) =>
          ['share', 'ig_post', 'ig_reel', 'reel'].includes(a.type),
        );
        if (shares.length)
          out.shares = { data: shares.map((a) => ({ link: a.url, name: a.title, id: a.mediaId })) };
        break;
      }
      case 'story':
        if (message.story)
          out.story = { [message.story.kind]: { link: message.story.link, id: message.story.id } };
        break;
      case 'reactions':
        if (message.reactions.length) {
          out.reactions = {
            data: message.reactions.map((r) => ({
              reaction: r.emoji,
              users: [
                {
                  id: r.userId,
                  username: r.userId === account.igUserId ? account.username : customer?.username,
                },
              ],
            })),
          };
        }
        break;
      case 'reply_to':
        if (message.replyToMid)
          out.reply_to = {
            mid: message.replyToMid,
            is_self_reply: deps.world.message(message.replyToMid)?.direction === message.direction,
          };
        break;
      case 'is_unsupported':
        if (message.isUnsupported) out.is_unsupported = true;
        break;
    }
  }
  return out;
}

/**
 * The size of a picture the emulator's CDN draws (its asset id is in the URL); one a test put
 * elsewhere is reported as the 64 px square the emulator always claimed for it.
 */
function pictureSize(url: string | undefined): { width: number; height: number } {
  const assetId =
    url !== undefined && URL.canParse(url) ? new URL(url).searchParams.get('asset_id') : null;
  return assetId === null ? { width: 64, height: 64 } : samplePictureSize(assetId);
}

function attachmentNode(
  mid: string,
  index: number,
  attachment: StoredMessage['attachments'][number],
): Record<string, unknown> {
  const id = `${mid}.${index}`;
  const mime = attachment.mimeType;
  if (attachment.type === 'image') {
    return {
      id,
      mime_type: mime ?? 'image/jpeg',
      image_data: {
        url: attachment.url,
        preview_url: attachment.url,
        ...pictureSize(attachment.url),
      },
    };
  }
  if (attachment.type === 'video') {
    return {
      id,
      mime_type: mime ?? 'video/mp4',
      video_data: { url: attachment.url, preview_url: attachment.url, width: 64, height: 64 },
    };
  }
  return {
    id,
    mime_type: mime,
    size: attachment.size,
    name: attachment.title,
    file_url: attachment.url,
  };
}

function readNode(
  deps: GraphDeps,
  node: string,
  token: TokenRecord,
  fields: FieldRequest[] | null,
): unknown {
  const { world } = deps;
  const own = world.accounts.get(token.accountId)!;
  if (node === 'me' || node === own.igUserId)
    return accountFields(own, node === 'me' ? own.appScopedId : own.igUserId, fields);
  const customer = world.customers.get(node);
  if (customer && customer.accountId === own.igUserId) return profile(customer, fields);
  const post = world.posts.get(node);
  if (post && post.accountId === own.igUserId) return mediaNode(world, own, post, fields);
  const conversation = world.conversationById(node);
  if (conversation && conversation.accountId === own.igUserId) {
    const thread = world.conversations(own.igUserId).find((t) => t.id === node)!;
    return conversationNode(
      deps,
      own,
      thread,
      fields ?? [{ name: 'id' }, { name: 'updated_time' }],
    );
  }
  const message = world.message(node);
  if (message && message.accountId === own.igUserId) {
    return messageNode(deps, message, fields ?? [{ name: 'id' }, { name: 'created_time' }], true);
  }
  throw graphErrors.objectNotFound(node, 'get');
}

/**
 * `/me` answers with the app-scoped `id`, distinct from `user_id` = IG_ID (docs/platform.md#ids).
 */
function accountFields(account: Account, id: string, fields: FieldRequest[] | null): unknown {
  const values: Record<string, unknown> = {
    user_id: account.igUserId,
    username: account.username,
    name: account.name,
    account_type: account.accountType,
    profile_picture_url: account.profilePictureUrl,
    followers_count: 1280,
    media_count: 42,
  };
  const out: Record<string, unknown> = {};
  for (const field of fields ?? [{ name: 'id' }]) {
    if (!ACCOUNT_FIELDS.has(field.name)) throw nonexistentField(field.name, 'User');
    if (field.name !== 'id') out[field.name] = values[field.name];
  }
  out.id = id;
  return out;
}

/**
 * An IG Media node (docs/platform.md#media-node): only the owner's token reads it (anyone else's
 * gets 100/33, above). A reel is a VIDEO whose picture is `thumbnail_url`.
 */
function mediaNode(
  world: World,
  account: Account,
  post: Post,
  fields: FieldRequest[] | null,
): unknown {
  const isVideo = post.productType === 'REELS';
  const shortcode = `C${post.id.slice(-10)}`;
  const values: Record<string, unknown> = {
    media_type: isVideo ? 'VIDEO' : 'IMAGE',
    media_product_type: post.productType,
    caption: post.caption ?? undefined,
    permalink: `https://www.instagram.com/${isVideo ? 'reel' : 'p'}/${shortcode}/`,
    media_url: world.postMediaUrl(post, isVideo ? 'video' : 'image'),
    thumbnail_url: isVideo ? world.postMediaUrl(post, 'image') : undefined,
    timestamp: graphTime(post.createdAt),
    username: account.username,
    shortcode,
    comments_count: [...world.comments.values()].filter((c) => c.mediaId === post.id).length,
    like_count: 0,
  };
  const out: Record<string, unknown> = {};
  for (const field of fields ?? [{ name: 'id' }]) {
    if (!MEDIA_FIELDS.has(field.name)) throw nonexistentField(field.name, 'Media');
    // Graph leaves out what a node does not have (no caption, no thumbnail on a photo).
    if (field.name !== 'id' && values[field.name] !== undefined)
      out[field.name] = values[field.name];
  }
  out.id = post.id;
  return out;
}

/**
 * The User Profile API needs the person's consent: a message or icebreaker tap
 * (docs/platform.md#user-profile).
 */
function profile(customer: Customer, fields: FieldRequest[] | null): unknown {
  if (!customer.hasConsented) throw graphErrors.consentRequired();
  const values: Record<string, unknown> = {
    name: customer.name,
    username: customer.username,
    profile_pic: customer.profilePic,
    follower_count: 87,
    is_user_follow_business: false,
    is_business_follow_user: false,
    is_verified_user: false,
  };
  const out: Record<string, unknown> = {};
  for (const field of fields ?? [{ name: 'id' }]) {
    if (!PROFILE_FIELDS.has(field.name)) throw nonexistentField(field.name, 'User');
    if (field.name !== 'id') out[field.name] = values[field.name];
  }
  out.id = customer.igsid;
  return out;
}

function nonexistentField(name: string, nodeType: string): GraphError {
  return new GraphError(
    400,
    100,
    `(#100) Tried accessing nonexisting field (${name}) on node type (${nodeType})`,
    {
      type: 'OAuthException',
    },
  );
}

/**
 * Cursor paging (docs/platform.md#conversations-api): opaque `after`/`before` cursors, `next`
 * present only when more follow. Like Graph, `next` repeats the query string, so a token passed as
 * `access_token=` leaks into it.
 */
function paginate(
  ids: string[],
  url: URL | undefined,
  limitOverride?: number,
): { ids: string[]; paging: Record<string, unknown> } {
  const limit = Math.min(
    Math.max(
      Number(url?.searchParams.get('limit') ?? limitOverride ?? DEFAULT_PAGE) || DEFAULT_PAGE,
      1,
    ),
    100,
  );
  const after = url?.searchParams.get('after');
  const before = url?.searchParams.get('before');
  let start = 0;
  if (after) start = ids.indexOf(decodeCursor(after)) + 1;
  let end = start + limit;
  if (before) {
    end = Math.max(ids.indexOf(decodeCursor(before)), 0);
    start = Math.max(end - limit, 0);
  }
  const slice = ids.slice(start, end);
  const paging: Record<string, unknown> = {};
  if (slice.length)
    paging.cursors = { before: encodeCursor(slice[0]!), after: encodeCursor(slice.at(-1)!) };
  if (url && end < ids.length && slice.length) {
    const next = new URL(url);
    next.searchParams.delete('before');
    next.searchParams.set('after', encodeCursor(slice.at(-1)!));
    paging.next = next.toString();
  }
  if (url && start > 0 && slice.length) {
    const previous = new URL(url);
    previous.searchParams.delete('after');
    previous.searchParams.set('before', encodeCursor(slice[0]!));
    paging.previous = previous.toString();
  }
  return { ids: slice, paging };
}

function encodeCursor(id: string): string {
  return Buffer.from(`cursor:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .replace(/^cursor:/, '');
}
