import { z } from 'zod';
import {
  SendErrorKeySchema,
  SendErrorVarsSchema,
  type SendErrorKey,
  type SendErrorVars,
} from './send-errors';

/**
 * A sentence main says to the owner outside a send (a refused command, an account's reason, the
 * login's outcome, the redirect URI's problem, a comment's refusal), as a stable catalogue key and
 * its variables, next to main's English text for logs, the CLI and a renderer that does not know
 * the key. Failed sends use `sendError.<key>` (send-errors.ts); the rest lives in
 * `errorDetail.<key>`. Every key has a sentence in all four catalogues.
 */
export const ERROR_DETAIL_KEYS = [
  // Sending (main/core/inbox/sending-service.ts).
  'replyToUnknown',
  'attachmentTypeUnsupported',
  'fileEmpty',
  /** Vars: `megabytes`. */
  'imageTooLarge',
  /** Vars: `megabytes`. */
  'fileTooLarge',
  'replyWindowClosed',
  'reactionNeedsSentMessage',
  'conversationMissing',
  'conversationAccountNotConnected',
  'accountNotConnected',
  // The inbox and triage (main/core/inbox/inbox-service.ts, main/core/triage).
  'retryOnlyFailed',
  'sendNowOnlyHeld',
  'deleteOnlyUnsent',
  'messageGone',
  'conversationGone',
  'snoozeInPast',
  /** Vars: `shortcut`. */
  'shortcutTaken',
  'savedReplyGone',
  // Comments (main/core/comments/comments-service.ts).
  'commentMissing',
  'privateReplyInFlight',
  'ownComment',
  'commentAnswered',
  'commentExpired',
  // Any list read a page at a time (main/core/archive/cursor.ts).
  'pageGone',
  // Accounts and the login (main/core/accounts, main/core/auth).
  'accountUnknown',
  'accountConfigured',
  'appNotConfigured',
  'appSecretUnreadable',
  'coreStarting',
  'noTunnel',
  'noTunnelOrLoginWindow',
  'loginDeclined',
  'loginNotCompleted',
  'loginPermissionMissing',
  'loginTimedOut',
  'loginBrowserFailed',
  'loginCancelled',
  'loginFailed',
  'loginNotSaved',
  /** Vars: `username`. */
  'loginWrongAccount',
  'savedLoginUndecryptable',
  'savedLoginLocked',
  'tokenExpired',
  // The public tunnel (main/core/webhook/tunnel-keeper.ts, ngrok-tunnel.ts). `technical` carries
  // ngrok's own English words, shown apart from the sentence and marked as English.
  'tunnelNotConfigured',
  'tunnelAuthtokenRefused',
  /** Vars: `domain`. */
  'tunnelDomainRefused',
  'tunnelSessionLimit',
  'tunnelUnreachable',
  /** Vars: `seconds`. */
  'tunnelTimeout',
  'tunnelNoPublicUrl',
  'tunnelFailed',
  'tunnelReconnecting',
  'tunnelLost',
] as const;

export type ErrorDetailKey = (typeof ERROR_DETAIL_KEYS)[number];

/** What the connection health checks say (main/core/health), in `health.reason.<key>`. */
export const HEALTH_KEYS = [
  'checkFailed',
  'rateLimited',
  'appRoleMissing',
  'accountNeedsReconnect',
  'tokenOk',
  'tokenRefused',
  'permissionsOk',
  /** Vars: `names`. */
  'permissionsMissing',
  'permissionsUnknown',
  'subscriptionOk',
  /** Vars: `names`. */
  'subscriptionMissing',
  /** Vars: `names`. */
  'subscriptionRepaired',
  'tunnelOk',
  'tunnelDown',
  'tunnelNotNeeded',
  'publicUrlOk',
  'publicUrlUnreachable',
  'publicUrlNoTunnel',
  'callbackVerified',
  'callbackNever',
  'callbackSteps',
  'deliveriesOk',
  /** Vars: `count`. */
  'deliveriesMissing',
  'deliveriesSteps',
  'signaturesOk',
  /** Vars: `count`. */
  'signaturesRefusedInstagramSecret',
  /** Vars: `count`. */
  'signaturesRefusedBothSecrets',
  'signaturesSteps',
  'clockOk',
  /** Vars: `seconds`. */
  'clockOff',
  'clockSteps',
  /** Vars: `seconds`. */
  'loopOk',
  'loopSilent',
  'loopSilentSteps',
  'loopRefused',
  'loopRefusedSteps',
] as const;
export type HealthKey = (typeof HEALTH_KEYS)[number];

export const LocalizedVarsSchema = SendErrorVarsSchema.extend({
  megabytes: z.number().optional(),
  username: z.string().optional(),
  shortcut: z.string().optional(),
  domain: z.string().optional(),
  seconds: z.number().optional(),
  /** A list of names for the owner to compare (permissions, webhook fields), comma-separated. */
  names: z.string().optional(),
  count: z.number().optional(),
  /** A third party's own English words (ngrok's error), never part of the translated sentence. */
  technical: z.string().optional(),
});
export type LocalizedVars = z.infer<typeof LocalizedVarsSchema>;

/** The full catalogue path, so the renderer never guesses which namespace a key belongs to. */
export const LocalizedKeySchema = z.union([
  z.templateLiteral(['sendError.', SendErrorKeySchema]),
  z.templateLiteral(['errorDetail.', z.enum(ERROR_DETAIL_KEYS)]),
  z.templateLiteral(['health.reason.', z.enum(HEALTH_KEYS)]),
]);

export const LocalizedTextSchema = z.object({
  key: LocalizedKeySchema,
  vars: LocalizedVarsSchema.nullable(),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** A sentence of `errorDetail`. */
export function detail(key: ErrorDetailKey, vars: LocalizedVars | null = null): LocalizedText {
  return { key: `errorDetail.${key}`, vars };
}

/** A sentence of `sendError` (Graph's classifications, the outbox's reasons). */
export function sendErrorText(key: SendErrorKey, vars: SendErrorVars | null = null): LocalizedText {
  return { key: `sendError.${key}`, vars };
}

/** A sentence of the connection health checks. */
export function healthText(key: HealthKey, vars: LocalizedVars | null = null): LocalizedText {
  return { key: `health.reason.${key}`, vars };
}
