import { screen } from '@testing-library/react';
import { Composer } from '../../../../../renderer/src/features/composer/Composer';
import { FakeInboxClient } from '../../fake-client';
import { makeConversation } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

export const jane = makeConversation();

/** The composer of Jane's open conversation, with its text box, Send and attachment tray. */
export async function renderComposer(client = new FakeInboxClient({ conversations: [jane] })) {
  const { store } = await storeWith(client, jane.id);
  const view = renderWithStore(<Composer conversationId={jane.id} />, store);
  return {
    ...view,
    client,
    input: screen.getByRole('textbox', { name: 'Message' }),
    send: screen.getByRole('button', { name: 'Send' }),
    tray: () => screen.getByRole('group', { name: 'Attachments to send' }),
  };
}
