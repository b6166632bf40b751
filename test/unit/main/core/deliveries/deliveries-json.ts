import { runDeliveriesCommand } from '../../../../../main/cli/deliveries-command';
import type { DeliveryRecord } from '../../../../../main/core/deliveries/delivery-view';

/** `inlet deliveries --sandbox --json` on `dir`, parsed. */
export async function sandboxDeliveries(
  dir: string,
  args: string[] = [],
): Promise<DeliveryRecord[]> {
  const lines: string[] = [];
  await runDeliveriesCommand(['--sandbox', '--data-dir', dir, '--json', ...args], {
    env: {},
    defaultDataDir: () => dir,
    stdout: (line) => void lines.push(line),
    now: Date.now,
  });
  return lines.map((line) => JSON.parse(line) as DeliveryRecord);
}

/** Waits until the newest delivery matches `done` (the journal is read as a developer would). */
export async function newestOnceThat(
  dir: string,
  done: (record: DeliveryRecord) => boolean = (record) => record.outcome !== 'pending',
): Promise<DeliveryRecord> {
  for (;;) {
    const [newest] = await sandboxDeliveries(dir, ['--limit', '1']);
    if (newest && done(newest)) return newest;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
