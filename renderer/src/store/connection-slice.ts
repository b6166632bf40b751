import type { InboxClient } from '../bridge';
import type { ConnectionState } from '../connection';
import type { SliceCreator } from './app-state';

export type ConnectionSlice = {
  connection: ConnectionState;
  retryConnection: () => void;
};

export const createConnectionSlice =
  (client: InboxClient): SliceCreator<ConnectionSlice> =>
  () => ({
    connection: client.connection.get(),
    retryConnection: () => client.connection.retryNow(),
  });
