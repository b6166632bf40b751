import { Paperclip } from 'lucide-react';
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'react-aria-components';
import { Tooltip } from '../../components/Tooltip';

/**
 * The formats Instagram accepts (docs/platform.md#text-limits); the tray and main check type and
 * size again.
 */
const ACCEPT =
  'image/png,image/jpeg,image/gif,video/mp4,video/ogg,video/x-msvideo,video/quicktime,video/webm,audio/aac,audio/mp4,audio/mpeg,audio/wav,audio/x-m4a,application/pdf';

/**
 * Picks files from disk for the attachment tray; nothing is sent until the owner sends. An icon
 * button (DESIGN.md's composer: Send is the one button with words); its name is visually hidden
 * text, not aria-label, so the file field stays the one control labelled "Attach a file".
 */
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
      <Tooltip label={t('sending.attach')}>
        <Button
          className="icon-button composer__attach"
          isDisabled={disabled}
          onPress={() => input.current?.click()}
        >
          <Paperclip size={20} strokeWidth={1.5} aria-hidden="true" />
          <span className="visually-hidden">{t('sending.attach')}</span>
        </Button>
      </Tooltip>
    </>
  );
}
