import { useTranslation } from 'react-i18next';
import type { UiError } from '../store/ui-error';
import { FailureReasonText } from './FailureReasonText';

/**
 * A failure in the owner's language: what went wrong (by code), then main's own detail when it
 * has one worth reading, translated from its key. The renderer's transport errors have no detail
 * beyond the code. Only a detail without a known key is main's English text, marked as such.
 */
export function ErrorMessage({ title, error }: { title: string; error: UiError }) {
  const { t } = useTranslation();
  const detail = error.code === 'DISCONNECTED' ? '' : error.message;
  return (
    <div className="error-message" role="alert">
      <p className="error-message__title">{title}</p>
      <p className="error-message__body">
        {t(`errors.${error.code}`)}
        {detail !== '' && detail !== t(`errors.${error.code}`) && (
          <>
            {' '}
            <FailureReasonText reason={{ text: detail, detail: error.detail ?? null }} />
          </>
        )}
      </p>
    </div>
  );
}
