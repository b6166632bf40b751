import type { InboxBridge } from '../../shared/ipc/bridge';

declare global {
  interface Window {
    /**
     * Provided by the preload in the desktop app; absent in headless mode, where the renderer
     * builds the same bridge over a WebSocket. Read only by `bridge.ts`.
     */
    inbox?: InboxBridge;
  }
}
