import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { labelsInUse } from '../../store/triage';
import { useApp } from '../../store/use-app';

/**
 * The list's filters beside the rail's views: one label at a time, as chips on one line that
 * scrolls sideways rather than wrapping. Absent until a conversation has a label.
 */
export function InboxFilters() {
  const { t } = useTranslation();
  const chosen = useApp((state) => state.inboxFilter.label);
  const setFilter = useApp((state) => state.setInboxFilter);
  const labels = useApp(useShallow((state) => labelsInUse(state.triageById)));
  if (labels.length === 0 && chosen === null) return null;
  // A chosen label nobody has any more stays visible, so the owner can see why the list is empty.
  const shown = chosen === null || labels.includes(chosen) ? labels : [...labels, chosen];
  const chip = (label: string | null, text: string) => (
    <button
      key={label ?? ''}
      type="button"
      className="chip"
      aria-pressed={chosen === label}
      onClick={() => setFilter({ label })}
    >
      {text}
    </button>
  );
  return (
    <div className="inbox-filters" role="group" aria-label={t('triage.labelFilter')}>
      {chip(null, t('triage.anyLabel'))}
      {shown.map((label) => chip(label, label))}
    </div>
  );
}
