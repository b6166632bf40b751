import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../shared/domain/localized-text';
import { localize } from '../i18n/localize';

/**
 * One of main's sentences: in the owner's language when main gave its key, otherwise main's English
 * text, marked as English for screen readers (an older row, a key this build does not know).
 */
export function LocalizedDetail({
  text,
  english,
}: {
  text: LocalizedText | null;
  english: string;
}) {
  const { t, i18n } = useTranslation();
  const said = text === null ? null : localize(text, t, i18n);
  return said !== null ? <>{said}</> : <span lang="en">{english}</span>;
}
