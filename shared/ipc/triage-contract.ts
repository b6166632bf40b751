import { z } from 'zod';
import { ConversationSchema } from '../domain/schemas';

/** A label as the owner types it; trimmed so "vip" and " vip " are one label. */
export const LabelSchema = z
  .string()
  .trim()
  .min(1, 'A label cannot be empty')
  .max(40, 'A label is at most 40 characters');

export const MAX_LABELS = 20;
export const MAX_NOTE_LENGTH = 10_000;

/** The owner's own bookkeeping on a conversation; Instagram never sees any of it. */
export const TriageSchema = z.object({
  conversationId: z.string(),
  /** Set when marked done; cleared by a newer message from the customer. */
  doneAt: z.number().nullable(),
  /** Hidden from the open inbox until this time (epoch ms) or a newer message from the customer. */
  snoozedUntil: z.number().nullable(),
  labels: z.array(z.string()),
  /** Private note about the customer (kept per account and customer). */
  note: z.string(),
});
export type Triage = z.infer<typeof TriageSchema>;

const conversationId = z.string().min(1);

export const triageInvokeContract = {
  /** Every conversation that carries triage state; the others are open, unlabelled, note-less. */
  'triage:list': { input: z.void(), output: z.object({ items: z.array(TriageSchema) }) },
  'triage:setDone': {
    input: z.object({ conversationId, isDone: z.boolean() }),
    output: TriageSchema,
  },
  /** `until` must lie in the future; null wakes the conversation now. */
  'triage:snooze': {
    input: z.object({ conversationId, until: z.number().int().positive().nullable() }),
    output: TriageSchema,
  },
  'triage:setLabels': {
    input: z.object({
      conversationId,
      labels: z.array(LabelSchema).max(MAX_LABELS, `At most ${MAX_LABELS} labels`),
    }),
    output: TriageSchema,
  },
  'triage:setNote': {
    input: z.object({
      conversationId,
      note: z.string().max(MAX_NOTE_LENGTH, `A note is at most ${MAX_NOTE_LENGTH} characters`),
    }),
    output: TriageSchema,
  },
  /** Puts the unread badge back (at least one unread message) so it stays on the to-do pile. */
  'triage:markUnread': {
    input: z.object({ conversationId }),
    output: z.object({ conversation: ConversationSchema }),
  },
} as const;

export const triageEventContract = {
  /** Triage state of one conversation changed (by a command, or reopened by a new message). */
  'triage:changed': TriageSchema,
} as const;
