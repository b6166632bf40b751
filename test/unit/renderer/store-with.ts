import { createAppStore } from '../../../renderer/src/store/app-store';
import type { FakeInboxClient } from './fake-client';

/** A store loaded from a fake main, optionally with one conversation opened. */
export async function storeWith(client: FakeInboxClient, openConversationId?: string) {
  const store = createAppStore(client);
  await store.getState().loadAll();
  if (openConversationId !== undefined) {
    store.getState().selectConversation(openConversationId);
    await store.getState().loadThread(openConversationId);
  }
  return { store, client };
}
