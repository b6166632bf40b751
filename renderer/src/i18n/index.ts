import i18next, { type i18n } from 'i18next';
import type en from './en.json';

/**
 * Every `<language>.json` next to this file is a language: adding pt-BR, es or de is adding
 * `pt-BR.json` (same keys as en.json). English is the fallback for any missing key.
 */
const files = import.meta.glob<{ default: typeof en }>('./*.json', { eager: true });

export const FALLBACK_LANGUAGE = 'en';

const resources = Object.fromEntries(
  Object.entries(files).map(([path, file]) => [
    path.replace(/^\.\//, '').replace(/\.json$/, ''),
    { translation: file.default },
  ]),
);

export const SUPPORTED_LANGUAGES: readonly string[] = Object.keys(resources);

/**
 * The first of the OS's preferred languages Inlet speaks: exact tag first (pt-BR), then the same
 * base language (pt → pt-BR, de-AT → de).
 */
export function pickLanguage(
  preferred: readonly string[],
  supported: readonly string[] = SUPPORTED_LANGUAGES,
): string {
  const base = (tag: string) => tag.toLowerCase().split('-')[0];
  for (const wanted of preferred) {
    const exact = supported.find((tag) => tag.toLowerCase() === wanted.toLowerCase());
    if (exact !== undefined) return exact;
    const sameBase = supported.find((tag) => base(tag) === base(wanted));
    if (sameBase !== undefined) return sameBase;
  }
  return FALLBACK_LANGUAGE;
}

export function createI18n(language: string): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: language,
    fallbackLng: FALLBACK_LANGUAGE,
    // Resources are bundled, so init is synchronous and the first render is already translated.
    initAsync: false,
    // React escapes what it renders; escaping here too would show `&amp;` in messages.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
