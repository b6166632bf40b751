import { z } from 'zod';
import { typedTextSchema } from '../domain/message-text';

export const SavedReplySchema = z.object({
  id: z.number().int().positive(),
  /** What the owner types after "/" to find it, e.g. "shipping". */
  shortcut: z.string(),
  /** The text inserted; `{first_name}` and `{username}` are filled in for the customer. */
  body: z.string(),
});
export type SavedReply = z.infer<typeof SavedReplySchema>;

const ShortcutSchema = z
  .string()
  .trim()
  .min(1, 'A saved reply needs a shortcut')
  .max(40, 'A shortcut is at most 40 characters')
  .regex(/^[\p{L}\p{N}_-]+$/u, 'A shortcut is one word: letters, digits, - and _');

const BodySchema = typedTextSchema('A saved reply cannot be empty');

const RepliesOutput = z.object({ replies: z.array(SavedReplySchema) });

export const repliesInvokeContract = {
  'replies:list': { input: z.void(), output: RepliesOutput },
  /** Creates (no id) or replaces (id) a saved reply; answers the whole list, sorted by shortcut. */
  'replies:save': {
    input: z.object({
      id: z.number().int().positive().optional(),
      shortcut: ShortcutSchema,
      body: BodySchema,
    }),
    output: RepliesOutput,
  },
  'replies:delete': { input: z.object({ id: z.number().int().positive() }), output: RepliesOutput },
} as const;
