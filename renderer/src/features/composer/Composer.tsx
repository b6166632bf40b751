import { useId, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TEXT_BYTES, utf8ByteLength } from '../../../../shared/domain/schemas';
import { ErrorMessage } from '../../components/ErrorMessage';
import { sendableText } from '../../store/composer-slice';
import { useApp } from '../../store/use-app';
import { useSavedReplyPicker } from '../replies/use-saved-reply-picker';

/** The reply box. Instagram's limit is 1000 bytes of UTF-8, so the counter counts bytes. */
export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const inputId = useId();
  const counterId = useId();
  const draft = useApp((state) => state.drafts[conversationId] ?? '');
  const sendError = useApp((state) => state.sendErrors[conversationId]);
  const setDraft = useApp((state) => state.setDraft);
  const sendDraft = useApp((state) => state.sendDraft);

  const used = utf8ByteLength(draft.trim());
  const isOver = used > MAX_TEXT_BYTES;
  const canSend = sendableText(draft) !== null;
  const picker = useSavedReplyPicker(conversationId, draft, (text) =>
    setDraft(conversationId, text),
  );

  function send(): void {
    if (canSend) void sendDraft(conversationId);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (picker.onKeyDown(event)) return;
    // Enter while an IME is composing confirms the composition, it must not send half a word.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      {sendError !== undefined && (
        <ErrorMessage title={t('composer.sendFailed')} error={sendError} />
      )}
      <label htmlFor={inputId} className="visually-hidden">
        {t('composer.label')}
      </label>
      {picker.element}
      <div className="composer__row">
        <textarea
          id={inputId}
          className="composer__input"
          rows={1}
          value={draft}
          placeholder={t('composer.placeholder')}
          aria-describedby={counterId}
          aria-invalid={isOver}
          {...picker.inputProps}
          onChange={(event) => setDraft(conversationId, event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button--primary" disabled={!canSend}>
          {t('composer.send')}
        </button>
      </div>
      <p id={counterId} className={isOver ? 'composer__counter is-over' : 'composer__counter'}>
        <span>{t('composer.bytes', { used, max: MAX_TEXT_BYTES })}</span>
        {isOver && (
          <span>
            {' '}
            {t('composer.tooLong', { over: used - MAX_TEXT_BYTES, max: MAX_TEXT_BYTES })}
          </span>
        )}
      </p>
    </form>
  );
}
