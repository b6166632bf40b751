import { z } from 'zod';

/**
 * The Developer section: every request that reached the webhook listener, as the delivery journal
 * and the ring of refused requests keep them (main/core/deliveries). Ids are the journal's for
 * verified deliveries and `r<n>` for refused requests.
 */

export const DeliveryRecordSchema = z.object({
  id: z.string(),
  receivedAt: z.number(),
  refused: z.boolean(),
  accountIds: z.array(z.string()),
  /** Accounts the events name that Inlet has not connected (their events were skipped). */
  unknownAccountIds: z.array(z.string()),
  fields: z.array(z.string()),
  kinds: z.array(z.string()),
  signature: z.enum(['valid', 'wrong', 'missing', 'unchecked']),
  status: z.number().int(),
  answerMs: z.number().nullable(),
  outcome: z.enum(['understood', 'not-understood', 'pending', 'refused']),
  reason: z.string().nullable(),
  bytes: z.number().int(),
  pruned: z.boolean(),
  changes: z.object({
    messagesCreated: z.array(z.string()),
    messagesUpdated: z.array(z.string()),
    comments: z.array(z.string()),
  }),
  /** The stored messages it created or updated, with their conversations ("Open message"). */
  messageLinks: z.array(
    z.object({ messageId: z.string(), mid: z.string().nullable(), conversationId: z.string() }),
  ),
  forwards: z.array(
    z.object({
      target: z.string(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
      attempts: z.number().int(),
      at: z.number(),
    }),
  ),
});
export type DeliveryRecordDto = z.infer<typeof DeliveryRecordSchema>;

export const DeveloperSettingsSchema = z.object({
  /** Shows the Developer section (Deliveries, "View webhook"); off by default. */
  enabled: z.boolean().default(false),
});
export type DeveloperSettings = z.infer<typeof DeveloperSettingsSchema>;

/**
 * Forwarding targets set in Settings (beside any `--forward-to` of `inlet serve`). Loopback hosts
 * only unless `allowRemote`: the bodies hold customers' messages.
 */
export const ForwardingSettingsSchema = z.object({
  targets: z.array(z.string().trim().min(1).max(2048)).max(10).default([]),
  allowRemote: z.boolean().default(false),
});
export type ForwardingSettings = z.infer<typeof ForwardingSettingsSchema>;

/** What the Developer section shows beside the list: forwarding, the journal's space, Simulate. */
export const WorkbenchSchema = z.object({
  forwarding: z.object({
    settings: ForwardingSettingsSchema,
    /** Targets given to `inlet serve --forward-to`: shown, changed only on the command line. */
    commandLine: z.array(z.string()),
    /** Per target forwarded to now: deliveries waiting, and how many a full queue dropped. */
    queues: z.array(z.object({ target: z.string(), queued: z.number(), dropped: z.number() })),
  }),
  usage: z.object({
    verified: z.object({ count: z.number(), bytes: z.number(), pruned: z.number() }),
    refused: z.object({ count: z.number(), bytes: z.number() }),
  }),
  /** The event kinds "Simulate" (and `inlet simulate`) can send. */
  simulateKinds: z.array(z.string()),
});
export type Workbench = z.infer<typeof WorkbenchSchema>;

const DeliveryIdSchema = z.string().regex(/^r?\d+$/);

export const developerInvokeContract = {
  'developer:getSettings': { input: z.void(), output: DeveloperSettingsSchema },
  'developer:setSettings': { input: DeveloperSettingsSchema, output: DeveloperSettingsSchema },
  /** Newest first; the filters apply before the limit. */
  'developer:listDeliveries': {
    input: z.object({
      limit: z.number().int().min(1).max(500).optional(),
      accountId: z.string().min(1).optional(),
      kind: z.string().min(1).optional(),
      refused: z.boolean().optional(),
      signature: DeliveryRecordSchema.shape.signature.optional(),
      outcome: DeliveryRecordSchema.shape.outcome.optional(),
      /** Searched in main over every kept body, not just the listed page. */
      text: z.string().trim().min(1).max(200).optional(),
      /** Only the delivery that created this message ("View webhook" on a bubble). */
      messageId: z.string().min(1).optional(),
    }),
    output: z.object({ deliveries: z.array(DeliveryRecordSchema) }),
  },
  /** One delivery with its bytes exactly as received (base64) and, for a refused one, its headers. */
  'developer:getDelivery': {
    input: z.object({ id: DeliveryIdSchema }),
    output: z.object({
      delivery: DeliveryRecordSchema,
      bodyBase64: z.string(),
      headers: z.record(z.string(), z.string()),
    }),
  },
  /**
   * Posts a stored delivery (or `editedJson` in its place) to Inlet's own listener again, signed by
   * the core with the app secret, which never reaches the renderer. Answers the replay's own record
   * (null while it is still being processed): its changes show what the replay changed.
   */
  'developer:replay': {
    input: z.object({
      id: DeliveryIdSchema,
      editedJson: z
        .string()
        .max(4 * 1024 * 1024)
        .optional(),
    }),
    output: z.object({ delivery: DeliveryRecordSchema.nullable() }),
  },
  /** A `curl` command posting the exact stored bytes with a valid signature and no secret. */
  'developer:curl': {
    input: z.object({ id: DeliveryIdSchema }),
    output: z.object({ command: z.string() }),
  },
  'developer:getWorkbench': { input: z.void(), output: WorkbenchSchema },
  /** Refused with the reason when a target is not http(s), or not loopback without `allowRemote`. */
  'developer:setForwarding': { input: ForwardingSettingsSchema, output: WorkbenchSchema },
  /**
   * Drops the bodies of processed deliveries older than `days`, and refused requests as old.
   * Messages are never touched, and unprocessed deliveries keep their bytes.
   */
  'developer:prune': {
    input: z.object({ days: z.number().int().min(1).max(36500) }),
    output: z.object({
      bodiesDropped: z.number(),
      refusedDropped: z.number(),
      workbench: WorkbenchSchema,
    }),
  },
  /**
   * Sends one event of `kind`, built as `inlet simulate` builds it, for `accountId` (default: the
   * first connected account), signed by the core and posted to Inlet's own listener.
   */
  'developer:simulate': {
    input: z.object({
      kind: z.string().min(1).max(40),
      accountId: z.string().regex(/^\d+$/).optional(),
      text: z.string().trim().min(1).max(1000).optional(),
    }),
    output: z.object({ delivery: DeliveryRecordSchema.nullable() }),
  },
} as const;
