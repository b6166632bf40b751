import { newFbtraceId } from './ids';

/**
 * A Graph API failure, rendered exactly as docs/platform.md#error-envelopes shows it:
 * `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`. Clients must classify by
 * code/subcode, so the emulator uses the real ones (docs/platform.md#error-codes) and realistic
 * HTTP statuses.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    /** Null for refusals Meta sends without one (Human Agent). */
    readonly code: number | null,
    message: string,
    readonly details: {
      subcode?: number;
      type?: 'OAuthException' | 'IGApiException' | 'GraphMethodException';
      isTransient?: boolean;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    return {
      error: {
        message: this.message,
        type: this.details.type ?? 'OAuthException',
        code: this.code ?? undefined,
        error_subcode: this.details.subcode,
        is_transient: this.details.isTransient,
        fbtrace_id: newFbtraceId(),
      },
    };
  }
}

/**
 * OAuth endpoints on api.instagram.com answer with a flat shape instead
 * (docs/platform.md#token-exchange, docs/platform.md#error-envelopes).
 */
export class OAuthFlatError extends Error {
  body(): Record<string, unknown> {
    return { error_type: 'OAuthException', code: 400, error_message: this.message };
  }
}

export const graphErrors = {
  missingToken: () =>
    new GraphError(
      400,
      2500,
      'An active access token must be used to query information about the current user.',
    ),
  /** Unknown or malformed token: 190/467 (docs/platform.md#error-codes). */
  invalidToken: () =>
    new GraphError(400, 190, 'Invalid OAuth access token - Cannot parse access token', {
      subcode: 467,
    }),
  /** Expired token: 190/463 (docs/platform.md#error-codes); the user must log in again. */
  expiredToken: (expiredAt: number) =>
    new GraphError(
      400,
      190,
      `Error validating access token: Session has expired on ${new Date(expiredAt).toUTCString()}.`,
      { subcode: 463 },
    ),
  /** Wrong id, or an id the token may not see (100/33, docs/platform.md#error-codes). */
  objectNotFound: (id: string, method: string) =>
    new GraphError(
      400,
      100,
      `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { subcode: 33, type: 'GraphMethodException' },
    ),
  unknownPath: (path: string) =>
    new GraphError(400, 2500, `Unknown path components: ${path}`, { type: 'OAuthException' }),
  invalidParameter: (message: string, subcode?: number) =>
    new GraphError(400, 100, `(#100) ${message}`, { subcode, type: 'IGApiException' }),
  missingPermission: () =>
    new GraphError(403, 10, '(#10) Application does not have permission for this action', {
      type: 'IGApiException',
    }),
  /**
   * Outside the 24-hour window (docs/platform.md#reply-windows): 10/2534022, older subcode 2018278.
   */
  outsideWindow: (subcode: number) =>
    new GraphError(400, 10, '(#10) This message is sent outside of allowed window.', {
      subcode,
      type: 'IGApiException',
    }),
  noMatchingUser: () =>
    new GraphError(400, 100, '(#100) No matching user found', {
      subcode: 2534014,
      type: 'IGApiException',
    }),
  /**
   * Any Graph call by an account without a role on an app in Development mode
   * (docs/platform.md#app-modes): a bare 100 whose words are the only clue.
   */
  unsupportedRequest: (method: string) =>
    new GraphError(400, 100, `Unsupported request - method type: ${method.toLowerCase()}`, {
      type: 'IGApiException',
    }),
  /** Beyond the account's Business-Use-Case budget (docs/platform.md#rate-limits). */
  throttled: () =>
    new GraphError(
      400,
      80002,
      'There have been too many calls to this Instagram account. Wait a bit and try again.',
      { type: 'OAuthException', isTransient: true },
    ),
  userUnavailable: () =>
    new GraphError(400, 551, "This person isn't available right now.", {
      subcode: 1545041,
      type: 'IGApiException',
    }),
  uploadFailure: () =>
    new GraphError(400, 100, '(#100) Upload attachment failure.', {
      subcode: 2018047,
      type: 'IGApiException',
    }),
  /**
   * HUMAN_AGENT without App Review approval (docs/platform.md#reply-windows): HTTP 403 and no code.
   */
  humanAgentNotApproved: () =>
    new GraphError(
      403,
      null,
      "To use 'Human Agent', your use of this endpoint must be reviewed and approved by Facebook. To submit this 'Human Agent' feature for review please read our documentation on reviewable features: https://developers.facebook.com/docs/apps/review.",
      { type: 'IGApiException' },
    ),
  privateReplyNotAllowed: () =>
    new GraphError(400, 10, '(#10) Private reply is not allowed for this comment.', {
      subcode: 2534025,
      type: 'IGApiException',
    }),
  /** Profile of someone who never messaged the business (docs/platform.md#user-profile). */
  consentRequired: () =>
    new GraphError(400, 230, 'User consent is required to access user profile', {
      type: 'IGApiException',
    }),
  /** A message older than the 20 newest of its thread (docs/platform.md#conversation-messages). */
  messageNotReadable: () =>
    new GraphError(400, 100, '(#100) The message has been deleted or is too old to be read.', {
      subcode: 33,
      type: 'IGApiException',
    }),
};
