import { useTranslation } from 'react-i18next';
import type { DeliveryRecordDto } from '../../../../shared/ipc/developer-contract';

/** One delivery at a glance: when, what, its signature, outcome and forwarding. */
export function DeliverySummary({ record }: { record: DeliveryRecordDto }) {
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
