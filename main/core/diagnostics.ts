import type { AppStatus } from '../../shared/domain/schemas';
import type { UpdateState } from '../../shared/ipc/updates-contract';
import { readAppVersion } from './app-version';
import type { InvokeHandlers } from './ipc/dispatch';
import { redactText } from './logger';
import type { Clock } from './ports';

const LOG_LINES = 100;

export type DiagnosticsInput = {
  /** Inlet, Electron, Chrome, Node… as the shell reports them. */
  versions: Record<string, string | undefined>;
  platform: string;
  status: AppStatus;
  updates: UpdateState;
  /** The newest log lines, already redacted by the logger. */
  recentLogLines: string[];
  /** Values known to be secret (the verify token, …): never copied, wherever they turn up. */
  secrets: (string | null)[];
  now: number;
};

/**
 * Help → "Copy diagnostics": what someone helping the owner needs (versions, connection health, the
 * update state, recent log lines) and nothing they must not see. The log lines were redacted when
 * written; they are redacted again here, and known secret values are blanked wherever they appear.
 */
export function buildDiagnostics(input: DiagnosticsInput): string {
  const { status, updates } = input;
  const fmt = (at: number | null) => (at === null ? 'never' : new Date(at).toISOString());
  const lines = [
    `Inlet diagnostics, ${new Date(input.now).toISOString()}`,
    '',
    '## Versions',
    ...Object.entries(input.versions)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, version]) => `${name}: ${version}`),
    `platform: ${input.platform}`,
    '',
    '## Health',
    `mode: ${status.mode}`,
    `webhook listener: ${status.webhookUrl ?? 'not running'}`,
    `tunnel: ${status.tunnel.state}${status.tunnel.error ? ` (${status.tunnel.error.text})` : ''}`,
    `next tunnel attempt: ${fmt(status.tunnel.retryAt)}`,
    `last webhook delivery: ${fmt(status.lastEventAt)}`,
    ...status.accounts.map(
      (account) =>
        `account @${account.username}: ${account.state}${account.reason ? ` (${account.reason.text})` : ''}`,
    ),
    '',
    '## Updates',
    `state: ${updates.unsupported ? `not by Inlet (${updates.unsupported})` : updates.phase}`,
    `available: ${updates.update?.version ?? 'none'}`,
    `problem: ${updates.problem ?? 'none'}`,
    `last check: ${fmt(updates.lastCheckedAt)}`,
    `automatic checks: ${updates.settings.autoCheck ? 'on' : 'off'}, prereleases: ${updates.settings.prereleases ? 'on' : 'off'}`,
    `messages going out: ${updates.pendingSends}`,
    '',
    `## Log (newest ${LOG_LINES} lines)`,
    ...input.recentLogLines.slice(-LOG_LINES),
  ];
  const secrets = input.secrets.filter(
    (secret): secret is string => !!secret && secret.length >= 4,
  );
  return lines
    .map((line) =>
      secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), redactText(line)),
    )
    .join('\n');
}

/**
 * `app:getDiagnostics` for both shells (Help → "Copy diagnostics", About in the window). Answered
 * whether or not the inbox runs: a core that failed to come up is when help is needed most.
 */
export function diagnosticsHandler(deps: {
  status: () => AppStatus;
  updates: () => UpdateState;
  /** The log file's newest lines; none where logs only go to the terminal (headless). */
  recentLogLines: () => string[];
  clock: Clock;
}): Pick<InvokeHandlers, 'app:getDiagnostics'> {
  return {
    'app:getDiagnostics': async () => {
      const status = deps.status();
      return {
        text: buildDiagnostics({
          versions: {
            inlet: readAppVersion(),
            electron: process.versions.electron,
            chrome: process.versions.chrome,
            node: process.versions.node,
          },
          platform: `${process.platform} ${process.arch}`,
          status,
          updates: deps.updates(),
          recentLogLines: deps.recentLogLines(),
          secrets: [status.verifyToken],
          now: deps.clock.now(),
        }),
      };
    },
  };
}
