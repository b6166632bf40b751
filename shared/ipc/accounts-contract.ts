import { z } from 'zod';
import { FailureReasonSchema } from '../domain/failure-reason';
import { InstagramIdSchema } from '../domain/schemas';

/**
 * Settings of the user's own Meta app and the accounts connected through it. The app
 * secret and the ngrok authtoken are write-only: the renderer can set them and learn that they are
 * set, never read them back.
 */

const VERSION_FORMAT = /^v\d+\.\d+$/;
/** An ngrok reserved domain is a bare host name, e.g. calm-otter.ngrok.app. */
const DOMAIN_FORMAT = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export const SettingsSchema = z.object({
  appId: z.string().nullable(),
  hasAppSecret: z.boolean(),
  /**
   * The Meta app secret, kept beside the Instagram one: Meta's material disagrees on which of the
   * two signs Instagram-Login webhooks, so the listener accepts either (docs/platform.md#signatures).
   */
  hasMetaAppSecret: z.boolean(),
  /** Generated with crypto randomness when absent; the user pastes it into Meta's dashboard. */
  verifyToken: z.string(),
  /**
   * Derived, never chosen by the renderer: the tunnel's https URL (or, against a loopback OAuth
   * host such as the emulator, the local listener) plus the callback path. Null when none exists.
   */
  redirectUri: z.string().nullable(),
  /** Why there is no redirect URI yet; null when there is one. */
  redirectUriProblem: FailureReasonSchema.nullable(),
  /** Desktop only: the login can run in Inlet's own window, which catches the redirect. */
  hasLoginWindow: z.boolean(),
  /** The https URI registered at Meta that the login window catches (used without a tunnel). */
  loginRedirectUri: z.string().nullable(),
  graphVersion: z.string(),
  hasNgrokAuthtoken: z.boolean(),
  ngrokDomain: z.string().nullable(),
  /** Settings an INLET_* environment variable overrides (the form shows them read-only). */
  fromEnvironment: z.array(
    z.enum(['appId', 'appSecret', 'verifyToken', 'graphVersion', 'ngrok', 'metaAppSecret']),
  ),
  /** Whether secrets and tokens survive a restart (false: OS offers no encryption). */
  vault: z.object({
    persistent: z.boolean(),
    /** Why they do not (main's own words, not shown by the renderer); null when they do. */
    reason: FailureReasonSchema.nullable(),
    /** The OS has only plaintext-equivalent storage (Linux basic_text) the user may opt into. */
    canAcceptUnprotected: z.boolean(),
    unprotectedAccepted: z.boolean(),
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

const ConnectStartedSchema = z.object({
  /** Also opened in the system browser; shown as a link where no browser can be opened. */
  authorizeUrl: z.string(),
});

export const accountsInvokeContract = {
  'settings:get': { input: z.void(), output: SettingsSchema },
  /** Omitted fields stay as they are; an empty secret string is refused, `clear…` removes it. */
  'settings:update': {
    input: z.strictObject({
      appId: z
        .string()
        .trim()
        .regex(/^\d{1,32}$/, 'The Instagram app id is a number')
        .nullable()
        .optional(),
      appSecret: z.string().trim().min(8, 'The app secret looks too short').max(256).optional(),
      clearAppSecret: z.literal(true).optional(),
      /** The Meta app secret, accepted beside the Instagram one for webhook signatures. */
      metaAppSecret: z.string().trim().min(8, 'The app secret looks too short').max(256).optional(),
      clearMetaAppSecret: z.literal(true).optional(),
      graphVersion: z.string().trim().regex(VERSION_FORMAT, 'Looks like v24.0').optional(),
      ngrokAuthtoken: z.string().trim().min(8, 'The authtoken looks too short').max(512).optional(),
      clearNgrokAuthtoken: z.literal(true).optional(),
      ngrokDomain: z
        .string()
        .trim()
        .regex(DOMAIN_FORMAT, 'A domain looks like calm-otter.ngrok.app')
        .nullable()
        .optional(),
      regenerateVerifyToken: z.literal(true).optional(),
      /** The user's explicit choice; the renderer shows what it means before asking. */
      acceptUnprotectedStorage: z.boolean().optional(),
      loginRedirectUri: z
        .url({ protocol: /^https$/, error: 'Instagram only redirects to https addresses' })
        .refine((uri) => new URL(uri).pathname === '/oauth/callback' && !/[?#]/.test(uri), {
          message: 'The redirect URI must end in /oauth/callback, without a query',
        })
        .nullable()
        .optional(),
    }),
    output: SettingsSchema,
  },
  /** Starts a login in the browser; the outcome arrives as `accounts:connectFinished`. */
  'accounts:connect': { input: z.void(), output: ConnectStartedSchema },
  /** A login for an account that needs one (expired, revoked, undecryptable). */
  'accounts:reconnect': {
    input: z.object({ igUserId: InstagramIdSchema }),
    output: ConnectStartedSchema,
  },
  /** Removes the token from the vault and stops its refresh; the archive stays. */
  'accounts:disconnect': { input: z.object({ igUserId: InstagramIdSchema }), output: z.void() },
} as const;

export const accountsEventContract = {
  /** A login started with `accounts:connect`/`reconnect` ended. */
  'accounts:connectFinished': z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), igUserId: InstagramIdSchema, username: z.string() }),
    z.object({
      ok: z.literal(false),
      /** What kind of failure, for the heading the renderer shows above `reason`. */
      code: z.enum([
        'denied',
        'permission-missing',
        'exchange-failed',
        'timeout',
        'cancelled',
        'browser-failed',
        'wrong-account',
      ]),
      reason: FailureReasonSchema,
    }),
  ]),
} as const;
