import type { InvokeOutput, InvokeParsedInput } from '../../../shared/ipc/contract';
import type { updatesInvokeContract } from '../../../shared/ipc/updates-contract';
import type { UpdatePolicy } from './update-policy';

type UpdatesChannel = keyof typeof updatesInvokeContract;

/** The `updates:*` commands, answered by the update policy. */
export function updatesHandlers(policy: UpdatePolicy): {
  [C in UpdatesChannel]: (input: InvokeParsedInput<C>) => Promise<InvokeOutput<C>>;
} {
  return {
    'updates:getState': () => Promise.resolve(policy.state()),
    'updates:check': () => policy.check(),
    'updates:setSettings': (input) => Promise.resolve(policy.setSettings(input)),
    'updates:restart': (input) => policy.restart(input),
    'updates:cancelRestart': () => Promise.resolve(policy.cancelRestart()),
  };
}
