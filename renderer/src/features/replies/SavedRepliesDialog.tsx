import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedReply } from '../../../../shared/ipc/replies-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ModalSheet } from '../../components/ModalSheet';
import { useApp } from '../../store/use-app';

/** Create, edit and delete saved replies. */
export function SavedRepliesDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const replies = useApp((state) => state.savedReplies);
  const error = useApp((state) => state.repliesError);
  const save = useApp((state) => state.saveReply);
  const remove = useApp((state) => state.deleteReply);
  const [editing, setEditing] = useState<SavedReply | null>(null);
  const [shortcut, setShortcut] = useState('');
  const [body, setBody] = useState('');
  const firstRef = useRef<HTMLInputElement>(null);

  const edit = (reply: SavedReply | null) => {
    setEditing(reply);
    setShortcut(reply?.shortcut ?? '');
    setBody(reply?.body ?? '');
    firstRef.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await save({
      ...(editing === null ? {} : { id: editing.id }),
      shortcut: shortcut.trim(),
      body,
    });
    if (ok) edit(null);
  };

  return (
    <ModalSheet
      titleId="replies-title"
      title={t('replies.title')}
      className="replies-dialog"
      initialFocus={firstRef}
      onClose={onClose}
    >
      <p className="customer-panel__hint">{t('replies.hint')}</p>
      {replies.length > 0 && (
        <ul className="replies-dialog__list">
          {replies.map((reply) => (
            <li key={reply.id} className="replies-dialog__item" data-testid="saved-reply">
              <span className="reply-picker__shortcut">/{reply.shortcut}</span>
              <span className="reply-picker__body">{reply.body}</span>
              <button
                type="button"
                className="button button--small"
                aria-label={t('replies.editOne', { shortcut: reply.shortcut })}
                onClick={() => edit(reply)}
              >
                {t('replies.edit')}
              </button>
              <button
                type="button"
                className="button button--small"
                aria-label={t('replies.deleteOne', { shortcut: reply.shortcut })}
                onClick={() => {
                  if (editing?.id === reply.id) edit(null);
                  void remove(reply.id);
                }}
              >
                {t('replies.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="replies-dialog__form" onSubmit={(event) => void submit(event)}>
        <label className="customer-panel__heading" htmlFor="reply-shortcut">
          {t('replies.shortcut')}
        </label>
        <input
          id="reply-shortcut"
          ref={firstRef}
          className="input"
          value={shortcut}
          maxLength={40}
          onChange={(event) => setShortcut(event.target.value)}
        />
        <label className="customer-panel__heading" htmlFor="reply-body">
          {t('replies.body')}
        </label>
        <textarea
          id="reply-body"
          className="input customer-panel__note"
          aria-describedby="reply-body-hint"
          rows={4}
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
        <p id="reply-body-hint" className="customer-panel__hint">
          {t('replies.variables')}
        </p>
        {error !== null && <ErrorMessage title={t('replies.failed')} error={error} />}
        <div className="customer-panel__row">
          <button
            type="submit"
            className="button button--primary"
            disabled={shortcut.trim() === '' || body.trim() === ''}
          >
            {editing === null ? t('replies.create') : t('replies.update')}
          </button>
          {editing !== null && (
            <button type="button" className="button" onClick={() => edit(null)}>
              {t('replies.cancelEdit')}
            </button>
          )}
          <button type="button" className="button button--quiet" onClick={onClose}>
            {t('shortcuts.close')}
          </button>
        </div>
      </form>
    </ModalSheet>
  );
}
