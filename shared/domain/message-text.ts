import { z } from 'zod';

/**
 * Instagram refuses a message text longer than 1000 bytes of UTF-8 (docs/platform.md, "Text and
 * attachment limits"): bytes, not characters, so an emoji or an accent costs more than one.
 */
export const MAX_TEXT_BYTES = 1000;

export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

const EMPTY = 'A message cannot be empty';
const TOO_LONG = `Instagram accepts at most ${MAX_TEXT_BYTES} bytes of text per message`;

/**
 * Text a person typed, as a command accepts it: trimmed, then not empty and within the limit.
 * `emptyMessage` names what is empty when it is not a message (a saved reply).
 */
export function typedTextSchema(emptyMessage = EMPTY) {
  return z
    .string()
    .trim()
    .min(1, emptyMessage)
    .refine((text) => utf8ByteLength(text) <= MAX_TEXT_BYTES, { message: TOO_LONG });
}

/** Text about to be sent to Instagram: checked the same way, but sent exactly as given. */
export const OutgoingTextSchema = z
  .string()
  .refine((text) => text.trim().length > 0, EMPTY)
  .refine((text) => utf8ByteLength(text) <= MAX_TEXT_BYTES, TOO_LONG);
