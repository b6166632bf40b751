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
 * The OS's preferred languages as the page sees them (`navigator.languages`, which Electron and
 * Chromium fill from the OS), or the single `navigator.language` where the list is empty.
 */
export function preferredLanguages(nav: Pick<Navigator, 'languages' | 'language'>): string[] {
  const list = nav.languages.filter((tag) => tag !== '');
  if (list.length > 0) return list;
  return nav.language === '' ? [] : [nav.language];
}

/**
 * The first of the OS's preferred languages Inlet speaks: exact tag first (pt-BR), then the same
 * base language (pt, pt-PT → pt-BR; es-MX → es; de-AT → de); English when none matches.
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

/**
 * Keeps `<html lang>` on the UI language, so screen readers pronounce it right and the browser
 * hyphenates and picks quotes for it. Returns the unsubscribe.
 */
export function syncDocumentLanguage(instance: i18n, doc: Document = document): () => void {
  const apply = () => {
    doc.documentElement.lang = instance.resolvedLanguage ?? instance.language;
  };
  apply();
  instance.on('languageChanged', apply);
  return () => instance.off('languageChanged', apply);
}
