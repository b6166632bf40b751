import { z } from 'zod';

/**
 * Why an outgoing message failed or is held, as a stable key: the core stores its
 * English sentence for logs and export next to this key, and the renderer shows
 * `sendError.<key>` in the owner's language. One list for both sides; every key has a sentence in
 * all four catalogues.
 */
export const SEND_ERROR_KEYS = [
  // Graph's refusals (main/core/graph/graph-errors.ts).
  'networkUnreachable',
  'noAnswer',
  'unexpectedResponse',
  'invalidJsonReply',
  'temporary',
  'rateLimited',
  'tokenInvalid',
  'loginRefused',
  'accessRevoked',
  'permissionMissing',
  'appRoleMissing',
  'humanAgentNotApproved',
  'outsideWindow',
  'outsideHumanAgentWindow',
  'recipientNotReceiving',
  'recipientUnavailable',
  'sendingRestricted',
  'policyBlock',
  'messagingBlocked',
  'notFound',
  'noSuchUser',
  'invalidRequest',
  'unknownPath',
  'attachmentRejected',
  'consentRequired',
  'storyUnavailable',
  'privateReplyUnavailable',
  /** Vars: `code`. */
  'refusedCode',
  /** Vars: `status`. */
  'refusedHttp',
  // The outbox and its sender (main/core/inbox).
  'notConnected',
  'noMessageId',
  'sendCrashed',
  'reconcileChecking',
  'reconcileAbsent',
  /** Vars: `cause`, itself a key. */
  'reconcileUncheckable',
  'reconcileInterrupted',
  'mediaNoPublicAddress',
  'mediaNeedsTunnel',
  'mediaMissing',
  // An account waiting for a new login holds its messages (also across a restart).
  'accountNeedsLogin',
] as const;

export type SendErrorKey = (typeof SEND_ERROR_KEYS)[number];
export const SendErrorKeySchema = z.enum(SEND_ERROR_KEYS);

/** The variable parts of a reason; `metaWords` is Instagram's own text, shown untranslated. */
export const SendErrorVarsSchema = z.object({
  code: z.number().optional(),
  status: z.number().optional(),
  cause: SendErrorKeySchema.optional(),
  metaWords: z.string().optional(),
  /** A held send's next try (epoch ms): the renderer shows it as a local time. */
  until: z.number().optional(),
});
export type SendErrorVars = z.infer<typeof SendErrorVarsSchema>;
