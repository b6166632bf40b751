import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TEXT_BYTES, utf8ByteLength } from '../../../../shared/domain/message-text';
import type { Comment } from '../../../../shared/ipc/comments-contract';
import { Avatar } from '../../components/Avatar';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FailureReasonText } from '../../components/FailureReasonText';
import { RelativeTime } from '../../components/RelativeTime';
import { SkeletonRows } from '../../components/Skeleton';
import { useNow } from '../../lib/use-now';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useCommentsClient } from './comments-client';
import { CharacterCounter } from '../composer/CharacterCounter';
import { AccountOptions } from '../../components/AccountOptions';
import { PostPreview } from './PostPreview';

type Load =
  | { phase: 'loading' }
  | { phase: 'error'; error: UiError }
  | { phase: 'ready'; nextCursor: string | null; isLoadingMore: boolean };

/**
 * Comments on the business's posts and reels, per account, newest first. Each can get
 * one private reply within 7 days (docs/platform.md#private-replies); main enforces that and says
 * why when it cannot.
 */
export function CommentsView({ onOpenConversation }: { onOpenConversation: (id: string) => void }) {
  const { t } = useTranslation();
  const accounts = useApp((state) => state.status?.accounts ?? []);
  const [chosen, setChosen] = useState<string | null>(null);
  const accountId =
    accounts.find((account) => account.igUserId === chosen)?.igUserId ??
    accounts[0]?.igUserId ??
    null;
  const selectId = useId();

  return (
    <section className="comments" aria-labelledby={`${selectId}-title`}>
      <header className="comments__header">
        <h2 id={`${selectId}-title`} className="comments__title">
          {t('comments.title')}
        </h2>
        {accounts.length > 1 && (
          <label className="comments__account" htmlFor={selectId}>
            {t('comments.account')}{' '}
            <select
              id={selectId}
              value={accountId ?? ''}
              onChange={(event) => setChosen(event.target.value)}
            >
              <AccountOptions accounts={accounts} />
            </select>
          </label>
        )}
      </header>
      {accountId === null ? (
        <p className="comments__empty">{t('comments.noAccount')}</p>
      ) : (
        <CommentList
          key={accountId}
          accountId={accountId}
          onOpenConversation={onOpenConversation}
        />
      )}
    </section>
  );
}

function CommentList({
  accountId,
  onOpenConversation,
}: {
  accountId: string;
  onOpenConversation: (id: string) => void;
}) {
  const { t } = useTranslation();
  const client = useCommentsClient();
  const [comments, setComments] = useState<Comment[]>([]);
  const [load, setLoad] = useState<Load>({ phase: 'loading' });

  const fetchFirst = useCallback(() => {
    client.comments.list({ accountId }).then(
      (page) => {
        setComments((current) => merge(page.comments, current));
        setLoad({ phase: 'ready', nextCursor: page.nextCursor, isLoadingMore: false });
      },
      (error: unknown) => setLoad({ phase: 'error', error: toUiError(error) }),
    );
  }, [client, accountId]);

  useEffect(() => {
    // Subscribed before the first page loads, so a comment arriving meanwhile is not lost.
    const unsubscribe = client.on('comments:saved', (comment) => {
      if (comment.accountId === accountId) setComments((current) => merge([comment], current));
    });
    fetchFirst();
    return unsubscribe;
  }, [client, accountId, fetchFirst]);

  function retry(): void {
    setLoad({ phase: 'loading' });
    fetchFirst();
  }

  function loadOlder(cursor: string): void {
    setLoad({ phase: 'ready', nextCursor: cursor, isLoadingMore: true });
    client.comments.list({ accountId, cursor }).then(
      (page) => {
        setComments((current) => merge(page.comments, current));
        setLoad({ phase: 'ready', nextCursor: page.nextCursor, isLoadingMore: false });
      },
      (error: unknown) => setLoad({ phase: 'error', error: toUiError(error) }),
    );
  }

  return (
    <>
      {load.phase === 'error' && (
        <div className="comments__status">
          <ErrorMessage title={t('comments.loadFailed')} error={load.error} />
          <button type="button" className="button" onClick={retry}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {/* Skeleton rows where the comments will be (DESIGN.md's states), said in words to
          assistive technology. */}
      {load.phase === 'loading' && comments.length === 0 && (
        <div className="comments__loading" aria-busy="true">
          <p className="visually-hidden" role="status">
            {t('comments.loading')}
          </p>
          <SkeletonRows count={4} />
        </div>
      )}
      {load.phase === 'ready' && comments.length === 0 && (
        <p className="comments__empty">{t('comments.empty')}</p>
      )}
      {comments.length > 0 && (
        <ul className="comments__list" aria-label={t('comments.listLabel')}>
          {comments.map((comment) => (
            <li key={comment.id}>
              <CommentItem comment={comment} onOpenConversation={onOpenConversation} />
            </li>
          ))}
        </ul>
      )}
      {load.phase === 'ready' && load.nextCursor !== null && (
        <button
          type="button"
          className="button button--quiet comments__more"
          disabled={load.isLoadingMore}
          onClick={() => loadOlder(load.nextCursor!)}
        >
          {t('comments.loadOlder')}
        </button>
      )}
    </>
  );
}

function CommentItem({
  comment,
  onOpenConversation,
}: {
  comment: Comment;
  onOpenConversation: (id: string) => void;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const [isReplying, setReplying] = useState(false);
  const author =
    comment.fromUsername !== null
      ? `@${comment.fromUsername}`
      : (comment.fromId ?? t('comments.unknownAuthor'));
  const reply = comment.privateReply;
  // The window can close while the view is open; main would refuse anyway.
  const state = reply.state === 'available' && now > reply.allowedUntil ? 'expired' : reply.state;
  const titleId = useId();
  const articleRef = useRef<HTMLElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  const isComposerShown = state === 'available' && isReplying;
  const shown = `${state}:${String(isComposerShown)}`;
  const lastShown = useRef(shown);
  // Whether the owner is working in this item (focus went into it and not to another element).
  const hasFocusWithin = useRef(false);
  // A layout effect: focus moves in the same commit that removed the composer, so nothing (a
  // screen reader, a test waiting for the new text) ever sees it on the page.
  useLayoutEffect(() => {
    // The composer or the focused button went (cancelled, sent, answered, refused): focus would
    // fall to the page, so it moves to what replaced them (Reply privately, Open conversation).
    if (lastShown.current === shown) return;
    lastShown.current = shown;
    const active = document.activeElement;
    if (hasFocusWithin.current && (active === null || active === document.body)) {
      (actionRef.current ?? articleRef.current)?.focus();
    }
  });

  return (
    <article
      ref={articleRef}
      className="comment"
      aria-labelledby={titleId}
      data-comment-id={comment.id}
      tabIndex={-1}
      onFocus={() => (hasFocusWithin.current = true)}
      onBlur={(event) => {
        // Only a move to another element counts: browsers differ on blurring a removed element,
        // and that is exactly the case to repair.
        const next = event.relatedTarget;
        if (next instanceof Node && !event.currentTarget.contains(next)) {
          hasFocusWithin.current = false;
        }
      }}
    >
      {/* Commenters are not looked up on Instagram: initials on their colour, as in the list. */}
      <Avatar name={author} seed={comment.fromId ?? comment.fromUsername ?? comment.id} />
      <div className="comment__body">
        <p className="comment__meta">
          <span id={titleId} className="comment__author">
            {author}
          </span>{' '}
          <RelativeTime className="comment__time" at={comment.at} />
          {comment.field === 'live_comments' && (
            <span className="comment__tag"> · {t('comments.live')}</span>
          )}
          {comment.parentId !== null && (
            <span className="comment__tag"> · {t('comments.inReply')}</span>
          )}
        </p>
        <p className="comment__text" dir="auto">
          {comment.text ?? t('comments.noText')}
        </p>
        {comment.mediaId !== null && <PostPreview comment={comment} />}
        <div className="comment__reply">
          {state === 'answered' && (
            <>
              <span className="comment__state comment__state--answered">
                {t('comments.answered')}
              </span>
              {reply.conversationId !== null && (
                <button
                  type="button"
                  className="button button--quiet"
                  ref={actionRef}
                  onClick={() => onOpenConversation(reply.conversationId!)}
                >
                  {t('comments.openConversation')}
                </button>
              )}
            </>
          )}
          {state === 'expired' && <span className="comment__state">{t('comments.expired')}</span>}
          {state === 'refused' && (
            <span className="comment__state">
              {t('comments.refused')}{' '}
              {reply.refusal !== null && <FailureReasonText reason={reply.refusal} />}
            </span>
          )}
          {state === 'available' && !isReplying && (
            <button
              type="button"
              className="button"
              aria-describedby={titleId}
              ref={actionRef}
              onClick={() => setReplying(true)}
            >
              {t('comments.reply')}
            </button>
          )}
        </div>
        {isComposerShown && (
          <PrivateReplyComposer
            comment={comment}
            author={author}
            onClose={() => setReplying(false)}
          />
        )}
      </div>
    </article>
  );
}

function PrivateReplyComposer({
  comment,
  author,
  onClose,
}: {
  comment: Comment;
  author: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useCommentsClient();
  const inputId = useId();
  const counterId = useId();
  const [text, setText] = useState('');
  const [isSending, setSending] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const used = utf8ByteLength(text.trim());
  const isOver = used > MAX_TEXT_BYTES;
  const canSend = text.trim() !== '' && !isOver && !isSending;

  async function send(): Promise<void> {
    if (!canSend) return;
    setSending(true);
    setError(null);
    try {
      // Main announces the answered comment (comments:saved); the view updates from that.
      await client.comments.privateReply({
        accountId: comment.accountId,
        commentId: comment.id,
        text,
      });
      onClose();
    } catch (caught) {
      setError(toUiError(caught));
      setSending(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  }

  return (
    <form className="comment__composer" onSubmit={onSubmit}>
      {error !== null && <ErrorMessage title={t('comments.sendFailed')} error={error} />}
      <label htmlFor={inputId}>{t('comments.composerLabel', { author })}</label>
      <p className="comment__hint">{t('comments.hint')}</p>
      <textarea
        id={inputId}
        className="composer__input"
        rows={2}
        value={text}
        // The owner opened the composer to write: focus follows.
        autoFocus
        aria-describedby={counterId}
        aria-invalid={isOver}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <CharacterCounter id={counterId} text={text.trim()} />
      <div className="comment__actions">
        <button type="submit" className="button button--primary" disabled={!canSend}>
          {isSending ? t('comments.sending') : t('comments.send')}
        </button>
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t('comments.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Upserts by id and keeps newest first (time, then id for comments of the same second). */
function merge(incoming: readonly Comment[], current: readonly Comment[]): Comment[] {
  const byId = new Map(current.map((comment) => [comment.id, comment]));
  for (const comment of incoming) byId.set(comment.id, comment);
  return [...byId.values()].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
}
