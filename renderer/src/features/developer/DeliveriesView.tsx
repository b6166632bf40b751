import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { DeliveryRecordDto } from '../../../../shared/ipc/developer-contract';
import { useDebouncedValue } from './use-debounced-value';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useDeveloper, type DeveloperClient } from './developer-client';
import { DeliveryDetail, type MessageLink } from './DeliveryDetail';
import { DeliverySummary } from './DeliverySummary';
import { SimulateMenu } from './SimulateMenu';
import { AccountOptions } from '../../components/AccountOptions';

const LIMIT = 200;
const SIGNATURES = ['valid', 'wrong', 'missing', 'unchecked'] as const;
const OUTCOMES = ['understood', 'not-understood', 'pending', 'refused'] as const;
/** Typing pauses this long before main searches the bodies again. */
const SEARCH_DELAY_MS = 250;

type Filters = {
  accountId: string;
  kind: string;
  signature: '' | DeliveryRecordDto['signature'];
  outcome: '' | DeliveryRecordDto['outcome'];
  isRefusedOnly: boolean;
  text: string;
};

/** The list as filtered in main: the free text is searched there, over every kept body. */
async function readDeliveries(
  client: DeveloperClient,
  filter: Omit<Filters, 'text'> & { text: string; messageId?: string },
): Promise<DeliveryRecordDto[]> {
  const { deliveries } = await client.developer.listDeliveries({
    limit: LIMIT,
    accountId: filter.accountId || undefined,
    kind: filter.kind || undefined,
    signature: filter.signature || undefined,
    outcome: filter.outcome || undefined,
    refused: filter.isRefusedOnly || undefined,
    text: filter.text.trim() || undefined,
    messageId: filter.messageId,
  });
  return deliveries;
}

/** Whether a key press is typing (in a field), where a single-key shortcut must not fire. */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * Every request that reached the webhook listener, newest first, and one opened beside it: what a
 * developer testing Meta's webhooks needs to see, replay and keep.
 */
export function DeliveriesView({
  onOpenMessage,
}: {
  /** "Open message": shows the message in its conversation, leaving the Deliveries view. */
  onOpenMessage: (link: MessageLink) => void;
}) {
  const { t } = useTranslation();
  const { client, webhookFor, viewWebhook } = useDeveloper();
  const messageId = webhookFor?.messageId;
  const accounts = useApp((state) => state.status?.accounts ?? []);
  const [filters, setFilters] = useState<Filters>({
    accountId: '',
    kind: '',
    signature: '',
    outcome: '',
    isRefusedOnly: false,
    text: '',
  });
  const [records, setRecords] = useState<DeliveryRecordDto[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [simulateKinds, setSimulateKinds] = useState<string[]>([]);
  const listRef = useRef<HTMLOListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const titleId = useId();

  // Bumped to read the list again (Refresh, after a replay).
  const [reads, setReads] = useState(0);
  const reload = useCallback(() => setReads((count) => count + 1), []);
  const { accountId, kind, signature, outcome, isRefusedOnly } = filters;
  const text = useDebouncedValue(filters.text, SEARCH_DELAY_MS);

  useEffect(() => {
    let isCurrent = true;
    readDeliveries(client, {
      accountId,
      kind,
      signature,
      outcome,
      isRefusedOnly,
      text,
      messageId,
    }).then(
      (found) => {
        if (!isCurrent) return;
        setRecords(found);
        setError(null);
      },
      (caught: unknown) => isCurrent && setError(toUiError(caught)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, accountId, kind, signature, outcome, isRefusedOnly, text, messageId, reads]);

  useEffect(() => {
    let isCurrent = true;
    // Without the kinds there is only no Simulate menu; the list still works.
    client.developer.getWorkbench().then(
      (workbench) => isCurrent && setSimulateKinds(workbench.simulateKinds),
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);

  // The kinds Inlet parsed (reaction, seen…), which are not Simulate's names (react, image…).
  const kinds = useMemo(
    () => [...new Set((records ?? []).flatMap((record) => record.kinds))].sort(),
    [records],
  );
  const shown = records ?? [];

  // "View webhook" opens the one delivery behind the message straight away.
  const shownId = openId ?? (webhookFor !== null ? (shown[0]?.id ?? null) : null);

  // "/" jumps to the search, as in the inbox's lists.
  function onViewKey(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== '/' || isTyping(event.target)) return;
    searchRef.current?.focus();
    event.preventDefault();
  }

  function simulated(delivery: DeliveryRecordDto | null) {
    if (delivery !== null) setOpenId(delivery.id);
    reload();
  }

  // Arrow keys move between rows; Enter (the button's own) opens one.
  function onListKey(event: KeyboardEvent<HTMLOListElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...(listRef.current?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      buttons[Math.max(0, Math.min(buttons.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    next?.focus();
    event.preventDefault();
  }

  return (
    <section className="deliveries" aria-labelledby={titleId} onKeyDown={onViewKey}>
      <div className="deliveries__list-pane">
        <header className="deliveries__header">
          <h2 id={titleId} className="deliveries__title">
            {t('developer.deliveries')}
          </h2>
          <button type="button" className="button button--small" onClick={reload}>
            {t('developer.refresh')}
          </button>
          {webhookFor !== null && (
            <button
              type="button"
              className="button button--small"
              onClick={() => viewWebhook(null)}
            >
              {t('developer.backToConversation')}
            </button>
          )}
        </header>
        <div className="deliveries__filters">
          <label>
            {t('developer.account')}{' '}
            <select
              value={filters.accountId}
              onChange={(event) => setFilters({ ...filters, accountId: event.target.value })}
            >
              <option value="">{t('developer.all')}</option>
              <AccountOptions accounts={accounts} />
            </select>
          </label>
          <label>
            {t('developer.kind')}{' '}
            <select
              value={filters.kind}
              onChange={(event) => setFilters({ ...filters, kind: event.target.value })}
            >
              <option value="">{t('developer.all')}</option>
              {kinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('developer.signatureFilter')}{' '}
            <select
              value={filters.signature}
              onChange={(event) =>
                setFilters({ ...filters, signature: event.target.value as Filters['signature'] })
              }
            >
              <option value="">{t('developer.all')}</option>
              {SIGNATURES.map((result) => (
                <option key={result} value={result}>
                  {t(`developer.signatures.${result}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('developer.outcomeFilter')}{' '}
            <select
              value={filters.outcome}
              onChange={(event) =>
                setFilters({ ...filters, outcome: event.target.value as Filters['outcome'] })
              }
            >
              <option value="">{t('developer.all')}</option>
              {OUTCOMES.map((result) => (
                <option key={result} value={result}>
                  {t(`developer.outcomes.${result}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={filters.isRefusedOnly}
              onChange={(event) => setFilters({ ...filters, isRefusedOnly: event.target.checked })}
            />{' '}
            {t('developer.refusedOnly')}
          </label>
          <input
            ref={searchRef}
            type="search"
            aria-label={t('developer.search')}
            aria-keyshortcuts="/"
            placeholder={t('developer.searchPlaceholder')}
            maxLength={200}
            value={filters.text}
            onChange={(event) => setFilters({ ...filters, text: event.target.value })}
          />
        </div>
        {simulateKinds.length > 0 && (
          <SimulateMenu
            kinds={simulateKinds}
            accountId={filters.accountId}
            onSimulated={simulated}
          />
        )}
        {error !== null && <ErrorMessage title={t('developer.loadFailed')} error={error} />}
        {records === null && error === null && (
          <p className="deliveries__status">{t('developer.loading')}</p>
        )}
        {records !== null && shown.length === 0 && (
          <p className="deliveries__status">{t('developer.empty')}</p>
        )}
        <ol
          ref={listRef}
          className="deliveries__list"
          aria-label={t('developer.listLabel')}
          onKeyDown={onListKey}
        >
          {shown.map((record) => (
            <li key={record.id}>
              <button
                type="button"
                className="delivery-row"
                aria-current={record.id === shownId}
                onClick={() => setOpenId(record.id)}
              >
                <DeliverySummary record={record} />
              </button>
            </li>
          ))}
        </ol>
      </div>
      {shownId !== null && (
        <DeliveryDetail
          key={shownId}
          id={shownId}
          onReplayed={reload}
          onOpenMessage={onOpenMessage}
        />
      )}
    </section>
  );
}
