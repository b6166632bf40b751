import type { AppStatus } from '../../../shared/domain/schemas';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import type { Loadable } from './transitions';
import { toUiError } from './ui-error';

export type StatusSlice = {
  status: AppStatus | null;
  statusLoad: Loadable;
  loadStatus: () => Promise<void>;
  applyStatus: (status: AppStatus) => void;
};

export const createStatusSlice =
  (client: InboxClient): SliceCreator<StatusSlice> =>
  (set, get) => ({
    status: null,
    statusLoad: { phase: 'idle' },
    async loadStatus() {
      const hadStatus = get().status !== null;
      if (!hadStatus) set({ statusLoad: { phase: 'loading' } });
      try {
        set({ status: await client.app.getStatus(), statusLoad: { phase: 'ready' } });
      } catch (error) {
        const uiError = toUiError(error);
        // A failed refresh keeps what is on screen; the connection banner says why it is stale.
        if (!hadStatus) set({ statusLoad: { phase: 'error', error: uiError } });
      }
    },
    applyStatus(status) {
      set({ status, statusLoad: { phase: 'ready' } });
    },
  });
