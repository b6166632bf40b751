import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_LABELS, MAX_NOTE_LENGTH } from '../../../../shared/ipc/triage-contract';
import { Avatar } from '../../components/Avatar';
import { usePanes } from '../../lib/panes';
import { useApp } from '../../store/use-app';
import { customerNames } from '../conversations/customer-name';
import { ReplyWindow } from '../triage/ReplyWindow';

/** Who the open conversation is with, plus the owner's private labels and note about them. */
export function CustomerPanel() {
  const { t } = useTranslation();
  const conversation = useApp((state) =>
    state.selectedConversationId === null
      ? undefined
      : state.conversationsById[state.selectedConversationId],
  );
  const panes = usePanes();
  if (conversation === undefined) return null;
  const { primary, handle } = customerNames(conversation, t);
  return (
    <aside
      className="customer-panel"
      aria-labelledby="customer-panel-title"
      // As a drawer (narrow windows), Escape closes it like any floating layer.
      onKeyDown={(event) => {
        if (event.key === 'Escape' && panes.isCustomerOpen) panes.setCustomerOpen(false);
      }}
    >
      <h2 id="customer-panel-title" className="pane-title">
        {t('customer.title')}
      </h2>
      <div className="customer-panel__who">
        <Avatar
          name={primary}
          seed={conversation.customerId}
          src={conversation.customerPictureUrl}
        />
        <div>
          <p className="customer-panel__name" dir="auto">
            {primary}
          </p>
          {handle !== null && <p className="customer-panel__handle">{handle}</p>}
          <ReplyWindow conversation={conversation} />
        </div>
      </div>
      {/* Keyed: a half-typed note or label never carries over to another customer. */}
      <LabelEditor key={`labels-${conversation.id}`} conversationId={conversation.id} />
      <NoteEditor key={`note-${conversation.id}`} conversationId={conversation.id} />
    </aside>
  );
}

const NO_LABELS: readonly string[] = [];

function LabelEditor({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const labels = useApp((state) => state.triageById[conversationId]?.labels ?? NO_LABELS);
  const setLabels = useApp((state) => state.setLabels);
  const [draft, setDraft] = useState('');

  const add = (event: FormEvent) => {
    event.preventDefault();
    const label = draft.trim();
    if (label === '') return;
    setDraft('');
    void setLabels(conversationId, [...labels, label]);
  };

  return (
    <section className="customer-panel__section" aria-labelledby="labels-title">
      <h3 id="labels-title" className="customer-panel__heading">
        {t('customer.labels')}
      </h3>
      {labels.length > 0 && (
        <ul className="label-list">
          {labels.map((label) => (
            <li key={label} className="label">
              <span>{label}</span>
              <button
                type="button"
                className="label__remove"
                aria-label={t('customer.removeLabel', { label })}
                onClick={() =>
                  void setLabels(
                    conversationId,
                    labels.filter((other) => other !== label),
                  )
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {labels.length < MAX_LABELS && (
        <form className="label-form" onSubmit={add}>
          <label className="visually-hidden" htmlFor="new-label">
            {t('customer.newLabel')}
          </label>
          <input
            id="new-label"
            className="input"
            value={draft}
            maxLength={40}
            placeholder={t('customer.newLabel')}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="button" disabled={draft.trim() === ''}>
            {t('customer.addLabel')}
          </button>
        </form>
      )}
    </section>
  );
}

function NoteEditor({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const saved = useApp((state) => state.triageById[conversationId]?.note ?? '');
  const setNote = useApp((state) => state.setNote);
  const [draft, setDraft] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const text = draft ?? saved;
  const isDirty = draft !== null && draft !== saved;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    if (await setNote(conversationId, draft)) {
      setDraft(null);
      setJustSaved(true);
    }
  };

  return (
    <section className="customer-panel__section">
      <form onSubmit={(event) => void save(event)}>
        <label className="customer-panel__heading" htmlFor="customer-note">
          {t('customer.note')}
        </label>
        <p id="customer-note-hint" className="customer-panel__hint">
          {t('customer.noteHint')}
        </p>
        <textarea
          id="customer-note"
          className="input customer-panel__note"
          aria-describedby="customer-note-hint"
          rows={5}
          maxLength={MAX_NOTE_LENGTH}
          value={text}
          onChange={(event) => {
            setDraft(event.target.value);
            setJustSaved(false);
          }}
        />
        <div className="customer-panel__row">
          <button type="submit" className="button" disabled={!isDirty}>
            {t('customer.saveNote')}
          </button>
          <span role="status" className="customer-panel__hint">
            {justSaved ? t('customer.noteSaved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
