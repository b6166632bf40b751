import { useId, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { textRoom } from '../../../../shared/domain/message-text';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../lib/use-now';
import { sendableText } from '../../store/composer-slice';
import { replyWindowOf } from '../../store/sending-slice';
import { useApp } from '../../store/use-app';
import { useSavedReplyPicker } from '../replies/use-saved-reply-picker';
import { AttachButton } from './AttachButton';
import { CharacterCounter } from './CharacterCounter';
import { ReplyTargetBar } from './ReplyTargetBar';
import { ReplyWindowNotice } from './ReplyWindowNotice';

/**
 * The reply box; a character count appears near Instagram's limit.
 * `onSend` runs as a text or a file goes out (the thread scrolls to its newest message).
 */
export function Composer({
  conversationId,
  onSend,
}: {
  conversationId: string;
  onSend?: () => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const counterId = useId();
  const draft = useApp((state) => state.drafts[conversationId] ?? '');
  const sendError = useApp((state) => state.sendErrors[conversationId]);
  const setDraft = useApp((state) => state.setDraft);
  const sendDraft = useApp((state) => state.sendDraft);

  // The 24-hour window (and Human Agent), typing indicator.
  const conversation = useApp((state) => state.conversationsById[conversationId]);
  const humanAgent = useApp((state) => state.humanAgentChoices[conversationId] === true);
  const noteTyping = useApp((state) => state.noteTyping);
  const now = useNow();
  const window = conversation === undefined ? 'open' : replyWindowOf(conversation, now);
  const isBlocked = window === 'closed' || (window === 'human-agent' && !humanAgent);

  const isOver = textRoom(draft.trim()).state === 'over';
  const canSend = sendableText(draft) !== null && !isBlocked;
  const picker = useSavedReplyPicker(conversationId, draft, (text) =>
    setDraft(conversationId, text),
  );

  function send(): void {
    if (!canSend) return;
    onSend?.();
    void sendDraft(conversationId);
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
      {window !== 'open' && <ReplyWindowNotice conversationId={conversationId} window={window} />}
      <ReplyTargetBar conversationId={conversationId} />
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
          onChange={(event) => {
            setDraft(conversationId, event.target.value);
            if (!isBlocked) noteTyping(conversationId, event.target.value.trim() !== '');
          }}
          onKeyDown={onKeyDown}
        />
        <AttachButton conversationId={conversationId} disabled={isBlocked} onSend={onSend} />
        <button type="submit" className="button button--primary" disabled={!canSend}>
          {t('composer.send')}
        </button>
      </div>
      <CharacterCounter id={counterId} text={draft.trim()} />
    </form>
  );
}
