import { z } from 'zod';

export const UpdateSettingsSchema = z.object({
  /** Look for a new version at start and every 6 hours. Off: only when the owner asks. */
  autoCheck: z.boolean(),
  /** Also offer test versions (GitHub prereleases). */
  prereleases: z.boolean(),
});
export type UpdateSettings = z.infer<typeof UpdateSettingsSchema>;

/** Why something went wrong, in kinds the UI can explain calmly; details stay in the log. */
export const UPDATE_PROBLEMS = [
  'offline',
  'rate-limited',
  'bad-signature',
  'download-failed',
  'bad-feed',
  'install-failed',
  'unknown',
] as const;
export type UpdateProblem = (typeof UPDATE_PROBLEMS)[number];

export const UpdateStateSchema = z.object({
  currentVersion: z.string(),
  /**
   * Why this copy never updates itself: a development run, a system package (deb: the package
   * manager updates it) or headless mode. Null when it can.
   */
  unsupported: z.enum(['development', 'package-manager', 'headless']).nullable(),
  phase: z.enum(['idle', 'checking', 'downloading', 'ready', 'waiting-for-outbox', 'installing']),
  /** The newer version found, with its release notes as plain text. */
  update: z.object({ version: z.string(), notes: z.string() }).nullable(),
  /** This copy's releases and their notes on GitHub; null where Inlet does not know its feed. */
  releasesUrl: z.string().url().nullable(),
  lastCheckedAt: z.number().nullable(),
  nextCheckAt: z.number().nullable(),
  /** The last check or download failed this way; cleared by the next success. */
  problem: z.enum(UPDATE_PROBLEMS).nullable(),
  /** Messages still going out: a restart waits for them unless the owner says otherwise. */
  pendingSends: z.number().int().min(0),
  settings: UpdateSettingsSchema,
});
export type UpdateState = z.infer<typeof UpdateStateSchema>;

export const updatesInvokeContract = {
  'updates:getState': { input: z.void(), output: UpdateStateSchema },
  /** Checks now, whatever the automatic-check setting says (the owner asked). */
  'updates:check': { input: z.void(), output: UpdateStateSchema },
  'updates:setSettings': { input: UpdateSettingsSchema.partial(), output: UpdateStateSchema },
  /**
   * "Restart to update". Without `now`, waits until no message is going out; `now` restarts at
   * once (messages still waiting are sent after the restart; one on the wire finishes first).
   */
  'updates:restart': {
    input: z.object({ now: z.boolean().default(false) }),
    output: UpdateStateSchema,
  },
  /** Withdraws a restart that waits for the outbox; the update stays ready. */
  'updates:cancelRestart': { input: z.void(), output: UpdateStateSchema },
} as const;

export const updatesEventContract = {
  'updates:stateChanged': UpdateStateSchema,
} as const;
