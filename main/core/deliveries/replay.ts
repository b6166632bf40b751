import type { Database } from '../archive/database';
import { AppError } from '../errors';
import type { Fetch } from '../ports';
import { signBody } from '../webhook/signature';
import type { DeliveryRecord, DeliveryView } from './delivery-view';

/** Where a replay goes: a running Inlet's own listener and the app secret it verifies with. */
export type ReplayTarget = { url: string; secret: string };

export type ReplayDeps = {
  view: DeliveryView;
  database: Database;
  fetch: Fetch;
  sleep: (ms: number) => Promise<void>;
  /** Null when no listener is running; asked only once the delivery is known to be replayable. */
  target: () => ReplayTarget | null;
};

/**
 * The bytes a replay of `id` posts: the stored body, or `editedJson` instead. Everything that
 * would make a replay wrong is refused here, before anything is sent: a refused request was never
 * verified, a pruned body is gone, edited text that is not JSON would only be refused again.
 */
export function replayBytes(view: DeliveryView, id: string, editedJson?: string): Uint8Array {
  const found = view.get(id);
  if (!found) throw new AppError('NOT_FOUND', `No delivery ${id} is kept.`);
  if (found.record.refused) {
    throw new AppError(
      'INVALID_INPUT',
      `${id} was refused (${found.record.reason}); it was never verified, so it is not replayed.`,
    );
  }
  if (editedJson === undefined) {
    if (found.record.pruned) {
      throw new AppError(
        'INVALID_INPUT',
        `The body of ${id} was pruned; replay an edited copy instead.`,
      );
    }
    return found.body;
  }
  try {
    JSON.parse(editedJson);
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `The edited text is not valid JSON (${(error as Error).message}); nothing was sent.`,
      { cause: error },
    );
  }
  return Buffer.from(editedJson, 'utf8');
}

/**
 * Replays delivery `id` (or its edited copy) through the whole path: signed with the app secret,
 * posted to the listener, and answered with the replay's own journal entry once processed (null if
 * Inlet has not finished within ~10 s). The CLI and `developer:replay` both come here.
 */
export async function replayDelivery(
  deps: ReplayDeps,
  id: string,
  editedJson?: string,
): Promise<DeliveryRecord | null> {
  return postToListener(deps, replayBytes(deps.view, id, editedJson));
}

/**
 * Signs `bytes` with the app secret, posts them to Inlet's own listener as Meta would, and answers
 * their journal entry once processed (null if Inlet has not finished within ~10 s). Replays and
 * the Developer section's "Simulate" both come here.
 */
export async function postToListener(
  deps: ReplayDeps,
  bytes: Uint8Array,
): Promise<DeliveryRecord | null> {
  const target = deps.target();
  if (!target) throw new AppError('NOT_CONNECTED', 'No Inlet listener is running to replay to.');
  const newest = (
    deps.database.prepare('SELECT coalesce(max(id), 0) AS id FROM deliveries').get() as {
      id: number;
    }
  ).id;
  const response = await deps.fetch(target.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(bytes, target.secret),
    },
    body: Buffer.from(bytes), // a copy typed as fetch wants it; the same bytes
  });
  if (response.status !== 200) {
    throw new AppError(
      'INTERNAL',
      `The listener answered ${response.status} ${(await response.text()).trim()}${response.status === 401 ? ' (is the secret the app secret this Inlet uses?)' : ''}`,
    );
  }
  return replayed(deps, newest, bytes);
}

/** The replay's own journal entry once processed (up to ~10 s), found by its bytes. */
async function replayed(
  deps: ReplayDeps,
  after: number,
  bytes: Uint8Array,
): Promise<DeliveryRecord | null> {
  const find = deps.database.prepare(
    'SELECT id FROM deliveries WHERE id > ? AND body = ? AND processed_at IS NOT NULL ORDER BY id LIMIT 1',
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const row = find.get(after, bytes) as { id: number } | undefined;
    if (row) return deps.view.get(String(row.id))?.record ?? null;
    await deps.sleep(100);
  }
  return null;
}

/**
 * A shell command that posts `bytes` to `url` as Meta would: the signature is computed here, so
 * the command carries a valid `X-Hub-Signature-256` but never the secret. The body is one
 * single-quoted word (a `'` inside becomes `'\''`), and `--data-binary` keeps it byte for byte.
 */
export function curlCommand(url: string, bytes: Uint8Array, secret: string): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  return [
    'curl -sS -X POST',
    quote(url),
    `-H ${quote('Content-Type: application/json')}`,
    `-H ${quote(`X-Hub-Signature-256: ${signBody(bytes, secret)}`)}`,
    `--data-binary ${quote(Buffer.from(bytes).toString('utf8'))}`,
  ].join(' ');
}
