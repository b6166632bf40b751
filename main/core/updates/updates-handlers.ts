import type { HandlersFor } from '../ipc/dispatch';
import type { UpdatePolicy } from './update-policy';

/** The `updates:*` commands, answered by the update policy whether or not the inbox runs. */
export function updatesHandlers(policy: UpdatePolicy) {
  return {
    'updates:getState': async () => policy.state(),
    'updates:check': () => policy.check(),
    'updates:setSettings': async (input) => policy.setSettings(input),
    'updates:restart': (input) => policy.restart(input),
    'updates:cancelRestart': async () => policy.cancelRestart(),
  } satisfies HandlersFor<'updates'>;
}
