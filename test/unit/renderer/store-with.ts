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

/** Resolves after the page's next frame, when the messages main saved reach the store. */
export const nextPaint = () =>
  new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
