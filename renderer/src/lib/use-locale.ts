import { useTranslation } from 'react-i18next';

/** The UI language as a BCP 47 tag for `Intl`, so dates follow the language the UI speaks. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage ?? i18n.language;
}
