import { AppError } from '../errors';
import type { Database } from '../archive/database';
import type { HandlersFor } from '../ipc/dispatch';
import type { Fetch, KeyValueStore } from '../ports';
import {
  DeveloperSettingsSchema,
  type DeveloperSettings,
} from '../../../shared/ipc/developer-contract';
import { DeliveryView } from './delivery-view';
import { curlCommand, replayBytes, replayDelivery, type ReplayTarget } from './replay';

const SETTINGS_KEY = 'developer.settings';

export type DeveloperDeps = {
  database: Database;
  kv: KeyValueStore;
  fetch: Fetch;
  /** The running listener's local URL and the app secret it verifies with; null when it is down. */
  target: () => ReplayTarget | null;
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
  } satisfies HandlersFor<'developer'>;
}
