import { existsSync, readFileSync } from 'node:fs';
import { Archive } from '../core/archive/archive';
import { archivePathIn, prepareArchive } from '../core/archive/archive-file';
import { DeliveryView, type DeliveryRecord } from '../core/deliveries/delivery-view';
import { readListenerFile } from '../core/deliveries/listener-file';
import { AppError } from '../core/errors';
import type { Fetch } from '../core/ports';
import { replayDelivery } from '../core/deliveries/replay';
import { SANDBOX_APP_SECRET } from '../sandbox/sandbox';
import { UsageError } from '../../shared/domain/command-error';
import { commandDataDir, parseCommandOptions } from './command-args';

export const DELIVERIES_USAGE = `usage: inlet deliveries [--data-dir DIR] [--sandbox] [--json] [--limit N] [--account ID] [--kind K] [--refused]
         [--signature valid|wrong|missing|unchecked] [--outcome understood|not-understood|pending|refused]
         [--text TEXT] [--prune-days N]
Lists every request that reached the webhook listener, newest first: verified deliveries (kept
byte for byte) and refused ones (the newest 500, bodies capped at 16 KiB; never processed).
--json prints one JSON object per line. --refused lists refused requests only. --text finds TEXT
in the bodies, case-insensitively, with Meta's \\uXXXX escapes undone. --prune-days N drops
the bodies of processed deliveries older than N days and refused requests as old (messages are
never touched); the space the journal uses is printed either way.`;

export const REPLAY_USAGE = `usage: inlet replay ID [--edit FILE] [--data-dir DIR] [--sandbox] [--secret SECRET] [--json]
Posts delivery ID again to the running Inlet's own webhook listener, signed with the app secret
(--secret, else INLET_APP_SECRET; the sandbox's is known), and says what it changed. --edit FILE
replays FILE's JSON instead of the stored body.`;

type Deps = {
  env: Readonly<Record<string, string | undefined>>;
  defaultDataDir: () => string;
  stdout: (line: string) => void;
  now: () => number;
};

const DATA_OPTIONS = {
  'data-dir': { type: 'string' },
  sandbox: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `inlet deliveries`: the journal as a developer reads it. */
export async function runDeliveriesCommand(args: string[], deps: Deps): Promise<void> {
  const values = parseCommandOptions(
    'deliveries',
    args,
    {
      ...DATA_OPTIONS,
      limit: { type: 'string' },
      account: { type: 'string' },
      kind: { type: 'string' },
      refused: { type: 'boolean' },
      signature: { type: 'string' },
      outcome: { type: 'string' },
      text: { type: 'string' },
      'prune-days': { type: 'string' },
    },
    DELIVERIES_USAGE,
  );
  if (values.help) return deps.stdout(DELIVERIES_USAGE);
  const limit = positiveInteger(values.limit, '--limit', 'deliveries') ?? 50;
  const pruneDays = positiveInteger(values['prune-days'], '--prune-days', 'deliveries');
  await withView(values, deps, (view) => {
    if (pruneDays !== undefined) {
      const pruned = view.prune(pruneDays, deps.now());
      deps.stdout(
        `Pruned: ${pruned.bodiesDropped} delivery bodies, ${pruned.refusedDropped} refused requests older than ${pruneDays} days.`,
      );
    }
    const records = view.list({
      limit,
      accountId: values.account,
      kind: values.kind,
      refused: values.refused === true,
      signature: oneOf(values.signature, '--signature', SIGNATURES),
      outcome: oneOf(values.outcome, '--outcome', OUTCOMES),
      text: values.text,
    });
    if (values.json) {
      for (const record of records) deps.stdout(JSON.stringify(record));
      return;
    }
    for (const record of records) deps.stdout(describe(record));
    const usage = view.usage();
    deps.stdout(
      `Journal: ${usage.verified.count} deliveries (${formatBytes(usage.verified.bytes)}, ${usage.verified.pruned} pruned), ${usage.refused.count} refused requests (${formatBytes(usage.refused.bytes)}).`,
    );
  });
}

/** `inlet replay`: one delivery through the whole path again, and what that changed. */
export async function runReplayCommand(
  args: string[],
  deps: Deps & {
    fetch: Fetch;
    isRunning: (pid: number) => boolean;
    sleep: (ms: number) => Promise<void>;
  },
): Promise<void> {
  const [id, ...rest] = args;
  if (id === undefined || id.startsWith('-')) {
    if (id === '--help' || id === '-h') return deps.stdout(REPLAY_USAGE);
    throw new UsageError(
      `replay: which delivery? Give its id (see inlet deliveries).\n${REPLAY_USAGE}`,
    );
  }
  const values = parseCommandOptions(
    'replay',
    rest,
    { ...DATA_OPTIONS, edit: { type: 'string' }, secret: { type: 'string' } },
    REPLAY_USAGE,
  );
  const editedJson = values.edit === undefined ? undefined : readEdited(values.edit);
  const secret =
    values.secret ?? deps.env.INLET_APP_SECRET ?? (values.sandbox ? SANDBOX_APP_SECRET : undefined);
  if (!secret) {
    throw new UsageError(
      'replay: the app secret signs the replay; give --secret or set INLET_APP_SECRET',
    );
  }
  const archivePath = archivePathIn(
    commandDataDir(values['data-dir'], deps.env, deps.defaultDataDir),
    values.sandbox === true,
  );
  await withView(values, deps, async (view, database) => {
    const target = () => {
      const listener = readListenerFile(archivePath, deps.isRunning);
      if (!listener) {
        throw new Error(
          `replay: no Inlet is running on ${archivePath}; start it with inlet serve${values.sandbox ? ' --sandbox' : ''}`,
        );
      }
      return { url: listener.url, secret };
    };
    const record = await replayDelivery(
      { view, database, fetch: deps.fetch, sleep: deps.sleep, target },
      id,
      editedJson,
    ).catch((error: unknown) => {
      // The core's sentences, said as the CLI says its errors
      throw error instanceof AppError
        ? new Error(`replay: ${error.message}`, { cause: error })
        : error;
    });
    if (values.json) return deps.stdout(JSON.stringify(record));
    deps.stdout(
      record ? replayReport(record) : 'Replayed; Inlet has not finished processing it yet.',
    );
  });
}

function readEdited(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`replay: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function replayReport(record: DeliveryRecord): string {
  const { messagesCreated, messagesUpdated, comments } = record.changes;
  const changed = [
    messagesCreated.length > 0 ? `created messages ${messagesCreated.join(', ')}` : null,
    messagesUpdated.length > 0 ? `updated messages ${messagesUpdated.join(', ')}` : null,
    comments.length > 0 ? `stored comments ${comments.join(', ')}` : null,
  ].filter((part) => part !== null);
  const unknown =
    record.unknownAccountIds.length > 0
      ? ` Not connected in Inlet (skipped): ${record.unknownAccountIds.join(', ')}.`
      : '';
  if (record.outcome === 'not-understood')
    return `Replayed as delivery ${record.id}: not understood (${record.reason}).`;
  return changed.length > 0
    ? `Replayed as delivery ${record.id}: ${changed.join('; ')}.${unknown}`
    : `Replayed as delivery ${record.id}: changed nothing (everything in it was already stored).${unknown}`;
}

async function withView(
  values: { 'data-dir'?: string; sandbox?: boolean },
  deps: Deps,
  work: (view: DeliveryView, database: Archive['database']) => void | Promise<void>,
): Promise<void> {
  const path = archivePathIn(
    commandDataDir(values['data-dir'], deps.env, deps.defaultDataDir),
    values.sandbox === true,
  );
  if (!existsSync(path)) {
    throw new Error(
      `no archive at ${path}. ${values.sandbox ? 'The sandbox has not run with this data dir yet.' : 'Use --sandbox for the sandbox archive.'}`,
    );
  }
  await prepareArchive(path, deps.now);
  const archive = new Archive(path);
  try {
    await work(new DeliveryView(archive.database), archive.database);
  } finally {
    archive.close();
  }
}

const SIGNATURES = ['valid', 'wrong', 'missing', 'unchecked'] as const;
const OUTCOMES = ['understood', 'not-understood', 'pending', 'refused'] as const;

function oneOf<T extends string>(
  text: string | undefined,
  flag: string,
  allowed: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`deliveries: ${flag} is one of ${allowed.join(', ')}`);
  return text as T;
}

function positiveInteger(text: string | undefined, flag: string, command: string) {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text))
    throw new UsageError(`${command}: ${flag} takes a positive whole number`);
  return Number(text);
}

function describe(record: DeliveryRecord): string {
  const when = new Date(record.receivedAt).toISOString();
  const what = record.refused
    ? `refused ${record.status}: ${record.reason} (signature ${record.signature})`
    : `${record.kinds.join(',') || '-'} for ${record.accountIds.join(',') || '-'}: ${record.outcome}${record.reason ? ` (${record.reason})` : ''}`;
  const answered = record.answerMs === null ? '' : ` in ${record.answerMs} ms`;
  const skipped =
    record.unknownAccountIds.length > 0
      ? `; not connected, skipped: ${record.unknownAccountIds.join(',')}`
      : '';
  return `${record.id.padStart(6)}  ${when}  ${formatBytes(record.bytes).padStart(9)}  ${record.status}${answered}  ${what}${skipped}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
