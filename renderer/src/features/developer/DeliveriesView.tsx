import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DeliveryRecordDto } from '../../../../shared/ipc/developer-contract';
import { useDebouncedValue } from './use-debounced-value';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useDeveloper, type DeveloperClient } from './developer-client';

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
type Detail = {
  delivery: DeliveryRecordDto;
  bytes: Uint8Array<ArrayBuffer>;
  raw: string;
  headers: Record<string, string>;
};
export type MessageLink = DeliveryRecordDto['messageLinks'][number];

/** The bytes exactly as received. */
function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

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
              {accounts.map((account) => (
                <option key={account.igUserId} value={account.igUserId}>
                  @{account.username}
                </option>
              ))}
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

/** Sends one event of a kind `inlet simulate` knows, for the connected (or filtered) account. */
function SimulateMenu({
  kinds,
  accountId,
  onSimulated,
}: {
  kinds: string[];
  accountId: string;
  onSimulated: (delivery: DeliveryRecordDto | null) => void;
}) {
  const { t } = useTranslation();
  const { client } = useDeveloper();
  const [kind, setKind] = useState(kinds[0] ?? '');
  const [text, setText] = useState('');
  const [state, setState] = useState<ReplayState>({ phase: 'idle' });
  const formId = useId();

  async function simulate(event: FormEvent) {
    event.preventDefault();
    setState({ phase: 'sending' });
    try {
      const { delivery } = await client.developer.simulate({
        kind,
        accountId: accountId || undefined,
        text: text.trim() || undefined,
      });
      setState({ phase: 'done', delivery });
      onSimulated(delivery);
    } catch (caught) {
      setState({ phase: 'error', error: toUiError(caught) });
    }
  }

  return (
    <form
      className="deliveries__simulate"
      aria-labelledby={formId}
      onSubmit={(event) => void simulate(event)}
    >
      <span id={formId} className="deliveries__simulate-title">
        {t('developer.simulate')}
      </span>
      <label>
        {t('developer.simulateKind')}{' '}
        <select value={kind} onChange={(event) => setKind(event.target.value)}>
          {kinds.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <input
        type="text"
        aria-label={t('developer.simulateText')}
        placeholder={t('developer.simulateText')}
        maxLength={1000}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button
        type="submit"
        className="button button--small"
        disabled={state.phase === 'sending' || kind === ''}
      >
        {t('developer.simulateSend')}
      </button>
      {state.phase === 'error' ? (
        <ErrorMessage title={t('developer.simulateFailed')} error={state.error} />
      ) : (
        <p role="status" className="deliveries__status">
          {state.phase === 'sending' && t('developer.simulating')}
          {state.phase === 'done' &&
            (state.delivery === null
              ? t('developer.replayPending')
              : t('developer.simulated', { kind, id: state.delivery.id }))}
        </p>
      )}
    </form>
  );
}

function DeliverySummary({ record }: { record: DeliveryRecordDto }) {
  const { t, i18n } = useTranslation();
  const when = new Date(record.receivedAt).toLocaleString(i18n.language);
  const what = [...record.fields, ...record.kinds].join(', ') || '–';
  return (
    <>
      <span className="delivery-row__line">
        <span className="delivery-row__what">{what}</span>
        <time dateTime={new Date(record.receivedAt).toISOString()}>{when}</time>
      </span>
      <span className="delivery-row__line delivery-row__meta">
        <span>{record.accountIds.join(', ') || '–'}</span>
        {record.unknownAccountIds.length > 0 && (
          <span data-unknown-accounts>
            {t('developer.unknownAccounts', { ids: record.unknownAccountIds.join(', ') })}
          </span>
        )}
        <span>{t('developer.bytes', { count: record.bytes })}</span>
        <span data-signature={record.signature}>
          {t('developer.signature', { result: t(`developer.signatures.${record.signature}`) })}
        </span>
        <span>
          {record.status}
          {record.answerMs !== null && ` · ${t('developer.ms', { count: record.answerMs })}`}
        </span>
        <span data-outcome={record.outcome}>
          {t(`developer.outcomes.${record.outcome}`)}
          {record.reason !== null && `: ${record.reason}`}
        </span>
        {record.forwards.map((forward) => (
          <span key={forward.target}>
            {t('developer.forwarded', {
              target: forward.target,
              result: forward.status ?? forward.error ?? '…',
            })}
          </span>
        ))}
      </span>
    </>
  );
}

type ReplayState =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'done'; delivery: DeliveryRecordDto | null }
  | { phase: 'error'; error: UiError };

function DeliveryDetail({
  id,
  onReplayed,
  onOpenMessage,
}: {
  id: string;
  onReplayed: () => void;
  onOpenMessage: (link: MessageLink) => void;
}) {
  const { t } = useTranslation();
  const { client } = useDeveloper();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [loadError, setLoadError] = useState<UiError | null>(null);
  const [replay, setReplay] = useState<ReplayState>({ phase: 'idle' });
  const [edited, setEdited] = useState<string | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [curl, setCurl] = useState<string | null>(null);
  const titleId = useId();

  useEffect(() => {
    let isCurrent = true;
    client.developer.getDelivery({ id }).then(
      (found) => {
        if (!isCurrent) return;
        const bytes = decodeBase64(found.bodyBase64);
        // Read as UTF-8 text for the views; the escapes Meta sent stay as they are.
        const raw = new TextDecoder().decode(bytes);
        setDetail({ delivery: found.delivery, bytes, raw, headers: found.headers });
      },
      (error: unknown) => isCurrent && setLoadError(toUiError(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, id]);

  if (loadError !== null)
    return <ErrorMessage title={t('developer.loadFailed')} error={loadError} />;
  if (detail === null) return <p className="deliveries__status">{t('developer.loading')}</p>;
  const { delivery, bytes, raw, headers } = detail;

  async function send(editedJson?: string) {
    setReplay({ phase: 'sending' });
    try {
      const result = await client.developer.replay({ id, editedJson });
      setReplay({ phase: 'done', delivery: result.delivery });
      setEdited(null);
      onReplayed();
    } catch (caught) {
      setReplay({ phase: 'error', error: toUiError(caught) });
    }
  }

  function sendEdited() {
    if (edited === null) return;
    try {
      JSON.parse(edited);
    } catch (caught) {
      // Refused here so that nothing is sent; main refuses it too.
      setEditError(t('developer.invalidJson', { reason: (caught as Error).message }));
      return;
    }
    setEditError(null);
    void send(edited);
  }

  async function copyCurl() {
    try {
      const { command } = await client.developer.curl({ id });
      setCurl(command);
      await navigator.clipboard.writeText(command).catch(() => undefined);
    } catch (caught) {
      setReplay({ phase: 'error', error: toUiError(caught) });
    }
  }

  function saveFixture() {
    // The exact bytes, as a file: a test fixture that verifies with the same secret.
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `delivery-${id}.json`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section className="delivery-detail" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('developer.detailTitle', { id })}</h3>
      <DeliverySummary record={delivery} />
      <div className="delivery-detail__actions">
        {!delivery.refused && (
          <>
            <button
              type="button"
              className="button button--primary"
              disabled={replay.phase === 'sending' || delivery.pruned}
              onClick={() => void send()}
            >
              {t('developer.replay')}
            </button>
            <button type="button" className="button" onClick={() => setEdited(edited ?? raw)}>
              {t('developer.editReplay')}
            </button>
            {!delivery.pruned && (
              <button type="button" className="button" onClick={() => void copyCurl()}>
                {t('developer.copyCurl')}
              </button>
            )}
          </>
        )}
        <button type="button" className="button" onClick={saveFixture}>
          {t('developer.saveFixture')}
        </button>
      </div>
      <ReplayResult state={replay} />
      {curl !== null && (
        <pre className="delivery-detail__code" aria-label={t('developer.copyCurl')}>
          {curl}
        </pre>
      )}
      {edited !== null && (
        <div className="delivery-detail__edit">
          <label>
            {t('developer.editLabel')}
            <textarea
              value={edited}
              rows={10}
              spellCheck={false}
              onChange={(event) => setEdited(event.target.value)}
            />
          </label>
          {editError !== null && (
            <p role="alert" className="delivery-detail__error">
              {editError}
            </p>
          )}
          <div className="delivery-detail__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={replay.phase === 'sending'}
              onClick={sendEdited}
            >
              {t('developer.sendEdited')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setEdited(null)}>
              {t('developer.cancel')}
            </button>
          </div>
        </div>
      )}
      <Changes delivery={delivery} onOpenMessage={onOpenMessage} />
      {Object.keys(headers).length > 0 && (
        <>
          <h4>{t('developer.headers')}</h4>
          <dl className="delivery-detail__headers">
            {Object.entries(headers).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{name.toLowerCase() === 'x-hub-signature-256' ? shorten(value) : value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <div className="delivery-detail__bodies">
        <div>
          <h4>{t('developer.raw')}</h4>
          <pre className="delivery-detail__code" tabIndex={0} aria-label={t('developer.raw')}>
            {raw}
          </pre>
        </div>
        <div>
          <h4>{t('developer.pretty')}</h4>
          <pre className="delivery-detail__code" tabIndex={0} aria-label={t('developer.pretty')}>
            {pretty(raw) ?? t('developer.notJson')}
          </pre>
        </div>
      </div>
    </section>
  );
}

function ReplayResult({ state }: { state: ReplayState }) {
  const { t } = useTranslation();
  if (state.phase === 'error')
    return <ErrorMessage title={t('developer.replayFailed')} error={state.error} />;
  return (
    <p role="status" className="deliveries__status">
      {state.phase === 'sending' && t('developer.replaying')}
      {state.phase === 'done' && replaySentence(state.delivery, t)}
    </p>
  );
}

/** What a replay changed; "changed nothing" is the idempotence the developer wants to see. */
function replaySentence(delivery: DeliveryRecordDto | null, t: TFunction) {
  if (delivery === null) return t('developer.replayPending');
  const { messagesCreated, messagesUpdated } = delivery.changes;
  if (delivery.outcome === 'not-understood')
    return t('developer.replayNotUnderstood', { id: delivery.id, reason: delivery.reason ?? '' });
  if (
    messagesCreated.length === 0 &&
    messagesUpdated.length === 0 &&
    delivery.changes.comments.length === 0
  )
    return t('developer.replayNothing', { id: delivery.id });
  return t('developer.replayChanged', {
    id: delivery.id,
    created: messagesCreated.length,
    updated: messagesUpdated.length,
  });
}

function Changes({
  delivery,
  onOpenMessage,
}: {
  delivery: DeliveryRecordDto;
  onOpenMessage: (link: MessageLink) => void;
}) {
  const { t } = useTranslation();
  const { messagesCreated, messagesUpdated } = delivery.changes;
  const open = (link: MessageLink | undefined) =>
    link && (
      <button
        type="button"
        className="button button--small button--quiet"
        onClick={() => onOpenMessage(link)}
      >
        {t('developer.openMessage')}
      </button>
    );
  return (
    <>
      <h4>{t('developer.changes')}</h4>
      {messagesCreated.length === 0 && messagesUpdated.length === 0 ? (
        <p className="deliveries__status">{t('developer.noChanges')}</p>
      ) : (
        <ul className="delivery-detail__changes">
          {messagesCreated.map((id) => (
            <li key={`c${id}`}>
              {t('developer.created', { mid: id })}{' '}
              {open(delivery.messageLinks.find((link) => link.messageId === id))}
            </li>
          ))}
          {messagesUpdated.map((mid) => (
            <li key={`u${mid}`}>
              {t('developer.updated', { mid })}{' '}
              {open(delivery.messageLinks.find((link) => link.mid === mid))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** `sha256=` and the first 12 hex digits: enough to compare, too little to be worth copying. */
function shorten(signature: string): string {
  return signature.length > 19 ? `${signature.slice(0, 19)}…` : signature;
}

function pretty(raw: string): string | null {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return null;
  }
}
