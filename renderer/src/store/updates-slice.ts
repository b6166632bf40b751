import type { UpdateSettings, UpdateState } from '../../../shared/ipc/updates-contract';
import type { InboxClient } from '../bridge';
import type { SliceCreator } from './app-state';
import { toUiError, type UiError } from './ui-error';

export type UpdatesSlice = {
  /** What main says about new versions; null until the first answer. */
  updates: UpdateState | null;
  /** The last update command main refused (the state itself explains check problems). */
  updatesError: UiError | null;
  loadUpdates: () => Promise<void>;
  applyUpdates: (state: UpdateState) => void;
  checkForUpdates: () => Promise<void>;
  setUpdateSettings: (settings: Partial<UpdateSettings>) => Promise<void>;
  /** "Restart to update": waits for messages still going out unless `now`. */
  restartToUpdate: (now: boolean) => Promise<void>;
  cancelRestart: () => Promise<void>;
};

export const createUpdatesSlice =
  (client: InboxClient): SliceCreator<UpdatesSlice> =>
  (set) => {
    /** Every command answers with the new state; a refusal keeps the state and says why. */
    async function run(command: () => Promise<UpdateState>): Promise<void> {
      set({ updatesError: null });
      try {
        set({ updates: await command() });
      } catch (error) {
        set({ updatesError: toUiError(error) });
      }
    }
    return {
      updates: null,
      updatesError: null,
      async loadUpdates() {
        try {
          set({ updates: await client.updates.getState() });
        } catch (error) {
          set({ updatesError: toUiError(error) });
        }
      },
      applyUpdates(updates) {
        set({ updates });
      },
      checkForUpdates: () => run(() => client.updates.check()),
      setUpdateSettings: (settings) => run(() => client.updates.setSettings(settings)),
      restartToUpdate: (now) => run(() => client.updates.restart({ now })),
      cancelRestart: () => run(() => client.updates.cancelRestart()),
    };
  };
