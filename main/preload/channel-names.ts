import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/contract';

/** The `define` that gives the preload (channels.ts) the contract's channel names at build time. */
export const channelNamesDefine = {
  __INLET_IPC_CHANNELS__: JSON.stringify({ invoke: INVOKE_CHANNELS, events: EVENT_CHANNELS }),
};
