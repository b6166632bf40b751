import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeliveryRecordDto } from '../../../../shared/ipc/developer-contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { toUiError } from '../../store/ui-error';
import { useDeveloper } from './developer-client';
import type { ReplayState } from './DeliveryDetail';

/** Sends one event of a kind `inlet simulate` knows, for the connected (or filtered) account. */
export function SimulateMenu({
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
