import { useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RailButton } from '../../components/RailButton';
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
 * One light at the foot of the rail, its sentence as the tooltip; the panel says what is behind it.
 * Absent where nothing answers health commands (a rail rendered on its own).
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
      <RailButton
        label={t(LIGHT_KEY[report.overall])}
        className={`health-light health-light--${report.overall}`}
        data-testid="health-light"
        data-state={report.overall}
        aria-haspopup="dialog"
        onPress={() => setOpen(true)}
        icon={<span className="health-light__dot" aria-hidden="true" />}
      />
      {open && <HealthPanel report={report} onReport={setReport} onClose={() => setOpen(false)} />}
    </>
  );
}
