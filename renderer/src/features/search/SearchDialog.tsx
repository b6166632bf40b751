import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../components/Avatar';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatShortDate } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useNow } from '../../lib/use-now';
import { useApp } from '../../store/use-app';
import { customerNames } from '../conversations/customer-name';
import type { SearchHit } from '../../../../shared/ipc/search-contract';
import { RelativeTime } from '../../components/RelativeTime';
import { groupHits, markNameMatches } from './search-results';
import { MarkedText, Snippet } from './Snippet';

/**
 * Waits for a pause in typing so each keystroke does not cost a query. Short: a query over 250,000
 * messages takes ~10 ms (bench), and an answer overtaken by newer typing is dropped anyway.
 */
const DEBOUNCE_MS = 50;

/**
 * Ctrl/Cmd+K: search every message and customer. A combobox: focus stays in the field, ↑/↓ pick a
 * result (customers found by name first, then messages grouped by conversation), Enter opens it
 * (a message in its thread), Esc closes and hands focus back.
 */
export function SearchDialog() {
  const isOpen = useApp((state) => state.isSearchOpen);
  return isOpen ? <SearchPanel /> : null;
}

/** One choice in the results: a conversation found by name, or a message. */
type Choice = { kind: 'customer'; conversationId: string } | { kind: 'hit'; hit: SearchHit };

function SearchPanel() {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const query = useApp((state) => state.searchQuery);
  const hits = useApp((state) => state.searchHits);
  const customerMatches = useApp((state) => state.searchCustomerMatches);
  const load = useApp((state) => state.searchLoad);
  const conversationsById = useApp((state) => state.conversationsById);
  const search = useApp((state) => state.search);
  const close = useApp((state) => state.closeSearch);
  const jump = useApp((state) => state.jumpToMessage);
  const openFound = useApp((state) => state.openFoundConversation);
  const [text, setText] = useState(query);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const groups = useMemo(() => groupHits(hits), [hits]);
  // ↑/↓ walk the customers, then each conversation's messages, in the order they are shown.
  const choices = useMemo<Choice[]>(
    () => [
      ...customerMatches.map((conversationId) => ({ kind: 'customer' as const, conversationId })),
      ...groups.flatMap((group) => group.hits.map((hit) => ({ kind: 'hit' as const, hit }))),
    ],
    [customerMatches, groups],
  );

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    inputRef.current?.focus();
    inputRef.current?.select();
    return () => {
      // Jumping moves focus to the message; only a plain close returns it to the opener.
      if (document.activeElement === document.body || document.activeElement === null) {
        opener?.focus();
      }
    };
  }, []);

  useEffect(() => {
    if (text === query) return;
    const timer = setTimeout(() => {
      setActive(0);
      void search(text);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, query, search]);

  const choose = (choice: Choice) => {
    if (choice.kind === 'hit') void jump(choice.hit);
    else openFound(choice.conversationId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (choices.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + choices.length) % choices.length);
    } else if (event.key === 'Enter') {
      const choice = choices[active];
      if (choice !== undefined) {
        event.preventDefault();
        choose(choice);
      }
    } else if (event.key === 'Tab') {
      // The field is the only stop: results are picked with the arrows.
      event.preventDefault();
    }
  };

  const nameOf = (
    conversationId: string,
    fallback: Pick<SearchHit, 'customerName' | 'customerUsername' | 'customerId'>,
  ) => customerNames(conversationsById[conversationId] ?? fallback, t);
  const optionId = (index: number) => `search-choice-${index}`;
  const option = (index: number, testId: string, content: ReactNode) => {
    const choice = choices[index];
    return (
      <li
        key={index}
        id={optionId(index)}
        role="option"
        aria-selected={index === active}
        className="search-hit"
        data-testid={testId}
        onMouseEnter={() => setActive(index)}
        onClick={() => choice !== undefined && choose(choice)}
      >
        {content}
      </li>
    );
  };
  let index = 0;
  return createPortal(
    <div className="dialog-backdrop" onClick={close}>
      <div
        className="search-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={t('search.title')}
        onKeyDown={onKeyDown}
        onClick={(event) => event.stopPropagation()}
      >
        <input
          ref={inputRef}
          className="input search-dialog__input"
          type="search"
          role="combobox"
          aria-label={t('search.label')}
          aria-expanded={choices.length > 0}
          aria-controls="search-results"
          aria-activedescendant={choices.length > 0 ? optionId(active) : undefined}
          aria-autocomplete="list"
          placeholder={t('search.placeholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <p className="search-dialog__status" role="status">
          {load.phase === 'loading'
            ? t('search.searching')
            : load.phase === 'ready'
              ? choices.length === 0
                ? t('search.none')
                : t('search.results', { count: hits.length + customerMatches.length })
              : ''}
        </p>
        {load.phase === 'error' && <ErrorMessage title={t('search.failed')} error={load.error} />}
        <div
          id="search-results"
          className="search-dialog__results"
          role="listbox"
          aria-label={t('search.label')}
        >
          {customerMatches.length > 0 && (
            <ul className="search-group" role="group" aria-label={t('search.customers')}>
              <li className="search-group__title" role="presentation" aria-hidden="true">
                {t('search.customers')}
              </li>
              {customerMatches.map((conversationId) => {
                const conversation = conversationsById[conversationId];
                if (conversation === undefined) return null;
                const { primary, handle } = customerNames(conversation, t);
                return option(
                  index++,
                  'search-customer',
                  <>
                    <Avatar
                      name={primary}
                      seed={conversation.customerId}
                      src={conversation.customerPictureUrl}
                    />
                    <span className="search-hit__who">
                      <MarkedText parts={markNameMatches(primary, query)} />
                      {handle !== null && (
                        <span className="search-hit__handle">
                          {' '}
                          <MarkedText parts={markNameMatches(handle, query)} />
                        </span>
                      )}
                    </span>
                    <RelativeTime className="search-hit__time" at={conversation.lastMessageAt} />
                  </>,
                );
              })}
            </ul>
          )}
          {groups.map((group) => {
            const first = group.hits[0];
            if (first === undefined) return null;
            const who = nameOf(group.conversationId, first).primary;
            return (
              <ul key={group.conversationId} className="search-group" role="group" aria-label={who}>
                <li className="search-group__title" role="presentation" aria-hidden="true">
                  {who}
                </li>
                {group.hits.map((hit) =>
                  option(
                    index++,
                    'search-hit',
                    <>
                      <span className="search-hit__snippet">
                        {hit.direction === 'out' && (
                          <span className="search-hit__you">{t('search.fromYou')} </span>
                        )}
                        <Snippet snippet={hit.snippet} />
                      </span>
                      <time className="search-hit__time" dateTime={new Date(hit.at).toISOString()}>
                        {formatShortDate(hit.at, now, locale)}
                      </time>
                    </>,
                  ),
                )}
              </ul>
            );
          })}
        </div>
      </div>
    </div>,
    document.body,
  );
}
