import type { i18n, TFunction } from 'i18next';
import type { LocalizedText } from '../../../shared/domain/localized-text';

/**
 * Main's sentence in the owner's language: the catalogue entry of its
 * key with its variables, a `cause` (itself a send-error key) translated too, and Instagram's own
 * words after it, untranslated. A third party's `technical` words are not part of the sentence: the
 * caller shows them apart (LocalizedDetail). Null when this build's catalogue has no such key: the caller then
 * shows main's English text instead.
 */
export function localize(text: LocalizedText, t: TFunction, i18next: i18n): string | null {
  if (!i18next.exists(text.key)) return null;
  const vars = text.vars ?? {};
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
  }) as string;
  return vars.metaWords
    ? `${sentence} ${t('delivery.instagramSaid', { words: vars.metaWords })}`
    : sentence;
}
