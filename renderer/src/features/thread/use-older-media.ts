import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../../store/use-app';
import { galleryOfMessages, type GalleryItem } from './media-gallery';

export type OlderMedia = {
  /** Loaded so far, oldest first; all older than the thread's first message. */
  items: GalleryItem[];
  /** How many pictures and videos lie before the thread in all; null until the first answer. */
  total: number | null;
  /** More can be asked for (and nothing has failed). */
  hasMore: boolean;
  hasFailed: boolean;
  /** Asks for the next older page, unless one is on its way. */
  loadMore: () => void;
};

/**
 * The pictures and videos of the conversation older than what its thread has loaded (`before`,
 * the thread's older cursor; null when the thread reaches its start), a page at a time. The first
 * page is asked for at once, so the viewer can count them all.
 */
export function useOlderMedia(conversationId: string | null, before: string | null): OlderMedia {
  const listOlderMedia = useApp((state) => state.listOlderMedia);
  const [items, setItems] = useState<GalleryItem[]>([]);
  const [total, setTotal] = useState<number | null>(before === null ? 0 : null);
  const [cursor, setCursor] = useState<string | null>(before);
  const [hasFailed, setFailed] = useState(false);
  // A page on its way: asking again meanwhile would fetch the same page twice.
  const inFlight = useRef(false);
  // The viewer may close while a page is on its way: its answer is then dropped.
  const isMounted = useRef(true);
  useEffect(() => {
    isMounted.current = true;
    return () => {
      isMounted.current = false;
    };
  }, []);

  const hasMore = cursor !== null && conversationId !== null && !hasFailed;
  const loadMore = useCallback(() => {
    if (!hasMore || inFlight.current || cursor === null || conversationId === null) return;
    inFlight.current = true;
    listOlderMedia(conversationId, cursor).then(
      (page) => {
        if (!isMounted.current) return;
        // The first answer counts everything before the thread; later ones only what is left.
        setTotal((known) => known ?? page.total);
        setItems((loaded) => [...galleryOfMessages(page.messages), ...loaded]);
        setCursor(page.nextCursor);
        inFlight.current = false;
      },
      () => {
        if (!isMounted.current) return;
        // What is shown stays; the viewer says that older ones could not be reached.
        setFailed(true);
        inFlight.current = false;
      },
    );
  }, [hasMore, cursor, conversationId, listOlderMedia]);

  useEffect(() => {
    if (total === null) loadMore();
  }, [total, loadMore]);

  return { items, total, hasMore, hasFailed, loadMore };
}
