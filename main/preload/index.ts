/**
 * The narrow bridge between the untrusted page and main: `window.inbox` with the two primitives
 * of the IPC contract, restricted to the contract's channels. The page never gets `ipcRenderer`
 * nor an IpcRendererEvent (whose `sender` would reach it). Main checks sender and input anyway;
 * refusing here keeps a compromised page from probing other channels (electron-store's, say).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { InboxBridge } from '../../shared/ipc/bridge';
import type { IpcFailure } from '../../shared/ipc/result';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from './channels';

const invokeChannels = new Set<unknown>(INVOKE_CHANNELS);
const eventChannels = new Set<unknown>(EVENT_CHANNELS);

const invoke: InboxBridge['invoke'] = (channel, ...input) => {
  if (!invokeChannels.has(channel)) {
    // A result, not a throw: the bridge's promise never rejects for a refused command.
    const refused: IpcFailure = { ok: false, code: 'FORBIDDEN', message: 'Unknown command' };
    return Promise.resolve(refused);
  }
  return ipcRenderer.invoke(channel, input[0]);
};

const on: InboxBridge['on'] = (channel, listener) => {
  if (!eventChannels.has(channel)) throw new Error(`Unknown event channel: ${String(channel)}`);
  if (typeof listener !== 'function') throw new TypeError('The listener must be a function');
  const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]) =>
    listener(payload);
  ipcRenderer.on(channel, forward);
  return () => void ipcRenderer.removeListener(channel, forward);
};

contextBridge.exposeInMainWorld('inbox', { invoke, on } satisfies InboxBridge);
