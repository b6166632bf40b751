import { ipcMain, type BrowserWindow } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel } from '../../shared/ipc/contract';
import { EVENT_BATCH_CHANNEL, type EventBatch } from '../../shared/ipc/event-batch';
import { failure, type IpcResult } from '../../shared/ipc/result';
import type { CoreEvents } from '../core/core-types';
import { dispatchInvoke, type InvokeHandlers } from '../core/ipc/dispatch';
import type { Logger } from '../core/ports';

/**
 * Binds every command of the contract to `ipcMain.handle`. The sender is checked first: only our
 * own page may command the core, not a frame that navigated elsewhere (`senderFrame` is null once
 * it has) or content from another origin. Validation and errors are `dispatchInvoke`'s job, shared
 * with the headless shell. `beforeAnswer` runs just before each answer goes back: the event
 * forwarder's flush, so an answer never overtakes an event emitted before it. Returns a function
 * that removes the handlers again.
 */
export function registerInvokeHandlers(
  handlers: InvokeHandlers,
  isAppUrl: (url: string) => boolean,
  logger: Logger,
  beforeAnswer: () => void = () => undefined,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, raw: unknown): Promise<IpcResult<unknown>> => {
      const frameUrl = event.senderFrame?.url;
      if (frameUrl === undefined || !isAppUrl(frameUrl)) {
        logger.warn('refused a command from an unknown sender', { channel, frameUrl });
        return failure('FORBIDDEN', 'Unknown sender');
      }
      const result = await dispatchInvoke(handlers, channel, raw, logger);
      beforeAnswer();
      return result;
    });
  }
  return () => INVOKE_CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}

export type EventForwarder = {
  /** Sends what is waiting now instead of at the end of the turn. */
  flush: () => void;
  stop: () => void;
};

/**
 * Forwards every event channel of the contract from the core to the window's page, the events of
 * one turn of the event loop as one message (EVENT_BATCH_CHANNEL). `window` is asked at each send:
 * none yet, or one that is closing, simply misses the batch (the page reads the state on load).
 */
export function forwardEvents(
  events: CoreEvents,
  window: () => BrowserWindow | null,
): EventForwarder {
  let waiting: [EventChannel, unknown][] = [];
  const flush = () => {
    if (waiting.length === 0) return;
    const batch: EventBatch = waiting;
    waiting = [];
    const target = window();
    if (target === null || target.isDestroyed() || target.webContents.isDestroyed()) return;
    target.webContents.send(EVENT_BATCH_CHANNEL, batch);
  };
  const unsubscribes = EVENT_CHANNELS.map((channel) =>
    events.on(channel, (payload) => {
      waiting.push([channel, payload]);
      if (waiting.length === 1) setImmediate(flush);
    }),
  );
  return {
    flush,
    stop: () => {
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      waiting = [];
    },
  };
}
