/**
 * The narrow bridge between the untrusted page and main: `window.inbox` with the two primitives
 * of the IPC contract, restricted to the contract's channels. The page never gets `ipcRenderer`
 * nor an IpcRendererEvent (whose `sender` would reach it). Main checks sender and input anyway;
 * refusing here keeps a compromised page from probing other channels (electron-store's, say).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { InboxBridge } from '../../shared/ipc/bridge';
import { EVENT_BATCH_CHANNEL, type EventBatch } from '../../shared/ipc/event-batch';
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

/**
 * The page's listeners, per channel. Main sends every event in batches on one IPC channel
 * (shared/ipc/event-batch.ts); a batch reaches its listeners in one task, in order.
 */
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_BATCH_CHANNEL, (_event: IpcRendererEvent, batch: unknown) => {
  if (!Array.isArray(batch)) return;
  for (const [channel, payload] of batch as EventBatch) {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  }
});

const on: InboxBridge['on'] = (channel, listener) => {
  if (!eventChannels.has(channel)) throw new Error(`Unknown event channel: ${String(channel)}`);
  if (typeof listener !== 'function') throw new TypeError('The listener must be a function');
  // Wrapped: the same function subscribed twice is two subscriptions, each with its own unsubscribe.
  const forward = (payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
  const forChannel = listeners.get(channel) ?? new Set();
  listeners.set(channel, forChannel.add(forward));
  return () => void forChannel.delete(forward);
};

contextBridge.exposeInMainWorld('inbox', { invoke, on } satisfies InboxBridge);
