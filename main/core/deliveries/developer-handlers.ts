import { AppError } from '../errors';
import type { Database } from '../archive/database';
import type { HandlersFor } from '../ipc/dispatch';
import type { Fetch, KeyValueStore, SimulatedEvents } from '../ports';
import {
  DeveloperSettingsSchema,
  ForwardingSettingsSchema,
  type DeveloperSettings,
  type ForwardingSettings,
  type Workbench,
} from '../../../shared/ipc/developer-contract';
import { DeliveryView } from './delivery-view';
import { parseForwardTarget, type Forwarder } from './forwarder';
import {
  curlCommand,
  postToListener,
  replayBytes,
  replayDelivery,
  type ReplayTarget,
} from './replay';

const SETTINGS_KEY = 'developer.settings';
const FORWARDING_KEY = 'developer.forwarding';
const SETTINGS_OPT_IN = '"Allow hosts other than this machine" in Settings → Developer';

/** The forwarding set in Settings, as stored; a missing or damaged value means none. */
export function readForwardingSettings(kv: KeyValueStore): ForwardingSettings {
  const parsed = ForwardingSettingsSchema.safeParse(kv.get(FORWARDING_KEY) ?? {});
  return parsed.success ? parsed.data : { targets: [], allowRemote: false };
}

/**
 * Where verified deliveries go: `inlet serve --forward-to` targets, then those set in Settings.
 * A stored target that no longer passes (hand-edited settings) is left out rather than trusted.
 */
export function forwardTargets(commandLine: readonly URL[], settings: ForwardingSettings): URL[] {
  const fromSettings = settings.targets.flatMap((text) => {
    try {
      return [parseForwardTarget(text, settings.allowRemote, SETTINGS_OPT_IN)];
    } catch {
      return [];
    }
  });
  return [...commandLine, ...fromSettings];
}

export type DeveloperDeps = {
  database: Database;
  kv: KeyValueStore;
  fetch: Fetch;
  /** The running listener's local URL and the app secret it verifies with; null when it is down. */
  target: () => ReplayTarget | null;
  forwarding: { forwarder: Forwarder; commandLine: readonly URL[] };
  simulatedEvents?: SimulatedEvents;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
};

/** The `developer:*` commands: the delivery journal and the refused ring, replays, the switch. */
export function developerHandlers(deps: DeveloperDeps) {
  const view = new DeliveryView(deps.database);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  // Read with a default so a missing or damaged value means "off", never a crash.
  const settings = (): DeveloperSettings => {
    const parsed = DeveloperSettingsSchema.safeParse(deps.kv.get(SETTINGS_KEY) ?? {});
    return parsed.success ? parsed.data : { enabled: false };
  };
  const target = () => {
    const found = deps.target();
    if (!found) throw new AppError('NOT_CONNECTED', 'The webhook listener is not running.');
    return found;
  };
  const workbench = (): Workbench => ({
    forwarding: {
      settings: readForwardingSettings(deps.kv),
      commandLine: deps.forwarding.commandLine.map((url) => url.href),
      queues: deps.forwarding.forwarder.state,
    },
    usage: view.usage(),
    simulateKinds: [...(deps.simulatedEvents?.kinds ?? [])],
  });
  const post = (bytes: Uint8Array) =>
    postToListener({ view, database: deps.database, fetch: deps.fetch, sleep, target }, bytes);
  return {
    'developer:getSettings': async () => settings(),
    'developer:setSettings': async (input) => {
      deps.kv.set(SETTINGS_KEY, input);
      return settings();
    },
    'developer:listDeliveries': async (input) => ({ deliveries: view.list(input) }),
    'developer:getDelivery': async ({ id }) => {
      const found = view.get(id);
      if (!found) throw new AppError('NOT_FOUND', `No delivery ${id} is kept.`);
      return {
        delivery: found.record,
        bodyBase64: Buffer.from(found.body).toString('base64'),
        headers: found.headers,
      };
    },
    'developer:replay': async ({ id, editedJson }) => ({
      delivery: await replayDelivery(
        { view, database: deps.database, fetch: deps.fetch, sleep, target },
        id,
        editedJson,
      ),
    }),
    'developer:curl': async ({ id }) => {
      const bytes = replayBytes(view, id);
      const { url, secret } = target();
      return { command: curlCommand(url, bytes, secret) };
    },
    'developer:getWorkbench': async () => workbench(),
    'developer:setForwarding': async (input) => {
      const targets = input.targets.map((text) => {
        try {
          return parseForwardTarget(text, input.allowRemote, SETTINGS_OPT_IN).href;
        } catch (error) {
          throw new AppError('INVALID_INPUT', (error as Error).message, { cause: error });
        }
      });
      const settings = { targets: [...new Set(targets)], allowRemote: input.allowRemote };
      deps.kv.set(FORWARDING_KEY, settings);
      deps.forwarding.forwarder.setTargets(forwardTargets(deps.forwarding.commandLine, settings));
      return workbench();
    },
    'developer:prune': async ({ days }) => ({
      ...view.prune(days, deps.now()),
      workbench: workbench(),
    }),
    'developer:simulate': async ({ kind, accountId, text }) => {
      const events = deps.simulatedEvents;
      if (!events?.kinds.includes(kind))
        throw new AppError('INVALID_INPUT', `"${kind}" is not an event Inlet can simulate.`);
      const account = accountId ?? firstAccount(deps.database);
      if (account === null)
        throw new AppError('NOT_CONNECTED', 'Connect an Instagram account to simulate its events.');
      const body = events.build(kind, { account, text, now: deps.now() });
      return { delivery: await post(Buffer.from(body, 'utf8')) };
    },
  } satisfies HandlersFor<'developer'>;
}

/** The account Inlet connected first: the one `inlet simulate` also picks. */
function firstAccount(database: Database): string | null {
  const row = database.prepare('SELECT ig_user_id FROM accounts ORDER BY rowid LIMIT 1').get() as
    { ig_user_id: string } | undefined;
  return row?.ig_user_id ?? null;
}
