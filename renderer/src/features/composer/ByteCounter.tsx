import { useTranslation } from 'react-i18next';
import { MAX_TEXT_BYTES } from '../../../../shared/domain/message-text';

/**
 * Instagram's limit is 1000 bytes of UTF-8 (emoji and accents count more than one), so every
 * reply box counts bytes, and says by how much a text is over. `id` is what the box's
 * aria-describedby points at.
 */
export function ByteCounter({ id, used }: { id: string; used: number }) {
  const { t } = useTranslation();
  const isOver = used > MAX_TEXT_BYTES;
  return (
    <p id={id} className={isOver ? 'composer__counter is-over' : 'composer__counter'}>
      <span>{t('composer.bytes', { used, max: MAX_TEXT_BYTES })}</span>
      {isOver && (
        <span> {t('composer.tooLong', { over: used - MAX_TEXT_BYTES, max: MAX_TEXT_BYTES })}</span>
      )}
    </p>
  );
}
