import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/use-app';
import { layoutFallbacks } from '../../lib/layout-fallbacks';
import { SearchField } from '../search/SearchField';
import { InboxFilters } from '../triage/InboxFilters';
import { useVisibleConversations } from '../triage/use-visible-conversations';
import { ConversationRow } from './ConversationRow';

/** A row's height before it is measured (name, preview, window count-down); labels add a line. */
const ESTIMATED_ROW_PX = 76;
/** Rows kept rendered beyond the viewport: arrow keys always find their neighbour in the DOM. */
const OVERSCAN = 8;

/**
 * Only the rows in view (plus a margin) are in the DOM, so ten thousand conversations scroll like
 * ten. Each row is measured once rendered; a row subscribes to its own conversation only.
 */
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
      <SearchField />
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
        <ConversationScroller order={order} />
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

/**
 * The virtualized rows, apart from the list's header and filters: the virtualizer re-renders its
 * component on every scroll step, and that should cost the rows that move, nothing more.
 */
const ConversationScroller = memo(function ConversationScroller({ order }: { order: string[] }) {
  const hasMore = useApp((state) => state.conversationsCursor !== null);
  const isLoadingMore = useApp((state) => state.isLoadingMoreConversations);
  const loadMore = useApp((state) => state.loadMoreConversations);
  const selectedId = useApp((state) => state.selectedConversationId);
  const scrollRef = useRef<HTMLDivElement>(null);

  // The virtualizer is read afresh on every render and its functions never reach a memoized child,
  // so React Compiler skipping this component costs nothing.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN,
    getItemKey: (index) => order[index] ?? index,
    ...layoutFallbacks(ESTIMATED_ROW_PX),
  });

  // Scrolling near the end of what is loaded fetches the next page, so the list reads as one.
  // Only a scroll by the owner does: a short filtered view never pulls in the whole archive.
  const onScroll = () => {
    const element = scrollRef.current;
    if (element === null || !hasMore || isLoadingMore) return;
    const left = element.scrollHeight - element.scrollTop - element.clientHeight;
    if (left < OVERSCAN * ESTIMATED_ROW_PX) void loadMore();
  };

  // The open conversation stays in view (opened by search, a notification or j/k).
  const selectedIndex = selectedId === null ? -1 : order.indexOf(selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <div ref={scrollRef} className="conversation-list__scroller" onScroll={onScroll}>
      <ul
        className="conversation-list__items"
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={(event) => moveFocusWithArrows(event, virtualizer)}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const id = order[item.index];
          if (id === undefined) return null;
          return (
            <li
              key={id}
              ref={virtualizer.measureElement}
              data-index={item.index}
              aria-setsize={order.length}
              aria-posinset={item.index + 1}
              className="conversation-list__item"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <ConversationRow id={id} />
            </li>
          );
        })}
      </ul>
    </div>
  );
});

/**
 * Up/Down/Home/End move focus between rows; Enter or Space opens the focused one. A row outside
 * the rendered window is scrolled into view first, then focused once it is in the DOM.
 */
function moveFocusWithArrows(
  event: KeyboardEvent<HTMLUListElement>,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
): void {
  const list = event.currentTarget;
  const item = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('li');
  if (item === null || item === undefined || !list.contains(item)) return;
  const current = Number(item.dataset['index']);
  const last = virtualizer.options.count - 1;
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
  if (target === null || Number.isNaN(current)) return;
  event.preventDefault();
  const focusTarget = (): boolean => {
    const row = list.querySelector<HTMLButtonElement>(`li[data-index="${target}"] button`);
    row?.focus();
    return row !== null;
  };
  if (focusTarget()) return;
  virtualizer.scrollToIndex(target);
  requestAnimationFrame(() => void (focusTarget() || requestAnimationFrame(focusTarget)));
}
