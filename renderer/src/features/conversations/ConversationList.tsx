import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import { InboxFilters } from '../triage/InboxFilters';
import { useVisibleConversations } from '../triage/use-visible-conversations';
import { ConversationRow } from './ConversationRow';

export function ConversationList() {
  const { t } = useTranslation();
  const order = useVisibleConversations();
  const total = useApp((state) => state.conversationOrder.length);
  const hasMore = useApp((state) => state.conversationsCursor !== null);
  const isLoadingMore = useApp((state) => state.isLoadingMoreConversations);
  const loadMore = useApp((state) => state.loadMoreConversations);

  return (
    <nav className="conversation-list" aria-labelledby="conversation-list-title">
      <h2 id="conversation-list-title" className="pane-title">
        {t('conversations.title')}
      </h2>
      <InboxFilters />
      {total === 0 ? (
        <div className="empty-state">
          <p className="empty-state__title">{t('conversations.empty')}</p>
          <p className="empty-state__hint">{t('conversations.emptyHint')}</p>
        </div>
      ) : order.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state__title">{t('triage.nothingHere')}</p>
        </div>
      ) : (
        <ul className="conversation-list__items" onKeyDown={moveFocusWithArrows}>
          {order.map((id) => (
            <li key={id}>
              <ConversationRow id={id} />
            </li>
          ))}
        </ul>
      )}
      {hasMore && (
        <button
          type="button"
          className="button button--quiet conversation-list__more"
          disabled={isLoadingMore}
          onClick={() => void loadMore()}
        >
          {isLoadingMore ? t('conversations.loadingMore') : t('conversations.loadMore')}
        </button>
      )}
    </nav>
  );
}

/** Up/Down/Home/End move focus between rows; Enter or Space opens the focused one. */
function moveFocusWithArrows(event: KeyboardEvent<HTMLUListElement>): void {
  const rows = Array.from(
    event.currentTarget.querySelectorAll<HTMLButtonElement>('[data-testid="conversation"]'),
  );
  const current = rows.indexOf(document.activeElement as HTMLButtonElement);
  const last = rows.length - 1;
  const target =
    event.key === 'ArrowDown'
      ? Math.min(current + 1, last)
      : event.key === 'ArrowUp'
        ? Math.max(current - 1, 0)
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? last
            : null;
  if (target === null || current === -1) return;
  event.preventDefault();
  rows[target]?.focus();
}
