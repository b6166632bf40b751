import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { archivePathIn } from '../core/archive/archive-file';
import { SANDBOX_APP_SECRET } from '../sandbox/sandbox';
import { readListenerFile } from '../core/deliveries/listener-file';

/** A running Inlet found from its data dir: where its listener is, and what it knows. */
export type RunningInlet = {
  mode: 'live' | 'sandbox';
  url: string;
  /** The secret its deliveries are signed with, when it can be known without asking (the sandbox's). */
  secret: string | null;
  /** The Instagram accounts its archive knows, oldest first. */
  accountIds: string[];
};

/**
 * The Inlet running on `dataDir`: the sandbox when asked for, else the live one if it runs, else
 * the sandbox. Null when neither runs.
 */
export function findRunningInlet(
  dataDir: string,
  preferSandbox: boolean,
  isRunning: (pid: number) => boolean,
): RunningInlet | null {
  const order = preferSandbox ? [true] : [false, true];
  for (const sandbox of order) {
    const archivePath = archivePathIn(dataDir, sandbox);
    const listener = readListenerFile(archivePath, isRunning);
    if (!listener) continue;
    return {
      mode: sandbox ? 'sandbox' : 'live',
      url: listener.url,
      secret: sandbox ? SANDBOX_APP_SECRET : null,
      accountIds: knownAccounts(archivePath),
    };
  }
  return null;
}

function knownAccounts(archivePath: string): string[] {
  if (!existsSync(archivePath)) return [];
  const db = new DatabaseSync(archivePath, { readOnly: true });
  try {
    const rows = db.prepare('SELECT ig_user_id FROM accounts ORDER BY rowid').all() as {
      ig_user_id: string;
    }[];
    return rows.map((row) => row.ig_user_id);
  } finally {
    db.close();
  }
}
