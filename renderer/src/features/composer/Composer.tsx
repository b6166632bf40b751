import { useId, useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { textRoom } from '../../../../shared/domain/message-text';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../lib/use-now';
import { sendableText } from '../../store/composer-slice';
import { replyWindowOf } from '../../store/sending-slice';
import { useApp } from '../../store/use-app';
import { useSavedReplyPicker } from '../replies/use-saved-reply-picker';
import { AttachButton } from './AttachButton';
import { AttachmentTray } from './AttachmentTray';
import { useStagedFiles } from './use-staged-files';
import { CharacterCounter } from './CharacterCounter';
import { ReplyTargetBar } from './ReplyTargetBar';
import { ReplyWindowNotice } from './ReplyWindowNotice';
import { SavedRepliesButton } from './SavedRepliesButton';

/**
 * The reply box; a character count appears near Instagram's limit. Files picked, dropped or
 * pasted wait in a tray with captions until the owner sends (Enter) or cancels (Escape).
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
  const sendFile = useApp((state) => state.sendFile);
  const tray = useStagedFiles();
  const [isDropTarget, setDropTarget] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  // The 24-hour window (and Human Agent), typing indicator.
  const conversation = useApp((state) => state.conversationsById[conversationId]);
  const humanAgent = useApp((state) => state.humanAgentChoices[conversationId] === true);
  const noteTyping = useApp((state) => state.noteTyping);
  const now = useNow();
  const window = conversation === undefined ? 'open' : replyWindowOf(conversation, now);
  const isBlocked = window === 'closed' || (window === 'human-agent' && !humanAgent);

  const isOver = textRoom(draft.trim()).state === 'over';
  const hasCaptionOver = tray.files.some((item) => textRoom(item.caption.trim()).state === 'over');
  const hasText = sendableText(draft) !== null;
  const canSend =
    !isBlocked &&
    !hasCaptionOver &&
    (tray.files.length > 0 ? draft.trim() === '' || hasText : hasText);
  const picker = useSavedReplyPicker(conversationId, draft, (text) =>
    setDraft(conversationId, text),
  );

  function send(): void {
    if (!canSend) return;
    onSend?.();
    const staged = tray.take();
    // One after another, so the files, their captions and then the text arrive in this order.
    void (async () => {
      for (const item of staged) await sendFile(conversationId, item.file, item.caption);
      if (hasText) await sendDraft(conversationId);
    })();
  }

  function cancelTray(): void {
    tray.take();
    inputRef.current?.focus();
  }

  /** Enter sends, Shift+Enter adds a line, Escape drops the staged files. */
  function onComposerKey(event: KeyboardEvent<HTMLElement>): void {
    if (event.key === 'Escape' && tray.files.length > 0) {
      event.preventDefault();
      event.stopPropagation();
      cancelTray();
      return;
    }
    // Enter while an IME is composing confirms the composition, it must not send half a word.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  function onDragOver(event: DragEvent<HTMLFormElement>): void {
    if (isBlocked || !event.dataTransfer.types.includes('Files')) return;
    event.preventDefault(); // accepts the drop
    setDropTarget(true);
  }

  function onDrop(event: DragEvent<HTMLFormElement>): void {
    setDropTarget(false);
    if (isBlocked || event.dataTransfer.files.length === 0) return;
    event.preventDefault(); // the browser would otherwise open the file in place of the app
    tray.add(Array.from(event.dataTransfer.files));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (picker.onKeyDown(event)) return;
    onComposerKey(event);
  }

  return (
    <form
      className={isDropTarget ? 'composer is-drop-target' : 'composer'}
      onSubmit={onSubmit}
      onDragOver={onDragOver}
      onDragLeave={() => setDropTarget(false)}
      onDrop={onDrop}
    >
      {sendError !== undefined && (
        <ErrorMessage title={t('composer.sendFailed')} error={sendError} />
      )}
      {window !== 'open' && <ReplyWindowNotice conversationId={conversationId} window={window} />}
      <ReplyTargetBar conversationId={conversationId} />
      <AttachmentTray
        files={tray.files}
        refusals={tray.refusals}
        onCaption={tray.setCaption}
        onRemove={tray.remove}
        onKeyDown={onComposerKey}
      />
      <label htmlFor={inputId} className="visually-hidden">
        {t('composer.label')}
      </label>
      {picker.element}
      <div className="composer__row">
        <textarea
          id={inputId}
          ref={inputRef}
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
          onPaste={(event) => {
            const files = Array.from(event.clipboardData.files);
            if (files.length === 0 || isBlocked) return;
            event.preventDefault(); // a pasted picture is attached, not its file name typed
            tray.add(files);
          }}
        />
        <AttachButton disabled={isBlocked} onPick={tray.add} />
        <SavedRepliesButton
          isOpen={picker.isOpen}
          listId={picker.listId}
          onOpen={() => {
            picker.open();
            inputRef.current?.focus();
          }}
        />
        <button type="submit" className="button button--primary" disabled={!canSend}>
          {t('composer.send')}
        </button>
      </div>
      <CharacterCounter id={counterId} text={draft.trim()} />
    </form>
  );
}
