import { createContext, useContext, useEffect, useState } from 'react';
import type { HealthReport } from '../../../../shared/ipc/health-contract';
import type { InboxClient } from '../../bridge';

/** The commands and event the health light and panel use; they keep their own state. */
export type HealthClient = Pick<InboxClient, 'health' | 'on'>;

export const HealthClientContext = createContext<HealthClient | null>(null);

export function useHealthClient(): HealthClient {
  const client = useContext(HealthClientContext);
  if (client === null) throw new Error('useHealthClient needs a HealthClientContext provider');
  return client;
}

const NOTHING_YET: HealthReport = { overall: 'unknown', checks: [] };

/** The latest health report: asked for once, then kept current by `health:changed`. */
export function useHealthReport(): [HealthReport, (report: HealthReport) => void] {
  const client = useHealthClient();
  const [report, setReport] = useState<HealthReport>(NOTHING_YET);
  useEffect(() => {
    let current = true;
    const off = client.on('health:changed', (next) => setReport(next));
    // Before the core runs there is no report to read: the light says it is checking.
    client.health.get().then(
      (next) => current && setReport(next),
      () => undefined,
    );
    return () => {
      current = false;
      off();
    };
  }, [client]);
  return [report, setReport];
}
