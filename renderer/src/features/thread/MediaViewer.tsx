import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ExternalLink } from '../../components/ExternalLink';
import { useApp } from '../../store/use-app';
import { attachmentKindName } from './attachment-kind';
import { galleryOf, type GalleryItem } from './media-gallery';
import { useOlderMedia } from './use-older-media';

/** Pictures left before the current one at which the viewer asks for the next older page. */
const PREFETCH_AT = 3;

/**
 * The open conversation's pictures and videos over the app, scaled to the window: a modal dialog
 * that takes focus, keeps Tab inside, moves with ←/→ (and the Previous/Next buttons), closes on
 * Esc, the Close button or a click outside, and hands focus back to what opened it. It opens on
 * `src`; media outside the loaded thread is shown alone. Stepping back past the thread's loaded
 * messages asks the archive for older pictures, and "n of m" counts the whole conversation.
 */
export function MediaViewer({
  src,
  original,
  label,
  onClose,
}: {
  src: string;
  /** Instagram's URL, opened in the browser; `src` may be Inlet's archived copy. */
  original: string | null;
  label: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const conversationId = useApp((state) => state.selectedConversationId);
  const thread = useApp((state) =>
    state.selectedConversationId === null ? undefined : state.threads[state.selectedConversationId],
  );
  const threadGallery = useMemo(() => galleryOf(thread), [thread]);
  // Where the thread's loaded messages begin, taken once: it cannot page back under the viewer.
  const [threadStart] = useState(() => thread?.olderCursor ?? null);
  const older = useOlderMedia(conversationId, threadStart);
  const gallery = useMemo(() => [...older.items, ...threadGallery], [older.items, threadGallery]);
  const [currentKey, setCurrentKey] = useState(
    () => threadGallery.find((item) => item.src === src)?.key ?? null,
  );
  const index = gallery.findIndex((item) => item.key === currentKey);
  const current: GalleryItem | { kind: 'image'; src: string; original: string | null } = gallery[
    index
  ] ?? { kind: 'image', src, original };
  // Older pictures not loaded yet still count, so the numbers hold from the start.
  const notLoaded = Math.max(0, (older.total ?? 0) - older.items.length);
  const count = index === -1 ? 1 : gallery.length + notLoaded;
  const position = index === -1 ? 0 : notLoaded + index;
  const name =
    count === 1
      ? label
      : t('viewer.itemLabel', {
          kind: attachmentKindName(current.kind, t),
          index: position + 1,
          count,
        });

  const { hasMore, loadMore } = older;
  useEffect(() => {
    if (index !== -1 && index < PREFETCH_AT && hasMore) loadMore();
  }, [index, hasMore, loadMore]);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => opener?.focus();
  }, []);

  function step(by: number): void {
    const next = gallery[index + by];
    if (index !== -1 && next !== undefined) setCurrentKey(next.key);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Tab') {
      keepFocusInside(event, dialogRef.current);
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      // A focused video keeps its own arrow keys (seeking).
      if (event.target instanceof HTMLMediaElement) return;
      event.preventDefault();
      step(event.key === 'ArrowLeft' ? -1 : 1);
    }
  }

  return createPortal(
    <div className="viewer" onClick={onClose}>
      <div
        ref={dialogRef}
        className="viewer__dialog"
        role="dialog"
        aria-modal="true"
        aria-label={name}
        // Focusable itself, so Esc and the arrows still reach it after a click on the image.
        tabIndex={-1}
        onKeyDown={onKeyDown}
        onClick={(event) => event.stopPropagation()}
      >
        {current.kind === 'video' ? (
          <video
            key={current.src}
            className="viewer__media"
            src={current.src}
            controls
            preload="metadata"
            aria-label={name}
          />
        ) : (
          <img
            key={current.src}
            className="viewer__media"
            src={current.src}
            alt={name}
            referrerPolicy="no-referrer"
          />
        )}
        <div className="viewer__actions">
          {count > 1 && (
            <>
              <button
                type="button"
                className="button"
                disabled={index <= 0}
                onClick={() => step(-1)}
              >
                {t('viewer.previous')}
              </button>
              <span className="viewer__position" aria-hidden="true">
                {t('viewer.position', { index: position + 1, count })}
              </span>
              <button
                type="button"
                className="button"
                disabled={position === count - 1}
                onClick={() => step(1)}
              >
                {t('viewer.next')}
              </button>
            </>
          )}
          {older.hasFailed && index === 0 && (
            <span className="viewer__position" role="status">
              {t('viewer.olderFailed')}
            </span>
          )}
          <ExternalLink className="button" href={current.original}>
            {t('viewer.openOriginal')}
          </ExternalLink>
          <button ref={closeRef} type="button" className="button" onClick={onClose}>
            {t('viewer.close')}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}

function keepFocusInside(event: KeyboardEvent, container: HTMLElement | null): void {
  if (container === null) return;
  const focusable = Array.from(
    container.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), video[controls]'),
  );
  const first = focusable[0];
  const last = focusable.at(-1);
  if (first === undefined || last === undefined) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
