import { EXPIRED_ASSET_PREFIX } from './cdn';
import { conversationIdFor, newAccessToken, newAppScopedId, newIgUserId, newIgsid } from './ids';

/** Everything the emulated Instagram knows. Routes read and change it; nothing else does. */

export const ALL_SCOPES = [
  'instagram_business_basic',
  'instagram_business_manage_messages',
  'instagram_business_manage_comments',
] as const;

/** Webhook fields of an Instagram-Login app (docs/platform.md#webhook-fields). */
export const WEBHOOK_FIELDS = [
  'comments',
  'live_comments',
  'message_edit',
  'message_reactions',
  'messages',
  'messaging_handover',
  'messaging_optins',
  'messaging_postbacks',
  'messaging_referral',
  'messaging_seen',
  'standby',
] as const;

export const DEFAULT_CALL_BUDGET = 4800;
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
export const SHORT_TOKEN_MS = HOUR_MS;
export const LONG_TOKEN_MS = 60 * DAY_MS;

export type AppConfig = {
  appId: string;
  appSecret: string;
  name: string;
  redirectUris: string[];
  /**
   * The token exchange has two response shapes in the wild (docs/platform.md#token-exchange); tests
   * pick one.
   */
  tokenResponseShape: 'flat' | 'wrapped';
  /** HUMAN_AGENT needs App Review (docs/platform.md#reply-windows). */
  humanAgentEnabled: boolean;
  /** 2534022 today, 2018278 in older traffic (docs/platform.md#reply-windows). */
  windowSubcode: number;
  /**
   * Kinder than Meta: new accounts start subscribed to every field instead of to nothing. Only for
   * tests that exercise the emulator alone, with no Inlet to call `subscribed_apps`.
   */
  subscribeEveryone: boolean;
  /**
   * New Meta apps start in Development mode (docs/platform.md#app-modes): only accounts with a role
   * on the app may call Graph.
   */
  mode: 'development' | 'live';
  /**
   * The dashboard says an app must be published to receive webhooks (docs/platform.md#app-modes):
   * a new app is not, and an unpublished app is sent nothing at all.
   */
  published: boolean;
  /**
   * Meta unsubscribes an account whose deliveries kept failing (docs/platform.md#delivery): an hour
   * in the strict reading of its documents.
   */
  dropSubscriptionAfterMs: number;
  /**
   * What `fields=messages{…}` on a conversation returns: the bodies integrators observe, or the ids
   * and times Meta's page describes (docs/platform.md#conversation-messages, a conflict). Readers
   * must cope with both.
   */
  messageExpansion: 'bodies' | 'ids-only';
  /**
   * Graph calls per account per rolling 24 hours before Business-Use-Case throttling
   * (docs/platform.md#rate-limits): 4800, Meta's figure for an account with one impression.
   */
  callBudget: number;
};

export type Account = {
  igUserId: string;
  /**
   * `/me` `id` and token-exchange `user_id`: a different namespace from `igUserId`
   * (docs/platform.md#ids).
   */
  appScopedId: string;
  username: string;
  name: string;
  accountType: 'BUSINESS' | 'MEDIA_CREATOR';
  profilePictureUrl: string;
  /**
   * Admin, developer or accepted Instagram Tester of the app. Without a role, an app in Development
   * mode answers every Graph call with 100 "Unsupported request" (docs/platform.md#app-modes).
   */
  hasRole: boolean;
  /**
   * Per-account install (`/{IG_ID}/subscribed_apps`, docs/platform.md#subscriptions): nothing is
   * delivered without it.
   */
  subscribedFields: string[];
};

export type TokenRecord = {
  token: string;
  accountId: string;
  kind: 'short' | 'long';
  issuedAt: number;
  expiresAt: number;
  scopes: string[];
};

export type Customer = {
  igsid: string;
  accountId: string;
  username: string;
  name: string | null;
  profilePic: string | null;
  /**
   * Start of the 24-hour window (docs/platform.md#reply-windows): the customer's latest message.
   */
  lastInboundAt: number | null;
  /**
   * Messaged or tapped an icebreaker: the profile becomes readable (docs/platform.md#user-profile).
   */
  hasConsented: boolean;
  /** False models a block or deactivation: sends fail with 551 (docs/platform.md#error-codes). */
  isAvailable: boolean;
  /**
   * An Instagram Tester (or other role) of the app: in Development mode Meta delivers only these
   * people's events and silently drops the rest (docs/platform.md#app-modes).
   */
  hasRole: boolean;
};

export type StoredAttachment = {
  type: string;
  url?: string;
  title?: string;
  mediaId?: string;
  mimeType?: string;
  size?: number;
};

export type StoredMessage = {
  mid: string;
  accountId: string;
  igsid: string;
  direction: 'in' | 'out';
  createdAt: number;
  text?: string;
  attachments: StoredAttachment[];
  replyToMid?: string;
  story?: { kind: 'mention' | 'reply_to'; link: string; id: string };
  isUnsupported?: boolean;
  isDeleted?: boolean;
  reactions: { userId: string; reaction: string; emoji: string }[];
};

/** One of an account's posts or reels: what comments are on (docs/platform.md#media-node). */
export type Post = {
  id: string;
  accountId: string;
  /** FEED posts are photos here; REELS are videos (a picture as `thumbnail_url`). */
  productType: string;
  caption: string | null;
  createdAt: number;
};

export type Comment = {
  id: string;
  accountId: string;
  fromId: string;
  fromUsername: string;
  mediaId: string;
  mediaProductType: string;
  text: string;
  parentId?: string;
  createdAt: number;
  hasPrivateReply: boolean;
};

export type AuthorizationCode = {
  code: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  issuedAt: number;
  isUsed: boolean;
};

export class World {
  readonly accounts = new Map<string, Account>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly customers = new Map<string, Customer>();
  readonly comments = new Map<string, Comment>();
  readonly posts = new Map<string, Post>();
  readonly codes = new Map<string, AuthorizationCode>();
  /** Per conversation, oldest first. */
  private readonly threads = new Map<string, StoredMessage[]>();
  private readonly messagesByMid = new Map<string, StoredMessage>();

  /**
   * Origin of the emulator's stand-in CDN, set once the server listens: profile pictures point
   * there so that sandbox mode never makes the UI load anything from Meta.
   */
  cdnOrigin = 'https://scontent.cdninstagram.com';

  constructor(readonly app: AppConfig) {}

  private pictureUrl(id: string, picture: 'sample' | 'expired' = 'sample'): string {
    const asset = picture === 'expired' ? `${EXPIRED_ASSET_PREFIX}profile-${id}` : `profile-${id}`;
    return `${this.cdnOrigin}/cdn/ig_messaging_cdn/?asset_id=${asset}&type=image`;
  }

  createAccount(input: {
    username: string;
    name?: string;
    igUserId?: string;
    hasRole?: boolean;
  }): Account {
    const igUserId = input.igUserId ?? newIgUserId();
    if (this.accounts.has(igUserId)) throw new Error(`account ${igUserId} already exists`);
    const account: Account = {
      igUserId,
      appScopedId: newAppScopedId(),
      username: input.username,
      name: input.name ?? input.username,
      accountType: 'BUSINESS',
      profilePictureUrl: this.pictureUrl(igUserId),
      hasRole: input.hasRole ?? true,
      // Meta delivers nothing until `POST /{IG_ID}/subscribed_apps` (docs/platform.md#subscriptions).
      subscribedFields: this.app.subscribeEveryone ? [...WEBHOOK_FIELDS] : [],
    };
    this.accounts.set(igUserId, account);
    return account;
  }

  issueToken(
    accountId: string,
    kind: TokenRecord['kind'],
    now: number,
    scopes: string[],
  ): TokenRecord {
    const record: TokenRecord = {
      token: newAccessToken(),
      accountId,
      kind,
      issuedAt: now,
      expiresAt: now + (kind === 'short' ? SHORT_TOKEN_MS : LONG_TOKEN_MS),
      scopes,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /**
   * The post a comment is on: a known one as it is (a later caption does not rewrite it), an
   * unknown id becomes a post of the account, since comments only arrive on the business's media.
   */
  post(input: Omit<Post, 'caption'> & { caption?: string | undefined }): Post {
    const known = this.posts.get(input.id);
    if (known) return known;
    const post = { ...input, caption: input.caption ?? null };
    this.posts.set(post.id, post);
    return post;
  }

  /** Where the stand-in CDN serves a post's picture (or, for a reel, its video). */
  postMediaUrl(post: Post, type: 'image' | 'video'): string {
    return `${this.cdnOrigin}/cdn/ig_messaging_cdn/?asset_id=post-${post.id}&type=${type}`;
  }

  createCustomer(input: {
    accountId: string;
    username: string;
    name?: string;
    igsid?: string;
    hasRole?: boolean;
    picture?: 'sample' | 'none' | 'expired';
  }): Customer {
    if (!this.accounts.has(input.accountId)) throw new Error(`unknown account ${input.accountId}`);
    const igsid = input.igsid ?? newIgsid();
    const existing = this.customers.get(igsid);
    if (existing) {
      if (existing.accountId !== input.accountId)
        throw new Error(`igsid ${igsid} belongs to another account`);
      return existing;
    }
    const customer: Customer = {
      igsid,
      accountId: input.accountId,
      username: input.username,
      name: input.name ?? null,
      profilePic: input.picture === 'none' ? null : this.pictureUrl(igsid, input.picture),
      lastInboundAt: null,
      hasConsented: false,
      isAvailable: true,
      hasRole: input.hasRole ?? false,
    };
    this.customers.set(igsid, customer);
    return customer;
  }

  addMessage(message: StoredMessage): StoredMessage {
    if (this.messagesByMid.has(message.mid)) return this.messagesByMid.get(message.mid)!;
    const key = conversationIdFor(message.accountId, message.igsid);
    const thread = this.threads.get(key) ?? [];
    thread.push(message);
    thread.sort((a, b) => a.createdAt - b.createdAt);
    this.threads.set(key, thread);
    this.messagesByMid.set(message.mid, message);
    return message;
  }

  message(mid: string): StoredMessage | undefined {
    return this.messagesByMid.get(mid);
  }

  /** Newest first, as the Conversations API lists them (docs/platform.md#conversation-messages). */
  thread(accountId: string, igsid: string): StoredMessage[] {
    return [...(this.threads.get(conversationIdFor(accountId, igsid)) ?? [])].reverse();
  }

  /**
   * Conversations of an account, most recently updated first (docs/platform.md#conversations-api).
   */
  conversations(accountId: string): { id: string; igsid: string; updatedAt: number }[] {
    const out: { id: string; igsid: string; updatedAt: number }[] = [];
    for (const [id, thread] of this.threads) {
      const last = thread.at(-1);
      if (!last || last.accountId !== accountId) continue;
      out.push({ id, igsid: last.igsid, updatedAt: last.createdAt });
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
  }

  conversationById(id: string): { accountId: string; igsid: string } | undefined {
    const first = this.threads.get(id)?.[0];
    return first ? { accountId: first.accountId, igsid: first.igsid } : undefined;
  }

  /**
   * Only the 20 newest messages of a thread can be read in detail
   * (docs/platform.md#conversation-messages).
   */
  isReadableInDetail(message: StoredMessage): boolean {
    return this.thread(message.accountId, message.igsid)
      .slice(0, 20)
      .some((m) => m.mid === message.mid);
  }
}
