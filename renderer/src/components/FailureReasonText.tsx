import { useTranslation } from 'react-i18next';
import type { FailureReason } from '../../../shared/domain/failure-reason';
import { sayReason } from '../i18n/localize';

/**
 * One of main's reasons, wherever the renderer shows one: in the owner's language when main gave
 * its key, otherwise main's English text, marked as English for screen readers. A `technical`
 * variable (ngrok's own words) follows the sentence in parentheses, marked as English.
 */
export function FailureReasonText({ reason }: { reason: FailureReason }) {
  const { t, i18n } = useTranslation();
  const said = sayReason(reason, t, i18n);
  if (said === null) return null;
  if (said.inEnglish) return <span lang="en">{said.words}</span>;
  const technical = reason.detail?.vars?.technical;
  return (
    <>
      {said.words}
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
