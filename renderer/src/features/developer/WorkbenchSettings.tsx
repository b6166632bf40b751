import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Workbench } from '../../../../shared/ipc/developer-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError, type UiError } from '../../store/ui-error';
import { useDeveloper } from './developer-client';

/** Bytes in the largest unit that keeps the number readable, in the UI's language. */
function formatSize(bytes: number, language: string): string {
  const [value, unit] =
    bytes < 1024
      ? [bytes, 'byte']
      : bytes < 1024 * 1024
        ? [bytes / 1024, 'kilobyte']
        : [bytes / (1024 * 1024), 'megabyte'];
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit,
    maximumFractionDigits: 1,
  }).format(value);
}

/**
 * Settings → Developer, while the section is on: where verified deliveries are forwarded, and the
 * space the delivery journal uses with "prune older than N days". Main checks every target.
 */
export function WorkbenchSettings() {
  const { t, i18n } = useTranslation();
  const { client } = useDeveloper();
  const [workbench, setWorkbench] = useState<Workbench | null>(null);
  const [loadError, setLoadError] = useState<UiError | null>(null);
  const [forwardError, setForwardError] = useState<UiError | null>(null);
  const [newTarget, setNewTarget] = useState('');
  const [days, setDays] = useState('30');
  const [pruned, setPruned] = useState<{ bodies: number; refused: number } | null>(null);
  const [pruneError, setPruneError] = useState<UiError | null>(null);
  const forwardingId = useId();
  const journalId = useId();

  useEffect(() => {
    let isCurrent = true;
    client.developer.getWorkbench().then(
      (found) => isCurrent && setWorkbench(found),
      (error: unknown) => isCurrent && setLoadError(toUiError(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);

  if (loadError !== null)
    return <ErrorMessage title={t('developer.workbenchLoadFailed')} error={loadError} />;
  if (workbench === null) return null;
  const { settings, commandLine, queues } = workbench.forwarding;
  const { verified, refused } = workbench.usage;

  async function saveForwarding(next: typeof settings): Promise<boolean> {
    setForwardError(null);
    try {
      setWorkbench(await client.developer.setForwarding(next));
      return true;
    } catch (caught) {
      setForwardError(toUiError(caught));
      return false;
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const target = newTarget.trim();
    if (target === '') return;
    if (await saveForwarding({ ...settings, targets: [...settings.targets, target] }))
      setNewTarget('');
  }

  async function prune(event: FormEvent) {
    event.preventDefault();
    setPruneError(null);
    setPruned(null);
    try {
      const result = await client.developer.prune({ days: Number(days) });
      setWorkbench(result.workbench);
      setPruned({ bodies: result.bodiesDropped, refused: result.refusedDropped });
    } catch (caught) {
      setPruneError(toUiError(caught));
    }
  }

  const queueOf = (target: string) => {
    const queue = queues.find((entry) => entry.target === target);
    return queue === undefined
      ? null
      : t('developer.forwardQueue', { queued: queue.queued, dropped: queue.dropped });
  };

  return (
    <>
      <section aria-labelledby={forwardingId} className="workbench-settings">
        <h4 id={forwardingId}>{t('developer.forwarding')}</h4>
        <p className="settings__hint">{t('developer.forwardingHint')}</p>
        {settings.targets.length === 0 && commandLine.length === 0 ? (
          <p className="settings__hint">{t('developer.forwardNone')}</p>
        ) : (
          <ul className="workbench-settings__targets">
            {commandLine.map((target) => (
              <li key={`cli${target}`}>
                <code>{target}</code> <span>{t('developer.forwardCommandLine')}</span>{' '}
                <span className="settings__hint">{queueOf(target)}</span>
              </li>
            ))}
            {settings.targets.map((target) => (
              <li key={target}>
                <code>{target}</code> <span className="settings__hint">{queueOf(target)}</span>
                <button
                  type="button"
                  className="button button--small button--quiet"
                  aria-label={t('developer.forwardRemove', { target })}
                  onClick={() =>
                    void saveForwarding({
                      ...settings,
                      targets: settings.targets.filter((other) => other !== target),
                    })
                  }
                >
                  {t('developer.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="workbench-settings__row" onSubmit={(event) => void add(event)}>
          <label className="settings__field">
            <span>{t('developer.forwardTo')}</span>
            <input
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="http://127.0.0.1:3000/webhook"
              value={newTarget}
              onChange={(event) => setNewTarget(event.target.value)}
            />
          </label>
          <button type="submit" className="button" disabled={newTarget.trim() === ''}>
            {t('developer.forwardAdd')}
          </button>
        </form>
        <label className="settings__accept">
          <input
            type="checkbox"
            checked={settings.allowRemote}
            onChange={(event) =>
              void saveForwarding({ ...settings, allowRemote: event.target.checked })
            }
          />
          {t('developer.allowRemote')}
        </label>
        <p className="settings__hint">{t('developer.allowRemoteHint')}</p>
        {forwardError !== null && (
          <ErrorMessage title={t('developer.forwardingFailed')} error={forwardError} />
        )}
      </section>
      <section aria-labelledby={journalId} className="workbench-settings">
        <h4 id={journalId}>{t('developer.journal')}</h4>
        <p className="settings__hint">{t('developer.journalHint')}</p>
        <p data-testid="journal-usage">
          {t('developer.usage', {
            deliveries: verified.count,
            size: formatSize(verified.bytes, i18n.language),
            pruned: verified.pruned,
            refused: refused.count,
            refusedSize: formatSize(refused.bytes, i18n.language),
          })}
        </p>
        <form className="workbench-settings__row" onSubmit={(event) => void prune(event)}>
          <label className="settings__field">
            <span>{t('developer.pruneDays')}</span>
            <input
              type="number"
              min={1}
              max={36500}
              step={1}
              required
              value={days}
              onChange={(event) => setDays(event.target.value)}
            />
          </label>
          <button type="submit" className="button">
            {t('developer.prune')}
          </button>
        </form>
        <p role="status" className="settings__hint">
          {pruned !== null &&
            t('developer.pruned', { bodies: pruned.bodies, refused: pruned.refused })}
        </p>
        {pruneError !== null && (
          <ErrorMessage title={t('developer.pruneFailed')} error={pruneError} />
        )}
      </section>
    </>
  );
}
