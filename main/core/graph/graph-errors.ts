import { z } from 'zod';
import { sendFailure, type FailureReason } from '../../../shared/domain/failure-reason';
import type { SendErrorKey } from '../../../shared/domain/send-errors';
import type { AppErrorCode } from '../../../shared/ipc/result';
import { AppError } from '../errors';
import { parseRetryAfterMs, parseUsageHeaders } from './usage';

/**
 * Graph failures are classified here and nowhere else (docs/platform.md#limits-and-errors):
 * by `code`/`error_subcode` and transport facts, never by message text (one documented exception:
 * the dev-mode "Unsupported request - method type" hint, docs/platform.md#app-modes, which has no
 * code of its own).
 */

export type GraphFailureKind =
  /** Nothing happened at Meta, or it is documented as safe to repeat: back off and try again. */
  | 'retryable'
  /** The token is gone or no longer allowed: the owner must connect the account again. */
  | 'reauth'
  /** Repeating the same request cannot succeed. */
  | 'permanent'
  /**
   * The request may have taken effect (docs/platform.md#idempotency): reads may repeat it, sends
   * must reconcile first.
   */
  | 'outcome-unknown';

/** A stable tag per situation, so callers never switch on codes or words. */
export type GraphFailureReason =
  | 'network-unreachable'
  | 'no-answer'
  | 'unexpected-response'
  | 'temporary'
  | 'rate-limited'
  | 'token-invalid'
  | 'login-refused'
  | 'access-revoked'
  | 'permission-missing'
  | 'app-role-missing'
  | 'human-agent-not-approved'
  | 'outside-window'
  | 'recipient-unavailable'
  | 'account-restricted'
  | 'not-found'
  | 'invalid-request'
  | 'attachment-rejected'
  | 'consent-required'
  | 'story-unavailable'
  | 'private-reply-unavailable'
  | 'unknown';

export type GraphFailure = {
  kind: GraphFailureKind;
  reason: GraphFailureReason;
  appCode: AppErrorCode;
  graphCode: number | null;
  subcode: number | null;
  fbtraceId: string | null;
  /** Plain words the owner can act on, with their `sendError` key; safe to show in the UI. */
  explanation: FailureReason;
  /**
   * Meta's hint (`Retry-After`, BUC `estimated_time_to_regain_access`); null when none was given.
   */
  retryAfterMs: number | null;
  /**
   * Cap that comes from the error itself (code 1: once, docs/platform.md#error-codes); 0 = never;
   * null = caller's policy.
   */
  maxRetries: number | null;
  /** False only when the request provably never left this machine. */
  requestSent: boolean;
};

export type GraphFailureInput = {
  httpStatus: number | null;
  /** The parsed JSON body, the raw text when it was not JSON, or null. */
  body: unknown;
  networkError?: unknown;
  requestSent: boolean;
  /** Response headers, for `Retry-After`, usage hints and `x-fb-trace-id`. */
  headers?: Headers | null;
  nowMs?: number;
  /**
   * The request carried the HUMAN_AGENT tag (docs/platform.md#reply-windows): its 403 has no code
   * to classify by.
   */
  isHumanAgentSend?: boolean;
};

/** Graph's `error_subcode`/`code` arrive as numbers, occasionally as digit strings. */
const CodeSchema = z
  .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
  .optional()
  .catch(undefined);
const TextSchema = z.string().optional().catch(undefined);

const GraphEnvelopeSchema = z.object({
  error: z.object({
    message: TextSchema,
    type: TextSchema,
    code: CodeSchema,
    error_subcode: CodeSchema,
    fbtrace_id: TextSchema,
    error_user_msg: TextSchema,
    is_transient: z.boolean().optional().catch(undefined),
  }),
});
type GraphErrorBody = z.infer<typeof GraphEnvelopeSchema>['error'];

/**
 * api.instagram.com's OAuth endpoints answer with a flat shape (docs/platform.md#token-exchange,
 * docs/platform.md#error-envelopes).
 */
const OAuthEnvelopeSchema = z.object({
  error_type: z.string(),
  code: CodeSchema,
  error_message: TextSchema,
});

/**
 * 4, 17, 32, 613 and the Business-Use-Case family (80000–80014; 80002 for Instagram,
 * docs/platform.md#error-codes).
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const isRateLimitCode = (code: number) =>
  RATE_LIMIT_CODES.has(code) || (code >= 80_000 && code <= 80_014);

const DEV_MODE_HINT = /unsupported request - method type/i;

const MESSAGES = {
  networkUnreachable:
    'Inlet could not reach Instagram. Check the internet connection; Inlet will try again.',
  noAnswer:
    'Instagram did not answer, so Inlet cannot tell whether the request went through. ' +
    'A message is never sent twice: Inlet checks the conversation before trying again.',
  unexpectedResponse:
    'Instagram sent an answer Inlet could not read, so it cannot tell whether the request went ' +
    'through. A message is never sent twice: Inlet checks the conversation before trying again.',
  invalidJsonReply:
    'Instagram reported an error, but the message may have been delivered anyway. ' +
    'Inlet checks the conversation before sending it again.',
  temporary: 'Instagram had a temporary problem. Inlet will try again shortly.',
  rateLimited:
    'Instagram is limiting how fast this account can send or read messages. ' +
    'Inlet will continue automatically when Instagram allows it.',
  tokenInvalid:
    'Instagram no longer accepts Inlet’s access to this account. Connect the account again.',
  loginRefused: 'Instagram refused the login. Connect the account again.',
  accessRevoked:
    'Access to this account’s messages was turned off (the app was removed, or “Allow access to ' +
    'messages” was switched off in Instagram). Connect the account again.',
  permissionMissing:
    'Inlet does not have the Instagram permission this needs. Connect the account again and keep ' +
    'every permission ticked; some features also need App Review for your Meta app.',
  appRoleMissing:
    'Your Meta app is in Development mode and this Instagram account has no role on it. In the Meta ' +
    'App Dashboard add the account as an Instagram Tester (and accept the invite in Instagram), ' +
    'or switch the app to Live.',
  humanAgentNotApproved:
    'Instagram refused the Human Agent tag: your Meta app must be approved for the Human Agent ' +
    'feature in App Review first.',
  outsideWindow:
    'More than 24 hours have passed since this customer last wrote. Instagram only allows replies ' +
    'within 24 hours of their latest message; you can reply again once they write.',
  outsideHumanAgentWindow:
    'More than 7 days have passed since this customer last wrote, so even a human-agent reply is no ' +
    'longer allowed. You can reply again once they write.',
  recipientNotReceiving: 'This person isn’t receiving messages from your account right now.',
  recipientUnavailable:
    'This person isn’t available right now: they may have blocked the account or deactivated theirs.',
  sendingRestricted:
    'Instagram has temporarily restricted this account from sending messages. Try again in a few hours.',
  policyBlock:
    'Instagram has temporarily blocked this action for a policy violation. Check the account in the ' +
    'Instagram app.',
  messagingBlocked:
    'Instagram has blocked this business from its messaging API. Check the account in the Instagram ' +
    'app and Meta Business Suite.',
  notFound:
    'Instagram could not find this item, or this account may not see it (it may have been deleted).',
  noSuchUser: 'Instagram does not know this customer id.',
  invalidRequest: 'Instagram rejected the request as invalid.',
  unknownPath:
    'Instagram did not recognise the request path. Check the Graph API version in Settings.',
  attachmentRejected:
    'Instagram could not use this attachment: check that the file type matches and that the link can ' +
    'be downloaded.',
  consentRequired:
    'Instagram only shares this person’s profile after they have messaged the account.',
  storyUnavailable: 'This story is no longer available.',
  privateReplyUnavailable:
    'A private reply to this comment is no longer possible: only one is allowed, within 7 days of ' +
    'the comment.',
} as const satisfies Partial<Record<SendErrorKey, string>>;

/** A fixed sentence with its key. */
function say(key: keyof typeof MESSAGES): FailureReason {
  return sendFailure(MESSAGES[key], key);
}

/** Why sends wait when the app's own usage nears Meta's limit (the outbox slows down first). */
export const RATE_LIMITED_REASON = say('rateLimited');

export function classifyGraphFailure(input: GraphFailureInput): GraphFailure {
  const headers = input.headers ?? null;
  const codes: Pick<GraphFailure, 'graphCode' | 'subcode' | 'fbtraceId'> = {
    graphCode: null,
    subcode: null,
    fbtraceId: headers?.get('x-fb-trace-id') ?? null,
  };
  const verdictFor = (): Verdict & Partial<typeof codes> => {
    if (input.networkError !== undefined || input.httpStatus === null) {
      return input.requestSent
        ? outcomeUnknown('no-answer', say('noAnswer'))
        : retryable('network-unreachable', 'GRAPH_ERROR', say('networkUnreachable'));
    }
    const graph = GraphEnvelopeSchema.safeParse(input.body);
    const error = graph.success ? graph.data.error : null;
    if (error?.code !== undefined) {
      return {
        ...classifyGraphCode(error, input),
        graphCode: error.code,
        subcode: error.error_subcode ?? null,
        fbtraceId: error.fbtrace_id ?? codes.fbtraceId,
      };
    }
    const oauth = OAuthEnvelopeSchema.safeParse(input.body);
    if (oauth.success && input.httpStatus >= 400 && input.httpStatus < 500) {
      // The code exchange failed (used or expired code, wrong secret or redirect URI): log in
      // again.
      const said = oauth.data.error_message;
      return {
        ...reauth('login-refused', withMetaWords(say('loginRefused'), said)),
        graphCode: oauth.data.code ?? null,
      };
    }
    return classifyHttpStatus(input.httpStatus, input, error);
  };

  const verdict = verdictFor();
  return {
    ...codes,
    maxRetries: null,
    ...verdict,
    retryAfterMs: retryHintMs(verdict, headers, input.nowMs ?? Date.now()),
    requestSent: input.requestSent,
  };
}

/**
 * Only worth reporting when waiting can help; throttling also honours the BUC estimate
 * (docs/platform.md#usage-headers).
 */
function retryHintMs(verdict: Verdict, headers: Headers | null, nowMs: number): number | null {
  if (headers === null || verdict.kind === 'permanent' || verdict.kind === 'reauth') return null;
  const hints = [parseRetryAfterMs(headers.get('retry-after'), nowMs)];
  if (verdict.reason === 'rate-limited') hints.push(parseUsageHeaders(headers).regainAccessMs);
  const positive = hints.filter((ms): ms is number => ms !== null && ms > 0);
  return positive.length > 0 ? Math.max(...positive) : null;
}

type Verdict = Pick<GraphFailure, 'kind' | 'reason' | 'appCode' | 'explanation'> &
  Partial<Pick<GraphFailure, 'maxRetries'>>;

function classifyGraphCode(error: GraphErrorBody, input: GraphFailureInput): Verdict {
  const code = error.code ?? -1;
  const subcode = error.error_subcode ?? null;

  // Reported both as a code and as a subcode (docs/platform.md#private-replies,
  // docs/platform.md#error-codes).
  if (code === 2_534_025 || subcode === 2_534_025)
    return permanent('private-reply-unavailable', 'GRAPH_ERROR', say('privateReplyUnavailable'));
  if (isRateLimitCode(code)) return retryable('rate-limited', 'RATE_LIMITED', say('rateLimited'));

  switch (code) {
    case 1:
      // "Received invalid JSON reply": messages may have been sent anyway
      // (docs/platform.md#idempotency).
      if (subcode === 1_357_046) return outcomeUnknown('no-answer', say('invalidJsonReply'));
      return { ...retryable('temporary', 'GRAPH_ERROR', say('temporary')), maxRetries: 1 };
    case 2:
      return retryable('temporary', 'GRAPH_ERROR', say('temporary'));
    case 10:
      if (subcode === 2_534_022 || subcode === 2_018_278)
        return permanent(
          'outside-window',
          'OUTSIDE_WINDOW',
          input.isHumanAgentSend ? say('outsideHumanAgentWindow') : say('outsideWindow'),
        );
      if (subcode === 2_018_108)
        return permanent('recipient-unavailable', 'GRAPH_ERROR', say('recipientNotReceiving'));
      if (subcode === 1_893_063)
        return permanent('account-restricted', 'GRAPH_ERROR', say('sendingRestricted'));
      return permanent('permission-missing', 'GRAPH_ERROR', say('permissionMissing'));
    case 100:
      if (subcode === 33) return permanent('not-found', 'NOT_FOUND', say('notFound'));
      if (subcode === 2_534_014) return permanent('not-found', 'NOT_FOUND', say('noSuchUser'));
      if (subcode === 2_534_029)
        return permanent('account-restricted', 'GRAPH_ERROR', say('messagingBlocked'));
      if (subcode === 2_018_047)
        return permanent('attachment-rejected', 'INVALID_INPUT', say('attachmentRejected'));
      // The one text match (docs/platform.md#app-modes): a role-less account on a dev-mode app gets
      // a bare code 100.
      if (DEV_MODE_HINT.test(error.message ?? ''))
        return permanent('app-role-missing', 'GRAPH_ERROR', say('appRoleMissing'));
      return permanent(
        'invalid-request',
        'INVALID_INPUT',
        withMetaWords(say('invalidRequest'), error.error_user_msg),
      );
    case 190:
      // Subcodes 458 (app removed), 459, 460 (password changed), 463 (expired), 464, 467, 492:
      // all end the same way for the owner (docs/platform.md#token-refresh,
      // docs/platform.md#error-codes).
      return reauth('token-invalid', say('tokenInvalid'));
    case 230:
      return permanent('consent-required', 'GRAPH_ERROR', say('consentRequired'));
    case 368:
      return permanent('account-restricted', 'GRAPH_ERROR', say('policyBlock'));
    case 551:
      return permanent('recipient-unavailable', 'GRAPH_ERROR', say('recipientUnavailable'));
    case 2500:
      return permanent('invalid-request', 'GRAPH_ERROR', say('unknownPath'));
    case 1_609_005:
      return permanent('story-unavailable', 'NOT_FOUND', say('storyUnavailable'));
  }
  if (code >= 200 && code <= 299) {
    if (subcode === 2_534_041) return reauth('access-revoked', say('accessRevoked'));
    return permanent('permission-missing', 'GRAPH_ERROR', say('permissionMissing'));
  }
  // Unknown code: Graph's own flag is the only honest signal left.
  if (error.is_transient === true) return retryable('temporary', 'GRAPH_ERROR', say('temporary'));
  return permanent(
    'unknown',
    'GRAPH_ERROR',
    withMetaWords(
      sendFailure(`Instagram refused the request (error ${code}).`, 'refusedCode', { code }),
      error.error_user_msg ?? error.message,
    ),
  );
}

/** No code to go by: the transport status decides. */
function classifyHttpStatus(
  status: number,
  input: GraphFailureInput,
  error: GraphErrorBody | null,
): Verdict {
  if (status >= 200 && status < 300)
    return outcomeUnknown('unexpected-response', say('unexpectedResponse'));
  if (status === 429) return retryable('rate-limited', 'RATE_LIMITED', say('rateLimited'));
  // A 5xx arrives after the request reached someone: Meta may have acted on it
  // (docs/platform.md#idempotency, docs/platform.md#error-codes).
  if (status >= 500) return outcomeUnknown('no-answer', say('noAnswer'));
  if (status === 401) return reauth('token-invalid', say('tokenInvalid'));
  // HUMAN_AGENT without App Review: HTTP 403 with no code at all (docs/platform.md#reply-windows).
  if (status === 403 && input.isHumanAgentSend)
    return permanent('human-agent-not-approved', 'GRAPH_ERROR', say('humanAgentNotApproved'));
  if (status === 403)
    return permanent('permission-missing', 'GRAPH_ERROR', say('permissionMissing'));
  return permanent(
    'unknown',
    'GRAPH_ERROR',
    withMetaWords(
      sendFailure(`Instagram refused the request (HTTP ${status}).`, 'refusedHttp', { status }),
      error?.error_user_msg ?? error?.message,
    ),
  );
}

/**
 * Retry decision for a caller: reads are idempotent, sends are not (docs/platform.md#idempotency).
 */
export function isSafeToRetry(failure: GraphFailure, isIdempotent: boolean): boolean {
  if (failure.kind === 'retryable') return true;
  return failure.kind === 'outcome-unknown' && isIdempotent;
}

/**
 * What every Graph call throws: an `AppError` whose code and message come from the classification.
 */
export class GraphError extends AppError {
  readonly failure: GraphFailure;
  /** The client method that failed, e.g. `sendMessage`. */
  readonly operation: string;
  /** Reads are; sends, subscriptions and token exchanges are not. */
  readonly isIdempotent: boolean;

  constructor(
    failure: GraphFailure,
    options: { operation: string; isIdempotent: boolean; cause?: unknown },
  ) {
    super(failure.appCode, failure.explanation.text, {
      cause: options.cause,
      detail: failure.explanation.detail,
    });
    this.name = 'GraphError';
    this.failure = failure;
    this.operation = options.operation;
    this.isIdempotent = options.isIdempotent;
  }

  get isRetryable(): boolean {
    return isSafeToRetry(this.failure, this.isIdempotent);
  }
}

/** Instagram's own words stay visible after Inlet's sentence, in every language. */
function withMetaWords(said: FailureReason, metaWords: string | undefined): FailureReason {
  if (!metaWords || said.detail === null) return said;
  return {
    text: `${said.text} Instagram said: “${metaWords}”`,
    detail: { key: said.detail.key, vars: { ...said.detail.vars, metaWords } },
  };
}

function verdictOf(
  kind: GraphFailureKind,
  reason: GraphFailureReason,
  appCode: AppErrorCode,
  explanation: FailureReason,
): Verdict {
  return { kind, reason, appCode, explanation };
}
function retryable(
  reason: GraphFailureReason,
  appCode: AppErrorCode,
  message: FailureReason,
): Verdict {
  return verdictOf('retryable', reason, appCode, message);
}
function permanent(
  reason: GraphFailureReason,
  appCode: AppErrorCode,
  message: FailureReason,
): Verdict {
  return { ...verdictOf('permanent', reason, appCode, message), maxRetries: 0 };
}
function reauth(reason: GraphFailureReason, message: FailureReason): Verdict {
  return { ...verdictOf('reauth', reason, 'NOT_CONNECTED', message), maxRetries: 0 };
}
function outcomeUnknown(reason: GraphFailureReason, message: FailureReason): Verdict {
  return verdictOf('outcome-unknown', reason, 'GRAPH_ERROR', message);
}
