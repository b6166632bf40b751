import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DeliveryRecordDto } from '../../../../shared/ipc/developer-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useApp } from '../../store/use-app';
import { useDeveloper, type DeveloperClient } from './developer-client';

const LIMIT = 200;

type Filters = { accountId: string; kind: string; isRefusedOnly: boolean; text: string };
type Detail = { delivery: DeliveryRecordDto; raw: string; headers: Record<string, string> };

/** The bytes as received, read as UTF-8 text; the escapes Meta sent stay as they are. */
function decodeBase64(base64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
}

/** The list as filtered in main, with the bodies that the free-text filter searches. */
async function readDeliveries(
  client: DeveloperClient,
  filter: Pick<Filters, 'accountId' | 'kind' | 'isRefusedOnly'> & { messageId?: string },
): Promise<{ records: DeliveryRecordDto[]; bodies: Record<string, string> }> {
  const { deliveries } = await client.developer.listDeliveries({
    limit: LIMIT,
    accountId: filter.accountId || undefined,
    kind: filter.kind || undefined,
    refused: filter.isRefusedOnly || undefined,
    messageId: filter.messageId,
  });
  const bodies = await Promise.all(
    deliveries.map(async (record) => {
      const detail = await client.developer.getDelivery({ id: record.id });
      return [record.id, decodeBase64(detail.bodyBase64)] as const;
    }),
  );
  return { records: deliveries, bodies: Object.fromEntries(bodies) };
}

/**
 * Every request that reached the webhook listener, newest first, and one opened beside it: what a
 * developer testing Meta's webhooks needs to see, replay and keep (issue #18).
 */
export function DeliveriesView() {
  const { t } = useTranslation();
  const { client, webhookFor, viewWebhook } = useDeveloper();
  const messageId = webhookFor?.messageId;
  const accounts = useApp((state) => state.status?.accounts ?? []);
  const [filters, setFilters] = useState<Filters>({
    accountId: '',
    kind: '',
    isRefusedOnly: false,
    text: '',
  });
  const [records, setRecords] = useState<DeliveryRecordDto[] | null>(null);
  const [bodies, setBodies] = useState<Record<string, string>>({});
  const [error, setError] = useState<UiError | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const titleId = useId();

  // Bumped to read the list again (Refresh, after a replay).
  const [reads, setReads] = useState(0);
  const reload = useCallback(() => setReads((count) => count + 1), []);
  const { accountId, kind, isRefusedOnly } = filters;

  useEffect(() => {
    let isCurrent = true;
    readDeliveries(client, { accountId, kind, isRefusedOnly, messageId }).then(
      (found) => {
        if (!isCurrent) return;
        setRecords(found.records);
        setBodies(found.bodies);
        setError(null);
      },
      (caught: unknown) => isCurrent && setError(toUiError(caught)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, accountId, kind, isRefusedOnly, messageId, reads]);

  const kinds = useMemo(
    () => [...new Set((records ?? []).flatMap((record) => record.kinds))].sort(),
    [records],
  );
  const needle = filters.text.trim().toLowerCase();
  const shown = (records ?? []).filter(
    (record) => needle === '' || (bodies[record.id] ?? '').toLowerCase().includes(needle),
  );

  // "View webhook" opens the one delivery behind the message straight away.
  const shownId = openId ?? (webhookFor !== null ? (shown[0]?.id ?? null) : null);

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
    <section className="deliveries" aria-labelledby={titleId}>
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
            <input
              type="checkbox"
              checked={filters.isRefusedOnly}
              onChange={(event) => setFilters({ ...filters, isRefusedOnly: event.target.checked })}
            />{' '}
            {t('developer.refusedOnly')}
          </label>
          <input
            type="search"
            aria-label={t('developer.search')}
            placeholder={t('developer.search')}
            value={filters.text}
            onChange={(event) => setFilters({ ...filters, text: event.target.value })}
          />
        </div>
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
      {shownId !== null && <DeliveryDetail key={shownId} id={shownId} onReplayed={reload} />}
    </section>
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

function DeliveryDetail({ id, onReplayed }: { id: string; onReplayed: () => void }) {
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
      (found) =>
        isCurrent &&
        setDetail({
          delivery: found.delivery,
          raw: decodeBase64(found.bodyBase64),
          headers: found.headers,
        }),
      (error: unknown) => isCurrent && setLoadError(toUiError(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, id]);

  if (loadError !== null)
    return <ErrorMessage title={t('developer.loadFailed')} error={loadError} />;
  if (detail === null) return <p className="deliveries__status">{t('developer.loading')}</p>;
  const { delivery, raw, headers } = detail;

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
    const url = URL.createObjectURL(new Blob([raw], { type: 'application/json' }));
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
      <Changes delivery={delivery} />
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

function Changes({ delivery }: { delivery: DeliveryRecordDto }) {
  const { t } = useTranslation();
  const { messagesCreated, messagesUpdated } = delivery.changes;
  return (
    <>
      <h4>{t('developer.changes')}</h4>
      {messagesCreated.length === 0 && messagesUpdated.length === 0 ? (
        <p className="deliveries__status">{t('developer.noChanges')}</p>
      ) : (
        <ul className="delivery-detail__changes">
          {messagesCreated.map((mid) => (
            <li key={`c${mid}`}>{t('developer.created', { mid })}</li>
          ))}
          {messagesUpdated.map((mid) => (
            <li key={`u${mid}`}>{t('developer.updated', { mid })}</li>
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
