import { INVOKE_CHANNELS } from '../../shared/ipc/contract';
import type { InvokeHandlers } from '../../main/core/ipc/dispatch';

/**
 * A handler for every channel of the contract that rejects with "not under test"; tests override
 * the ones they exercise. Built from the contract, so a new command needs no change here.
 */
export function handlersNotUnderTest<T extends Partial<InvokeHandlers>>(
  overrides: T,
): InvokeHandlers & T {
  const rejecting = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      () => Promise.reject(new Error(`${channel} is not under test`)),
    ]),
  ) as unknown as InvokeHandlers;
  return { ...rejecting, ...overrides };
}
