import {
  defaultRangeExtractor,
  useVirtualizer,
  type Range,
  type Virtualizer,
} from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
  type RefObject,
  type UIEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { formatDayLabel } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useNow } from '../../lib/use-now';
import { EMPTY_THREAD } from '../../store/transitions';
import { useApp } from '../../store/use-app';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SkeletonBubbles } from '../../components/Skeleton';
import { layoutFallbacks } from '../../lib/layout-fallbacks';
import { logRows, type LogRow } from './day-groups';
import {
  NEAR_BOTTOM_PX,
  countAfter,
  isNearBottom,
  isNearTop,
  newestMark,
  type NewestMark,
} from './follow';
import { MessageBubble } from './MessageBubble';
import { lastOutgoingId, lastSeenOutgoingId } from './seen';

/** A row's height before it is measured: a one-line bubble with its time underneath. */
const ESTIMATED_ROW_PX = 64;
/** Rows kept rendered beyond the viewport, so ↑/↓ usually find their neighbour in the DOM. */
const OVERSCAN = 10;
/** The log's padding above the first and below the last row (the rows are positioned inside). */
const EDGE_PADDING_PX = 16;
/** How long a message found by search stays highlighted: long enough to spot it, then calm. */
export const HIGHLIGHT_MS = 2500;

/**
 * The thread's messages, oldest first, with day separators. Only the rows in view (plus a margin)
 * are in the DOM; each is measured once rendered and again when it changes size (an image
 * loading). The virtualizer anchors to the end: at the bottom it follows new messages and growing
 * rows; scrolled up it leaves the view alone, and a page of older messages prepends above without
 * moving it. Scrolled up, messages that arrive below are counted on a "N new messages" pill
 * instead; near the top, the next page of older messages loads by itself.
 */
export type MessageLogHandle = {
  /** The owner sent something: show the newest message, wherever they had scrolled to. */
  scrollToNewest: () => void;
};

export function MessageLog({
  conversationId,
  ref,
}: {
  conversationId: string;
  ref?: Ref<MessageLogHandle>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const thread = useApp((state) => state.threads[conversationId] ?? EMPTY_THREAD);
  const loadThread = useApp((state) => state.loadThread);
  const loadOlder = useApp((state) => state.loadOlderMessages);
  const logRef = useRef<HTMLDivElement>(null);
  const { messageIds, messagesById } = thread;
  const hasOlder = thread.olderCursor !== null;
  const rows = useMemo(
    () => logRows(messageIds, messagesById, hasOlder),
    [messageIds, messagesById, hasOlder],
  );
  const seenId = useMemo(
    () => lastSeenOutgoingId(messageIds, messagesById),
    [messageIds, messagesById],
  );
  const lastOutId = useMemo(
    () => lastOutgoingId(messageIds, messagesById),
    [messageIds, messagesById],
  );

  // The day label at or above the top of the view stays rendered (it is sticky), and so does the
  // newest row: role=log announces a new message as it enters the DOM, wherever the reader is.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = new Set(defaultRangeExtractor(range));
      for (let index = Math.min(range.startIndex, rows.length - 1); index >= 0; index -= 1) {
        if (rows[index]?.kind === 'day') {
          indexes.add(index);
          break;
        }
      }
      if (range.count > 0) indexes.add(range.count - 1);
      return [...indexes].sort((a, b) => a - b);
    },
    [rows],
  );

  // The virtualizer is read afresh on every render and its functions never reach a memoized child,
  // so React Compiler skipping this component costs nothing.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => logRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN,
    paddingStart: EDGE_PADDING_PX,
    paddingEnd: EDGE_PADDING_PX,
    getItemKey: (index) => rows[index]?.key ?? index,
    rangeExtractor,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: NEAR_BOTTOM_PX,
    ...layoutFallbacks(ESTIMATED_ROW_PX),
  });

  // A conversation opens at its newest message (the log is keyed by conversation).
  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // A page of older messages lands above the view: the message at the top of the view stays where
  // it was. The virtualizer's own anchor can be the "load older" button or a day label, which move
  // to the new top, so the anchor here is always a message, remembered after every render: first
  // by the measured offsets, then (rows above get measured as they render) by where it really is.
  const viewAnchor = useRef<{ id: string; offset: number } | null>(null);
  const settleFrame = useRef(0);
  const firstMessageId = messageIds[0];
  useLayoutEffect(() => {
    const anchor = viewAnchor.current;
    if (anchor === null) return;
    const index = rows.findIndex((row) => row.kind === 'message' && row.key === anchor.id);
    // getTotalSize refreshes the starts with the sizes measured during this commit.
    virtualizer.getTotalSize();
    const item = virtualizer.measurementsCache[index];
    if (item === undefined) return;
    virtualizer.scrollToOffset(item.start + messageTopInRow(logRef.current, index) - anchor.offset);
    let frames = 0;
    const settle = (): void => {
      const offset = offsetInLog(logRef.current, index);
      const current = virtualizer.scrollOffset ?? 0;
      if (offset !== null && Math.abs(offset - anchor.offset) > 0.5) {
        virtualizer.scrollToOffset(current + offset - anchor.offset);
      }
      frames += 1;
      if (frames < 4) settleFrame.current = requestAnimationFrame(settle);
    };
    settleFrame.current = requestAnimationFrame(settle);
    return () => cancelAnimationFrame(settleFrame.current);
    // Only a new first message moves the rows above the view; later renders are the reader's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstMessageId]);
  // After every render and every scroll: a scroll that changes nothing else renders nothing, and
  // the page landing must keep the view where the reader left it, not where the last render was.
  const rememberAnchor = (): void => {
    const top = logRef.current?.scrollTop ?? virtualizer.scrollOffset ?? 0;
    const item = virtualizer
      .getVirtualItems()
      .find((candidate) => rows[candidate.index]?.kind === 'message' && candidate.end > top);
    const offset = item === undefined ? null : offsetInLog(logRef.current, item.index);
    viewAnchor.current =
      item === undefined ? null : { id: String(item.key), offset: offset ?? item.start - top };
  };
  useLayoutEffect(rememberAnchor);

  // Null while the reader is at the bottom (following the newest message); once they scroll up,
  // where the thread ended then: what sorts after it arrived since, and the pill counts it.
  const [away, setAway] = useState<{ mark: NewestMark | null } | null>(null);
  const newCount = away === null ? 0 : countAfter(messageIds, messagesById, away.mark);
  const scrollToNewest = useCallback(() => {
    virtualizer.scrollToEnd();
    setAway(null);
  }, [virtualizer]);
  useImperativeHandle(ref, () => ({ scrollToNewest }), [scrollToNewest]);

  // One automatic load per visit to the top: armed by being away from it (which the opening
  // scroll to the newest message is, unless the thread is too short to scroll: the button is in
  // view then) or by a page landing (a short page can leave the view near the top); not by a
  // failed load, which would otherwise be retried on every scroll event. The button stays.
  const isAutoLoadArmed = useRef(false);
  const armedForFirstId = useRef(firstMessageId);
  useEffect(() => {
    if (armedForFirstId.current === firstMessageId) return;
    armedForFirstId.current = firstMessageId;
    isAutoLoadArmed.current = true;
  }, [firstMessageId]);

  function onScroll(event: UIEvent<HTMLDivElement>): void {
    const log = event.currentTarget;
    rememberAnchor();
    if (isNearBottom(log)) setAway(null);
    else setAway((current) => current ?? { mark: newestMark(messageIds, messagesById) });
    if (!isNearTop(log)) {
      isAutoLoadArmed.current = true;
    } else if (isAutoLoadArmed.current && hasOlder && !thread.isLoadingOlder) {
      isAutoLoadArmed.current = false;
      void loadOlder(conversationId);
    }
  }

  // A message picked in search (loaded by then, maybe far from the view) is scrolled in, then
  // focused once its row is in the DOM.
  const focusedId = useApp((state) => state.focusedMessageId);
  const clearFocusedMessage = useApp((state) => state.clearFocusedMessage);
  const focusedIndex =
    focusedId === null
      ? -1
      : rows.findIndex((row) => row.kind === 'message' && row.key === focusedId);
  useEffect(() => {
    if (focusedIndex < 0) return;
    // A search jump loads older pages first: the jump wins over keeping the old view.
    cancelAnimationFrame(settleFrame.current);
    return focusRow(logRef, virtualizer, focusedIndex, 'center');
  }, [focusedIndex, virtualizer]);
  // The bubble is highlighted while it is the focused message; then only the focus stays on it.
  useEffect(() => {
    if (focusedId === null) return;
    const timer = setTimeout(clearFocusedMessage, HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [focusedId, clearFocusedMessage]);

  // The day label whose day the top of the view is in sticks there, as the labels did unvirtualized.
  const top = virtualizer.scrollOffset ?? 0;
  const activeDayIndex = virtualizer
    .getVirtualItems()
    .findLast((item) => item.start <= top && rows[item.index]?.kind === 'day')?.index;

  const isEmpty = messageIds.length === 0;
  return (
    <div className="message-log-frame">
      <div
        ref={logRef}
        className="message-log"
        role="log"
        aria-label={t('thread.messages')}
        aria-busy={thread.load.phase === 'loading'}
        // Focusable so keyboard users can scroll the history.
        tabIndex={0}
        onKeyDown={(event) => moveBetweenMessages(event, rows, virtualizer)}
        onScroll={onScroll}
      >
        <div className="message-log__rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            const isSticky = item.index === activeDayIndex;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={`message-log__row${isSticky ? ' message-log__row--sticky' : ''}`}
                style={isSticky ? undefined : { transform: `translateY(${item.start}px)` }}
              >
                {renderRow(row)}
              </div>
            );
          })}
        </div>
        {isEmpty && thread.load.phase === 'loading' && (
          <>
            <p className="visually-hidden">{t('thread.loading')}</p>
            <SkeletonBubbles />
          </>
        )}
        {isEmpty && thread.load.phase === 'ready' && (
          <p className="message-log__note">{t('thread.empty')}</p>
        )}
        {thread.load.phase === 'error' && (
          <div className="message-log__note">
            <ErrorMessage title={t('thread.loadFailed')} error={thread.load.error} />
            <button
              type="button"
              className="button"
              onClick={() => void loadThread(conversationId)}
            >
              {t('app.retry')}
            </button>
          </div>
        )}
      </div>
      {/* Always in the DOM, so screen readers notice the pill appearing and its count changing. */}
      <div className="message-log__pill-slot" aria-live="polite">
        {newCount > 0 && (
          <button
            type="button"
            className="button button--primary message-log__pill"
            onClick={() => {
              scrollToNewest();
              // The pill goes away under the focus: keep it in the thread, not on the page.
              logRef.current?.focus({ preventScroll: true });
            }}
          >
            {t('thread.newMessages', { count: newCount })} <span aria-hidden="true">↓</span>
          </button>
        )}
      </div>
    </div>
  );

  function renderRow(row: LogRow) {
    switch (row.kind) {
      case 'older':
        return (
          <button
            type="button"
            className="button button--quiet message-log__older"
            disabled={thread.isLoadingOlder}
            onClick={() => void loadOlder(conversationId)}
          >
            {thread.isLoadingOlder ? t('thread.loadingOlder') : t('thread.loadOlder')}
          </button>
        );
      case 'day':
        return <h3 className="day__label">{formatDayLabel(row.at, now, locale)}</h3>;
      case 'message':
        return (
          <MessageBubble
            conversationId={conversationId}
            id={row.key}
            isSeenMarker={row.key === seenId}
            isLatestOutgoing={row.key === lastOutId}
            runPosition={row.run}
          />
        );
    }
  }
}

/**
 * How far below the top of the log's view a rendered message is (null when it is not rendered).
 * The message, not its row: when a page lands and the message joins a run with the one above it,
 * it moves up inside its row (runs are drawn tighter), and it is the message the reader follows.
 */
function offsetInLog(log: HTMLElement | null, index: number): number | null {
  const row = log?.querySelector(`[data-index="${index}"]`);
  if (log === null || row === null || row === undefined) return null;
  const view = log.getBoundingClientRect();
  // Without layout (a hidden pane) there is no position to keep.
  if (view.height === 0) return null;
  const message = row.querySelector('[data-message-id]') ?? row;
  return message.getBoundingClientRect().top - view.top;
}

/** Where a rendered row's message starts inside the row (0 when not rendered or not laid out). */
function messageTopInRow(log: HTMLElement | null, index: number): number {
  const row = log?.querySelector(`[data-index="${index}"]`);
  const message = row?.querySelector('[data-message-id]');
  if (row === null || row === undefined || message === null || message === undefined) return 0;
  return message.getBoundingClientRect().top - row.getBoundingClientRect().top;
}

/**
 * Scrolls a row into view and focuses its message once it is in the DOM (the virtualizer renders
 * it on the next frame or two). Returns a cancel for effects.
 *
 * Search (`center`) always scrolls through the virtualizer: its command replaces one still
 * settling, such as the opening scroll to the newest message, which would otherwise pull the view
 * back to the bottom a few frames later, and it keeps the row centred while rows are measured.
 * Arrow keys (`auto`) only nudge a rendered row into view.
 */
function focusRow(
  logRef: RefObject<HTMLDivElement | null>,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  index: number,
  align: 'center' | 'auto',
): () => void {
  let frame = 0;
  let attempts = 0;
  const tryFocus = (): void => {
    const element = logRef.current?.querySelector<HTMLElement>(
      `[data-index="${index}"] [data-message-id]`,
    );
    if (element !== null && element !== undefined) {
      if (align === 'auto') element.scrollIntoView({ block: 'nearest' });
      element.focus({ preventScroll: true });
      return;
    }
    attempts += 1;
    if (attempts <= 10) frame = requestAnimationFrame(tryFocus);
  };
  if (align === 'center' || logRef.current?.querySelector(`[data-index="${index}"]`) === null) {
    virtualizer.scrollToIndex(index, { align });
  }
  tryFocus();
  return () => cancelAnimationFrame(frame);
}

/**
 * ↑/↓ (or k/j) move focus from message to message inside the log; Home/End jump to the ends. The
 * next message may be outside the rendered window: it is scrolled in first, then focused.
 */
function moveBetweenMessages(
  event: KeyboardEvent<HTMLDivElement>,
  rows: readonly LogRow[],
  virtualizer: Virtualizer<HTMLDivElement, Element>,
): void {
  const keys: Record<string, number> = { ArrowUp: -1, k: -1, ArrowDown: 1, j: 1 };
  const isEnd = event.key === 'Home' || event.key === 'End';
  if (!(event.key in keys) && !isEnd) return;
  const messageIndexes = rows.flatMap((row, index) =>
    row.kind === 'message' && !row.isGap ? [index] : [],
  );
  if (messageIndexes.length === 0) return;
  const active = document.activeElement as HTMLElement | null;
  const activeRow = active?.closest<HTMLElement>('[data-index]');
  const isOnMessage =
    active?.dataset['messageId'] !== undefined &&
    activeRow !== null &&
    activeRow !== undefined &&
    event.currentTarget.contains(activeRow);
  const current = isOnMessage ? messageIndexes.indexOf(Number(activeRow.dataset['index'])) : -1;
  const last = messageIndexes.length - 1;
  const target = isEnd
    ? event.key === 'Home'
      ? 0
      : last
    : current === -1
      ? last
      : Math.min(Math.max(current + (keys[event.key] ?? 0), 0), last);
  event.preventDefault();
  event.stopPropagation(); // j/k here mean messages, not conversations
  const log = event.currentTarget;
  focusRow({ current: log }, virtualizer, messageIndexes[target] ?? 0, 'auto');
}
