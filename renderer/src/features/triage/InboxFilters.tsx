import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { INBOX_VIEWS, labelsInUse } from '../../store/triage';
import { useApp } from '../../store/use-app';

/** Which pile of conversations the list shows, and optionally one label. */
export function InboxFilters() {
  const { t } = useTranslation();
  const filter = useApp((state) => state.inboxFilter);
  const setFilter = useApp((state) => state.setInboxFilter);
  const labels = useApp(useShallow((state) => labelsInUse(state.triageById)));

  return (
    <div className="inbox-filters">
      <div className="inbox-filters__views" role="group" aria-label={t('triage.views')}>
        {INBOX_VIEWS.map((view) => (
          <button
            key={view}
            type="button"
            className="chip"
            aria-pressed={filter.view === view}
            data-view={view}
            onClick={() => setFilter({ view })}
          >
            {t(`triage.view.${view}`)}
          </button>
        ))}
      </div>
      {(labels.length > 0 || filter.label !== null) && (
        <label className="inbox-filters__label">
          <span>{t('triage.labelFilter')}</span>
          <select
            value={filter.label ?? ''}
            onChange={(event) => setFilter({ label: event.target.value || null })}
          >
            <option value="">{t('triage.anyLabel')}</option>
            {labels.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
