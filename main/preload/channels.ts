import type { EventChannel, InvokeChannel } from '../../shared/ipc/contract';

/**
 * The contract's channel names. A sandboxed preload is one small CommonJS file, and importing the
 * contract would bundle zod and every schema into it; so the build writes the names in instead
 * (`define` in electron.vite.config.ts, from the contract's keys; the preload test stubs the same).
 */
declare const __INLET_IPC_CHANNELS__: {
  invoke: readonly InvokeChannel[];
  events: readonly EventChannel[];
};

export const INVOKE_CHANNELS = __INLET_IPC_CHANNELS__.invoke;
export const EVENT_CHANNELS = __INLET_IPC_CHANNELS__.events;
