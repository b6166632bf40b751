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
} as const;
