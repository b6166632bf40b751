import { ipcMain, type BrowserWindow } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventChannel,
  type EventPayload,
} from '../../shared/ipc/contract';
import { failure, type IpcResult } from '../../shared/ipc/result';
import type { CoreEvents } from '../core/core-types';
import { dispatchInvoke, type InvokeHandlers } from '../core/ipc/dispatch';
import type { Logger } from '../core/ports';

/**
 * Binds every command of the contract to `ipcMain.handle`. The sender is checked first: only our
 * own page may command the core, not a frame that navigated elsewhere (`senderFrame` is null once
 * it has) or content from another origin. Validation and errors are `dispatchInvoke`'s job, shared
 * with the headless shell. Returns a function that removes the handlers again.
 */
export function registerInvokeHandlers(
  handlers: InvokeHandlers,
  isAppUrl: (url: string) => boolean,
  logger: Logger,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, raw: unknown): Promise<IpcResult<unknown>> => {
      const frameUrl = event.senderFrame?.url;
      if (frameUrl === undefined || !isAppUrl(frameUrl)) {
        logger.warn('refused a command from an unknown sender', { channel, frameUrl });
        return failure('FORBIDDEN', 'Unknown sender');
      }
      return dispatchInvoke(handlers, channel, raw, logger);
    });
  }
  return () => INVOKE_CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}

/** Pushes one event to the window's page; a window that is closing simply misses it. */
export function emitToRenderer<C extends EventChannel>(
  window: BrowserWindow,
  channel: C,
  payload: EventPayload<C>,
): void {
  if (window.isDestroyed() || window.webContents.isDestroyed()) return;
  window.webContents.send(channel, payload);
}

/** Forwards every event channel of the contract from the core to the window; returns the unsubscribe. */
export function forwardEvents(events: CoreEvents, window: BrowserWindow): () => void {
  const unsubscribes = EVENT_CHANNELS.map((channel) =>
    events.on(channel, (payload) => emitToRenderer(window, channel, payload)),
  );
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
