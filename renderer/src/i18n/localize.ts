import type { i18n, TFunction } from 'i18next';
import type { FailureReason } from '../../../shared/domain/failure-reason';
import type { LocalizedText } from '../../../shared/domain/localized-text';

/** A reason as the owner reads it; `inEnglish` when it is main's English text, not a translation. */
export type SaidReason = { words: string; inEnglish: boolean };

/**
 * Every reason main gives (a failed send, an account's login, the tunnel, a comment's refusal, a
 * refused command) in the owner's language: its detail when this build's catalogue knows the key,
 * otherwise main's English text (an older row, a key from a newer Inlet, a third party's words).
 * Null when there is nothing to say. A third party's `technical` words are never part of the
 * sentence: the caller shows them apart (FailureReasonText).
 */
export function sayReason(reason: FailureReason, t: TFunction, i18next: i18n): SaidReason | null {
  const said = reason.detail === null ? null : localize(reason.detail, t, i18next);
  if (said !== null) return { words: said, inEnglish: false };
  return reason.text.trim() === '' ? null : { words: reason.text, inEnglish: true };
}

/**
 * The catalogue entry of a key with its variables, a `cause` (itself a send-error key) translated
 * too, and Instagram's own words after it, untranslated. Null when this build has no such key.
 */
function localize(text: LocalizedText, t: TFunction, i18next: i18n): string | null {
  const vars = text.vars ?? {};
  // A key with plural forms only exists for i18next together with its count.
  if (!i18next.exists(text.key, { count: vars.count })) return null;
  // Every key of the union is a sentence; i18next's types cannot narrow a union key to that.
  const sentence = t(text.key, {
    code: vars.code,
    status: vars.status,
    cause: vars.cause ? t(`sendError.${vars.cause}`) : '',
    megabytes: vars.megabytes,
    username: vars.username,
    shortcut: vars.shortcut,
    domain: vars.domain,
    seconds: vars.seconds,
    names: vars.names,
    count: vars.count,
  }) as string;
  return vars.metaWords
    ? `${sentence} ${t('delivery.instagramSaid', { words: vars.metaWords })}`
    : sentence;
}
