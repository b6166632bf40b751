import { z } from 'zod';
import { LocalizedTextSchema, sendErrorText, type LocalizedText } from './localized-text';
import type { SendErrorKey, SendErrorVars } from './send-errors';

/**
 * Why something failed, was refused or is held, wherever main says it: the English sentence (logs,
 * the CLI, exports, a renderer that does not know the key) and, when main has one, the same
 * sentence as a catalogue key and variables that the renderer shows in the owner's language.
 */
export const FailureReasonSchema = z.object({
  text: z.string(),
  detail: LocalizedTextSchema.nullable(),
});
export type FailureReason = z.infer<typeof FailureReasonSchema>;

/** A reason with nothing to translate: a third party's words, or a sentence without a key yet. */
export function untranslated(text: string): FailureReason {
  return { text, detail: null };
}

/** A send's reason: its sentence and its `sendError` key. */
export function sendFailure(
  text: string,
  key: SendErrorKey,
  vars: SendErrorVars | null = null,
): FailureReason {
  return { text, detail: sendErrorText(key, vars) };
}

/**
 * The `sendError` key and variables of a reason, as the archive keeps them beside a message's
 * error; null when the reason has none (no key, or a sentence of another catalogue).
 */
export function sendErrorOf(
  reason: FailureReason,
): { key: SendErrorKey; vars: SendErrorVars | null } | null {
  const detail: LocalizedText | null = reason.detail;
  if (!detail?.key.startsWith('sendError.')) return null;
  const key = detail.key.slice('sendError.'.length) as SendErrorKey;
  if (detail.vars === null) return { key, vars: null };
  const { code, status, cause, metaWords, until } = detail.vars;
  return { key, vars: dropUndefined({ code, status, cause, metaWords, until }) };
}

/** A send's reason with when Inlet tries again: how a held message says "until when". */
export function heldUntil(reason: FailureReason, until: number): FailureReason {
  const send = sendErrorOf(reason);
  return send === null ? reason : sendFailure(reason.text, send.key, { ...send.vars, until });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
