import { useEffect, useId, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DeliveryRecordDto } from '../../../../shared/ipc/developer-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useDeveloper } from './developer-client';
import { DeliverySummary } from './DeliverySummary';

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

/** Where a replay (or a simulated event) is: sent through Inlet's own listener, then shown. */
export type ReplayState =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'done'; delivery: DeliveryRecordDto | null }
  | { phase: 'error'; error: UiError };

/** One delivery opened: its bytes, headers and decoded events, replay, edit, cURL and fixture. */
export function DeliveryDetail({
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
