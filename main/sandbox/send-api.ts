import { createHash } from 'node:crypto';
import type { Fetch } from '../core/ports';
import type { EmulatorClock } from './emulator-clock';
import type { Faults, SendFailure } from './faults';
import { GraphError, graphErrors } from './graph-errors';
import { newMid } from './ids';
import {
  DAY_MS,
  type StoredAttachment,
  type StoredMessage,
  type TokenRecord,
  type World,
} from './world';

/** One request Inlet made to the Send API, kept for `GET /_emulator/sent`. */
export type SentRequest = {
  id: string;
  at: number;
  accountId: string;
  path: string;
  body: Record<string, unknown>;
  response: { status: number | null; body: unknown };
  /** The mid of the message this request created, even when no answer went back (timeouts). */
  storedMid: string | null;
  /** Media the emulator downloaded for an attachment send (docs/platform.md#text-limits). */
  fetched?: {
    url: string;
    status: number | null;
    contentType: string | null;
    size: number | null;
    /** SHA-256 (hex) of the bytes that arrived, so tests can tell the right file arrived. */
    sha256?: string | null;
  }[];
};

export type SendOutcome = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Stored outgoing message whose echo is delivered after the answer
   * (docs/platform.md#messages-field).
   */
  echo?: StoredMessage;
  /** Accept the send but cut the connection without answering (fault `timeoutSends`). */
  cutConnection?: boolean;
};

// Meta's limits, stated apart from shared/domain on purpose: the emulator plays Meta, so it must
// catch Inlet getting one wrong instead of agreeing with it.
const TEXT_LIMIT_BYTES = 1000; // bytes of UTF-8, not characters (docs/platform.md#text-limits)
const QUICK_REPLY_LIMIT = 13; // docs/platform.md#quick-replies
const MEDIA_LIMITS: Record<string, { prefix: string[]; maxBytes: number }> = {
  // Formats and sizes from docs/platform.md#text-limits; a mismatch is 100/2018047.
  image: { prefix: ['image/'], maxBytes: 8 * 1024 * 1024 },
  video: { prefix: ['video/'], maxBytes: 25 * 1024 * 1024 },
  audio: { prefix: ['audio/', 'video/mp4'], maxBytes: 25 * 1024 * 1024 },
  file: { prefix: ['application/pdf'], maxBytes: 25 * 1024 * 1024 },
};
const TYPING_ACTIONS = new Set(['typing_on', 'typing_off', 'mark_seen']);
const PRIVATE_REPLY_WINDOW_MS = 7 * DAY_MS; // docs/platform.md#private-replies
const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS; // docs/platform.md#reply-windows
const STANDARD_WINDOW_MS = DAY_MS; // docs/platform.md#reply-windows

/**
 * typing_on, typing_off and mark_seen: presence, not content. Inlet sends them as the owner types
 * and reads, so they are logged apart from `sent` and injected faults never land on them (tests
 * that fault "the next send" mean a message).
 */
function isPresence(body: Record<string, unknown>): boolean {
  return typeof body.sender_action === 'string' && TYPING_ACTIONS.has(body.sender_action);
}

export class SendApi {
  readonly sent: SentRequest[] = [];
  /** Presence requests (`isPresence`), in order. */
  readonly presence: SentRequest[] = [];

  constructor(
    private readonly deps: { world: World; clock: EmulatorClock; faults: Faults; fetch: Fetch },
  ) {}

  async handle(input: {
    path: string;
    node: string;
    body: Record<string, unknown>;
    authenticate: () => TokenRecord;
  }): Promise<SendOutcome> {
    const presence = isPresence(input.body);
    const log = presence ? this.presence : this.sent;
    const entry: SentRequest = {
      id: `${presence ? 'p' : 's'}${log.length + 1}`,
      at: this.deps.clock.now(),
      accountId: input.node,
      path: input.path,
      body: withoutToken(input.body),
      response: { status: null, body: null },
      storedMid: null,
    };
    log.push(entry);
    if (!presence && this.deps.faults.takeLostSend())
      return { status: 200, body: null, cutConnection: true };
    let outcome: SendOutcome;
    try {
      outcome = await this.process(input, entry);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      outcome = { status: error.status, body: error.body(), headers: error.details.headers };
    }
    entry.storedMid = outcome.echo?.mid ?? null;
    entry.response = {
      status: outcome.cutConnection ? null : outcome.status,
      body: outcome.cutConnection ? null : outcome.body,
    };
    return outcome;
  }

  private async process(
    input: { node: string; body: Record<string, unknown>; authenticate: () => TokenRecord },
    entry: SentRequest,
  ): Promise<SendOutcome> {
    const { world, clock, faults } = this.deps;
    const token = input.authenticate();
    const accountId = input.node === 'me' ? token.accountId : input.node;
    entry.accountId = accountId;
    if (accountId !== token.accountId) throw graphErrors.objectNotFound(input.node, 'post');
    if (!token.scopes.includes('instagram_business_manage_messages'))
      throw graphErrors.missingPermission();
    const injected = isPresence(input.body) ? null : faults.takeSendFailure();
    if (injected) throw injectedError(injected, accountId);

    const body = input.body;
    const recipient = asRecord(body.recipient);
    if (
      !recipient ||
      (typeof recipient.id !== 'string' && typeof recipient.comment_id !== 'string')
    ) {
      throw graphErrors.invalidParameter('param recipient must be non-empty.');
    }
    if (typeof recipient.comment_id === 'string')
      return this.privateReply(accountId, recipient.comment_id, body, entry);

    if (String(recipient.id) === accountId) return this.selfMessage(accountId, body, entry);
    const customer = world.customers.get(String(recipient.id));
    if (!customer || customer.accountId !== accountId) throw graphErrors.noMatchingUser();
    if (!customer.isAvailable) throw graphErrors.userUnavailable();

    if (body.sender_action !== undefined) return this.senderAction(accountId, customer.igsid, body);

    const window = this.windowFor(body);
    const now = clock.now();
    if (customer.lastInboundAt === null || now - customer.lastInboundAt > window) {
      throw graphErrors.outsideWindow(world.app.windowSubcode);
    }
    const content = await this.content(body, entry);
    if (faults.takeTimeout()) {
      const message = this.store(accountId, customer.igsid, content);
      return { status: 200, body: null, echo: message, cutConnection: true };
    }
    const message = this.store(accountId, customer.igsid, content);
    return {
      status: 200,
      body: { recipient_id: customer.igsid, message_id: message.mid },
      echo: message,
    };
  }

  /**
   * HUMAN_AGENT extends the window to 7 days, but only for approved apps
   * (docs/platform.md#reply-windows).
   */
  private windowFor(body: Record<string, unknown>): number {
    if (body.tag === undefined) return STANDARD_WINDOW_MS;
    if (body.tag !== 'HUMAN_AGENT') {
      throw graphErrors.invalidParameter(
        'Param tag must be one of {HUMAN_AGENT} for Instagram messaging',
      );
    }
    if (!this.deps.world.app.humanAgentEnabled) throw graphErrors.humanAgentNotApproved();
    return HUMAN_AGENT_WINDOW_MS;
  }

  private senderAction(
    accountId: string,
    igsid: string,
    body: Record<string, unknown>,
  ): SendOutcome {
    const action = body.sender_action;
    if (typeof action === 'string' && TYPING_ACTIONS.has(action)) {
      // Only recipient + sender_action may be in the body (docs/platform.md#sender-actions).
      const extra = Object.keys(body).filter(
        (k) => !['recipient', 'sender_action', 'access_token'].includes(k),
      );
      if (extra.length)
        throw graphErrors.invalidParameter(`sender_action cannot be sent with ${extra.join(', ')}`);
      return { status: 200, body: { recipient_id: igsid } };
    }
    if (action !== 'react' && action !== 'unreact') {
      throw graphErrors.invalidParameter(`Invalid sender_action: ${String(action)}`);
    }
    const payload = asRecord(body.payload);
    const target =
      typeof payload?.message_id === 'string'
        ? this.deps.world.message(payload.message_id)
        : undefined;
    if (!target || target.accountId !== accountId || target.igsid !== igsid) {
      throw graphErrors.invalidParameter(
        'param payload[message_id] must be a message of this conversation',
      );
    }
    target.reactions = target.reactions.filter((r) => r.userId !== accountId);
    if (action === 'react') {
      if (typeof payload?.reaction !== 'string' || payload.reaction === '') {
        throw graphErrors.invalidParameter('param payload[reaction] is required to react');
      }
      target.reactions.push({
        userId: accountId,
        reaction: payload.reaction,
        emoji: payload.reaction === 'love' ? '❤️' : payload.reaction,
      });
    }
    // The business's own reactions produce no webhook (docs/platform.md#reactions-sent).
    return { status: 200, body: { recipient_id: igsid } };
  }

  /**
   * One private reply per comment, within 7 days (docs/platform.md#private-replies); a second one
   * fails with 2534025.
   */
  private async privateReply(
    accountId: string,
    commentId: string,
    body: Record<string, unknown>,
    entry: SentRequest,
  ): Promise<SendOutcome> {
    const comment = this.deps.world.comments.get(commentId);
    if (!comment || comment.accountId !== accountId)
      throw graphErrors.objectNotFound(commentId, 'post');
    if (
      comment.hasPrivateReply ||
      this.deps.clock.now() - comment.createdAt > PRIVATE_REPLY_WINDOW_MS
    ) {
      throw graphErrors.privateReplyNotAllowed();
    }
    const content = await this.content(body, entry);
    comment.hasPrivateReply = true;
    const message = this.store(accountId, comment.fromId, content);
    return {
      status: 200,
      body: { recipient_id: comment.fromId, message_id: message.mid },
      echo: message,
    };
  }

  private async content(
    body: Record<string, unknown>,
    entry: SentRequest,
  ): Promise<Pick<StoredMessage, 'text' | 'attachments' | 'replyToMid'>> {
    const message = asRecord(body.message);
    if (!message) throw graphErrors.invalidParameter('param message must be non-empty.');
    // A quote goes beside `message` (docs/platform.md#reply-to); Meta may drop the nested shape
    // silently, so the emulator refuses it rather than confirm it.
    if (message.reply_to !== undefined)
      throw graphErrors.invalidParameter(
        'param message[reply_to] is not supported; send reply_to beside message',
      );
    const hasText = message.text !== undefined;
    const hasMedia = message.attachment !== undefined || message.attachments !== undefined;
    if (hasText === hasMedia)
      throw graphErrors.invalidParameter(
        'Message must contain either text or attachment, not both',
      );
    if (hasText) {
      if (typeof message.text !== 'string' || message.text.trim() === '') {
        throw graphErrors.invalidParameter('param message[text] must be non-empty.');
      }
      if (Buffer.byteLength(message.text, 'utf8') > TEXT_LIMIT_BYTES) {
        throw graphErrors.invalidParameter(
          `Length of param message[text] must be less than or equal to ${TEXT_LIMIT_BYTES}`,
        );
      }
      validateQuickReplies(message.quick_replies);
      return { text: message.text, attachments: [], ...this.replyTo(body.reply_to) };
    }
    const list = message.attachments !== undefined ? message.attachments : [message.attachment];
    if (!Array.isArray(list) || list.length === 0 || list.length > 10) {
      throw graphErrors.invalidParameter(
        'param message[attachments] must hold 1 to 10 attachments',
      );
    }
    const attachments: StoredAttachment[] = [];
    for (const raw of list) {
      const attachment = asRecord(raw);
      if (!attachment || typeof attachment.type !== 'string')
        throw graphErrors.invalidParameter('param message[attachment][type] is required');
      if (message.attachments !== undefined && attachment.type !== 'image') {
        // Several attachments in one call: images only (docs/platform.md#text-limits).
        throw graphErrors.invalidParameter('Only images can be sent as multiple attachments');
      }
      attachments.push(await this.attachment(attachment.type, asRecord(attachment.payload), entry));
    }
    return { attachments };
  }

  /**
   * An inline reply (top-level `reply_to`, docs/platform.md#reply-to) names a message Instagram
   * knows.
   */
  private replyTo(value: unknown): Pick<StoredMessage, 'replyToMid'> {
    if (value === undefined) return {};
    const mid = asRecord(value)?.mid;
    if (typeof mid !== 'string' || !this.deps.world.message(mid))
      throw graphErrors.invalidParameter('param reply_to[mid] must be a message id');
    return { replyToMid: mid };
  }

  private async attachment(
    type: string,
    payload: Record<string, unknown> | undefined,
    entry: SentRequest,
  ): Promise<StoredAttachment> {
    if (type === 'like_heart') return { type: 'like_heart' };
    if (type === 'MEDIA_SHARE') {
      if (typeof payload?.id !== 'string')
        throw graphErrors.invalidParameter('param payload[id] is required for MEDIA_SHARE');
      return { type: 'share', mediaId: payload.id };
    }
    if (type === 'template') {
      const elements = payload?.elements;
      if (
        payload?.template_type !== 'generic' ||
        !Array.isArray(elements) ||
        elements.length === 0 ||
        elements.length > 10
      ) {
        throw graphErrors.invalidParameter('A generic template needs 1 to 10 elements');
      }
      return { type: 'template' };
    }
    const limits = MEDIA_LIMITS[type];
    if (!limits) throw graphErrors.invalidParameter(`Invalid attachment type: ${type}`);
    if (typeof payload?.url !== 'string') {
      // attachment_id values come from the upload API, which the emulator does not offer.
      throw graphErrors.uploadFailure();
    }
    const fetched = await this.download(payload.url);
    (entry.fetched ??= []).push({ url: payload.url, ...fetched });
    const contentType = fetched.contentType ?? '';
    if (fetched.status === null || fetched.status < 200 || fetched.status >= 300)
      throw graphErrors.uploadFailure();
    if (!limits.prefix.some((prefix) => contentType.startsWith(prefix)))
      throw graphErrors.uploadFailure();
    if ((fetched.size ?? 0) > limits.maxBytes) throw graphErrors.uploadFailure();
    return {
      type,
      url: payload.url,
      mimeType: contentType.split(';')[0]!.trim(),
      size: fetched.size ?? 0,
    };
  }

  /**
   * Meta downloads the media from the URL itself (docs/platform.md#text-limits), so an unreachable
   * URL is a send failure.
   */
  private async download(url: string): Promise<{
    status: number | null;
    contentType: string | null;
    size: number | null;
    sha256: string | null;
  }> {
    try {
      const response = await this.deps.fetch(url, { signal: AbortSignal.timeout(20_000) });
      const bytes = await response.arrayBuffer();
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        size: bytes.byteLength,
        sha256: createHash('sha256').update(new Uint8Array(bytes)).digest('hex'),
      };
    } catch {
      return { status: null, contentType: null, size: null, sha256: null };
    }
  }

  /**
   * The business messaging itself, Meta's way to test a setup (docs/platform.md#self-messaging):
   * no reply window, no conversation in the inbox, and an echo marked `is_self`.
   */
  private async selfMessage(
    accountId: string,
    body: Record<string, unknown>,
    entry: SentRequest,
  ): Promise<SendOutcome> {
    if (body.sender_action !== undefined) return { status: 200, body: { recipient_id: accountId } };
    const content = await this.content(body, entry);
    const message: StoredMessage = {
      mid: newMid(accountId),
      accountId,
      igsid: accountId,
      direction: 'out',
      createdAt: this.deps.clock.now(),
      ...content,
      reactions: [],
    };
    return {
      status: 200,
      body: { recipient_id: accountId, message_id: message.mid },
      echo: message,
    };
  }

  private store(
    accountId: string,
    igsid: string,
    content: Pick<StoredMessage, 'text' | 'attachments' | 'replyToMid'>,
  ): StoredMessage {
    return this.deps.world.addMessage({
      mid: newMid(accountId),
      accountId,
      igsid,
      direction: 'out',
      createdAt: this.deps.clock.now(),
      ...content,
      reactions: [],
    });
  }
}

function validateQuickReplies(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0 || value.length > QUICK_REPLY_LIMIT) {
    throw graphErrors.invalidParameter(
      `param message[quick_replies] must hold 1 to ${QUICK_REPLY_LIMIT} items`,
    );
  }
  for (const raw of value) {
    const reply = asRecord(raw);
    const type = reply?.content_type;
    if (type !== 'text' && type !== 'user_phone_number' && type !== 'user_email') {
      throw graphErrors.invalidParameter('param message[quick_replies][content_type] is invalid');
    }
    if (
      type === 'text' &&
      (typeof reply?.title !== 'string' || typeof reply.payload !== 'string')
    ) {
      throw graphErrors.invalidParameter('a text quick reply needs a title and a payload');
    }
  }
}

/**
 * Default wording and headers per injected code, as the platform sends them
 * (docs/platform.md#usage-headers, docs/platform.md#error-codes).
 */
export function injectedError(failure: SendFailure, accountId: string): GraphError {
  const defaults: Record<number, string> = {
    1: 'An unknown error occurred',
    2: 'An unexpected error has occurred. Please retry your request later.',
    4: '(#4) Application request limit reached',
    10: '(#10) This message is sent outside of allowed window.',
    17: '(#17) User request limit reached',
    32: '(#32) Page request limit reached',
    100: '(#100) Invalid parameter',
    190: 'Invalid OAuth access token - Cannot parse access token',
    368: '(#368) The action attempted has been deemed abusive or is otherwise disallowed',
    551: "This person isn't available right now.",
    613: '(#613) Calls to this api have exceeded the rate limit.',
    80002:
      '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.',
  };
  const isRateLimit = [4, 17, 32, 613, 80002].includes(failure.code);
  const headers: Record<string, string> = isRateLimit
    ? {
        'X-App-Usage': JSON.stringify({ call_count: 100, total_time: 100, total_cputime: 100 }),
        'X-Business-Use-Case-Usage': JSON.stringify({
          [accountId]: [
            {
              type: 'instagram',
              call_count: 100,
              total_cputime: 100,
              total_time: 100,
              estimated_time_to_regain_access: failure.regainAccessMinutes ?? 5,
            },
          ],
        }),
      }
    : {};
  return new GraphError(
    failure.httpStatus ?? (failure.code === 1 || failure.code === 2 ? 500 : 400),
    failure.code,
    failure.message ?? defaults[failure.code] ?? `(#${failure.code}) Error`,
    {
      subcode: failure.subcode,
      type: failure.code === 190 ? 'OAuthException' : 'IGApiException',
      isTransient: failure.code === 2 ? true : undefined,
      headers,
    },
  );
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function withoutToken(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'access_token'));
}
