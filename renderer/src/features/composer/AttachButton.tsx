import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The formats Instagram accepts (docs/platform.md#text-limits); the tray and main check type and
 * size again.
 */
const ACCEPT =
  'image/png,image/jpeg,image/gif,video/mp4,video/ogg,video/x-msvideo,video/quicktime,video/webm,audio/aac,audio/mp4,audio/mpeg,audio/wav,audio/x-m4a,application/pdf';

/** Picks files from disk for the attachment tray; nothing is sent until the owner sends. */
export function AttachButton({
  disabled,
  onPick,
}: {
  disabled: boolean;
  onPick: (files: File[]) => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <label htmlFor={inputId} className="visually-hidden">
        {t('sending.attach')}
      </label>
      <input
        id={inputId}
        ref={input}
        type="file"
        multiple
        className="visually-hidden"
        accept={ACCEPT}
        disabled={disabled}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = ''; // the same file can be picked again
          if (files.length > 0) onPick(files);
        }}
      />
      <button
        type="button"
        className="button button--quiet"
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        {t('sending.attach')}
      </button>
    </>
  );
}
