import { z } from 'zod';

/**
 * Instagram refuses a message text longer than 1000 bytes of UTF-8 (docs/platform.md, "Text and
 * attachment limits"): bytes, not characters, so an emoji or an accent costs more than one.
 */
export const MAX_TEXT_BYTES = 1000;

export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The counter appears once this few characters (or fewer) are left; before that it is noise. */
export const SHOW_COUNT_WITHIN_CHARACTERS = 100;

/**
 * How much room a text leaves, said in characters as the owner thinks of them (what they see:
 * grapheme clusters, so 👍🏽 is one), while the limit stays in bytes. The remaining count is
 * conservative: the remaining bytes divided by the widest character typed so far, so typing more
 * of the same never makes the count lie. Over the limit, `over` is exactly how many characters
 * at the end must go.
 */
export type TextRoom =
  { state: 'plenty' } | { state: 'near'; left: number } | { state: 'over'; over: number };

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function textRoom(text: string): TextRoom {
  const characters = Array.from(graphemes.segment(text), (part) => utf8ByteLength(part.segment));
  const used = characters.reduce((sum, bytes) => sum + bytes, 0);
  if (used > MAX_TEXT_BYTES) {
    let over = 0;
    for (let bytes = used; bytes > MAX_TEXT_BYTES; over++) bytes -= characters.at(-1 - over) ?? 0;
    return { state: 'over', over };
  }
  const left = Math.floor((MAX_TEXT_BYTES - used) / Math.max(1, ...characters));
  return left <= SHOW_COUNT_WITHIN_CHARACTERS ? { state: 'near', left } : { state: 'plenty' };
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
