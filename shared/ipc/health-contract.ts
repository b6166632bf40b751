import { z } from 'zod';
import { FailureReasonSchema } from '../domain/failure-reason';

/**
 * The health of Inlet's connection to Instagram: each check with a stable id (the ids `inlet
 * doctor` prints and the README lists), what it found, when, in a sentence the owner can read, and
 * the one action that fixes it.
 */
export const HEALTH_CHECK_IDS = [
  /** `/me` accepts the account's token. */
  'token-accepted',
  /** The login granted every permission Inlet's features need. */
  'permissions-granted',
  /** `subscribed_apps` lists every webhook field Inlet needs. */
  'subscription-complete',
  /** The public tunnel is online. */
  'tunnel-up',
  /** A request through the tunnel's public address comes back to the listener. */
  'public-url-reachable',
  /** Meta has called the webhook verification GET. */
  'callback-verified',
  /** No conversation changed at Instagram after the last delivery Inlet heard for it. */
  'deliveries-arriving',
  /** No delivery was refused for its signature in the last hour. */
  'signatures-accepted',
  /** The machine's clock agrees with Instagram's. */
  'clock-sane',
  /** A message the business sent itself came back through the webhook (run on demand only). */
  'loop-proven',
] as const;
export const HealthCheckIdSchema = z.enum(HEALTH_CHECK_IDS);
export type HealthCheckId = z.infer<typeof HealthCheckIdSchema>;

export const HealthStateSchema = z.enum(['ok', 'warning', 'failing', 'unknown']);
export type HealthState = z.infer<typeof HealthStateSchema>;

/**
 * The one action that fixes a check: a repair Inlet can make itself (a button, `doctor --fix`),
 * or steps only the owner can take (in Meta's dashboard, in Settings).
 */
export const HEALTH_REPAIRS = ['resubscribe', 'reconnect-account', 'restart-tunnel'] as const;
export const HealthFixSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('repair'), repair: z.enum(HEALTH_REPAIRS) }),
  z.object({ kind: z.literal('owner'), steps: FailureReasonSchema }),
]);
export type HealthFix = z.infer<typeof HealthFixSchema>;
export type HealthRepair = (typeof HEALTH_REPAIRS)[number];

export const HealthCheckSchema = z.object({
  id: HealthCheckIdSchema,
  /** The account checked; null for the app-wide checks. */
  account: z.string().nullable(),
  state: HealthStateSchema,
  /** Epoch ms the check ran. */
  ranAt: z.number(),
  /** What the check found, in the owner's words. */
  reason: FailureReasonSchema,
  fix: HealthFixSchema.nullable(),
  /** Technical words for a developer (Graph codes, URLs, field names); may be copied. */
  technical: z.string().nullable(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

export const HealthReportSchema = z.object({
  /** The worst state of all checks; `unknown` before the first run. */
  overall: HealthStateSchema,
  checks: z.array(HealthCheckSchema),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;

export const healthInvokeContract = {
  /** The last report; `overall` is `unknown` until the first run has finished. */
  'health:get': { input: z.void(), output: HealthReportSchema },
  /** Runs every check now (joins a run in progress) and answers with the new report. */
  'health:runNow': { input: z.void(), output: HealthReportSchema },
  /**
   * "Send a test message": the account messages itself and Inlet waits up to a minute for the
   * echo; the report then holds that account's `loop-proven` check.
   */
  'health:testLoop': {
    input: z.object({ account: z.string().min(1) }),
    output: HealthReportSchema,
  },
  /** Applies a repair Inlet can make (a check's `fix.repair`), then checks again. */
  'health:fix': {
    input: z.object({ repair: z.enum(HEALTH_REPAIRS), account: z.string().nullable() }),
    output: HealthReportSchema,
  },
} as const;

export const healthEventContract = {
  /** A run of the checks finished; the report may or may not differ from the last. */
  'health:changed': HealthReportSchema,
} as const;
