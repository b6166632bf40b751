import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../shared/domain/localized-text';
import { localize } from '../i18n/localize';

/**
 * One of main's sentences: in the owner's language when main gave its key, otherwise main's English
 * text, marked as English for screen readers (an older row, a key this build does not know). A
 * `technical` variable (ngrok's own words) follows the sentence in parentheses, marked as English.
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
  if (said === null) return <span lang="en">{english}</span>;
  const technical = text?.vars?.technical;
  return (
    <>
      {said}
      {technical !== undefined && (
        // A third party's own English words (ngrok's error): apart from the sentence, never it.
        <span className="technical-detail">
          {' '}
          ({t('app.technicalDetail')} <span lang="en">{technical}</span>)
        </span>
      )}
    </>
  );
}
