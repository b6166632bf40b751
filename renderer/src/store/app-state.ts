import type { StateCreator } from 'zustand';
import type { ComposerSlice } from './composer-slice';
import type { ConnectionSlice } from './connection-slice';
import type { ConversationsSlice } from './conversations-slice';
import type { NotificationsSlice } from './notifications-slice';
import type { SendingSlice } from './sending-slice';
import type { StatusSlice } from './status-slice';
import type { RepliesSlice } from './replies-slice';
import type { SearchSlice } from './search-slice';
import type { ThreadsSlice } from './threads-slice';
import type { TriageSlice } from './triage-slice';
import type { UpdatesSlice } from './updates-slice';

export type AppState = StatusSlice &
  ConnectionSlice &
  ConversationsSlice &
  ThreadsSlice &
  ComposerSlice &
  TriageSlice &
  SearchSlice &
  RepliesSlice &
  NotificationsSlice &
  SendingSlice &
  UpdatesSlice & {
    /** Loads what the first screen needs; also used to catch up after a lost connection. */
    loadAll: () => Promise<void>;
  };

export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;

export type StoreOptions = {
  /**
   * Whether the owner can see the open thread right now; a message arriving while they can is
   * read on arrival. Defaults to always (tests); main.tsx passes the page's visibility.
   */
  isThreadVisible?: () => boolean;
};
