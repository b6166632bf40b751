import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';

/**
 * The formats Instagram accepts (docs/platform.md#text-limits); main checks type and size again
 * before keeping it.
 */
const ACCEPT =
  'image/png,image/jpeg,image/gif,video/mp4,video/ogg,video/x-msvideo,video/quicktime,video/webm,audio/aac,audio/mp4,audio/mpeg,audio/wav,audio/x-m4a,application/pdf';

/** Picks a file from disk and sends it as its own message. */
export function AttachButton({
  conversationId,
  disabled,
  onSend,
}: {
  conversationId: string;
  disabled: boolean;
  onSend?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const sendFile = useApp((state) => state.sendFile);
  return (
    <>
      <label htmlFor={inputId} className="visually-hidden">
        {t('sending.attach')}
      </label>
      <input
        id={inputId}
        ref={input}
        type="file"
        className="visually-hidden"
        accept={ACCEPT}
        disabled={disabled}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = ''; // the same file can be picked again
          if (file === undefined) return;
          onSend?.();
          void sendFile(conversationId, file);
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
