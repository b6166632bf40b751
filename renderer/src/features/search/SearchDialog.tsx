import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatShortDate } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { useNow } from '../../lib/use-now';
import { useApp } from '../../store/use-app';
import { customerNames } from '../conversations/customer-name';
import { Snippet } from './Snippet';

/**
 * Waits for a pause in typing so each keystroke does not cost a query. Short: a query over 250,000
 * messages takes ~10 ms (bench), and an answer overtaken by newer typing is dropped anyway.
 */
const DEBOUNCE_MS = 50;

/**
 * Ctrl/Cmd+K: search every message. A combobox: focus stays in the field, ↑/↓ pick a result,
 * Enter opens it in its thread, Esc closes and hands focus back.
 */
export function SearchDialog() {
  const isOpen = useApp((state) => state.isSearchOpen);
  return isOpen ? <SearchPanel /> : null;
}

function SearchPanel() {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const query = useApp((state) => state.searchQuery);
  const hits = useApp((state) => state.searchHits);
  const load = useApp((state) => state.searchLoad);
  const conversationsById = useApp((state) => state.conversationsById);
  const search = useApp((state) => state.search);
  const close = useApp((state) => state.closeSearch);
  const jump = useApp((state) => state.jumpToMessage);
  const [text, setText] = useState(query);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);

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

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (hits.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      const hit = hits[active];
      if (hit !== undefined) {
        event.preventDefault();
        void jump(hit);
      }
    } else if (event.key === 'Tab') {
      // The field is the only stop: results are picked with the arrows.
      event.preventDefault();
    }
  };

  const optionId = (index: number) => `search-hit-${index}`;
  return createPortal(
    <div className="search-backdrop" onClick={close}>
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
          aria-expanded={hits.length > 0}
          aria-controls="search-results"
          aria-activedescendant={hits.length > 0 ? optionId(active) : undefined}
          aria-autocomplete="list"
          placeholder={t('search.placeholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <p className="search-dialog__status" role="status">
          {load.phase === 'loading'
            ? t('search.searching')
            : load.phase === 'ready'
              ? t('search.results', { count: hits.length })
              : ''}
        </p>
        {load.phase === 'error' && <ErrorMessage title={t('search.failed')} error={load.error} />}
        <ul id="search-results" className="search-dialog__results" role="listbox">
          {hits.map((hit, index) => {
            const conversation = conversationsById[hit.conversationId];
            const who =
              conversation === undefined
                ? (hit.customerUsername ?? hit.customerId)
                : customerNames(conversation, t).primary;
            return (
              <li
                key={hit.messageId}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                className="search-hit"
                data-testid="search-hit"
                onMouseEnter={() => setActive(index)}
                onClick={() => void jump(hit)}
              >
                <span className="search-hit__who">
                  {hit.direction === 'out' ? t('search.you', { name: who }) : who}
                </span>
                <time className="search-hit__time" dateTime={new Date(hit.at).toISOString()}>
                  {formatShortDate(hit.at, now, locale)}
                </time>
                <span className="search-hit__snippet">
                  <Snippet snippet={hit.snippet} />
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>,
    document.body,
  );
}
