import { useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthState } from '../../../../shared/ipc/health-contract';
import { HealthPanel } from './HealthPanel';
import { HealthClientContext, useHealthReport } from './health-client';

const LIGHT_KEY = {
  ok: 'health.lightOk',
  warning: 'health.lightWarning',
  failing: 'health.lightFailing',
  unknown: 'health.lightUnknown',
} as const satisfies Record<HealthState, string>;

/**
 * One light and one sentence for the status strip; the panel says what is behind it. Absent where
 * nothing answers health commands (a strip rendered on its own).
 */
export function HealthLight() {
  return useContext(HealthClientContext) === null ? null : <Light />;
}

function Light() {
  const { t } = useTranslation();
  const [report, setReport] = useHealthReport();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`health-light health-light--${report.overall}`}
        data-testid="health-light"
        data-state={report.overall}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <span className="health-light__dot" aria-hidden="true" />
        {t(LIGHT_KEY[report.overall])}
      </button>
      {open && <HealthPanel report={report} onReport={setReport} onClose={() => setOpen(false)} />}
    </>
  );
}
