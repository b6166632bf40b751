import { useTranslation } from 'react-i18next';
import type { UiError } from '../store/ui-error';

/**
 * A failure in the owner's language: what went wrong (by code), then main's own detail when it
 * has one worth reading. The renderer's transport errors have no detail beyond the code. Main's
 * detail (and Instagram's, which it passes on) is English text, marked as such for screen readers.
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
            <span lang="en">{detail}</span>
          </>
        )}
      </p>
    </div>
  );
}
