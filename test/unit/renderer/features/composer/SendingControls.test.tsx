import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, makeConversation, makeMessage, NOW } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const DAY = 24 * HOUR;

async function renderThread(lastInboundAt: number | null, messages = [makeMessage()]) {
  const conversation = makeConversation({ lastInboundAt });
  const client = new FakeInboxClient({ conversations: [conversation], messages });
  const { store } = await storeWith(client, conversation.id);
  const view = renderWithStore(<Thread />, store);
  return {
    ...view,
    client,
    conversation,
    input: screen.getByRole('textbox', { name: 'Message' }),
    send: screen.getByRole('button', { name: 'Send' }),
  };
}

describe('Composer: the 24-hour window', () => {
  it('sends normally at exactly 24 hours', async () => {
    const { input, send, user } = await renderThread(NOW - DAY);
    await user.type(input, 'Still here');
    expect(send).toBeEnabled();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('after 24 hours explains why and sends only as a human agent, once the app is approved', async () => {
    const { input, send, user, client, conversation } = await renderThread(NOW - DAY - 1);
    await user.type(input, 'Sorry for the wait');
    expect(send).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent(/More than 24 hours/);
    expect(screen.queryByLabelText(/Send as a human agent/)).toBeNull();

    await user.click(screen.getByLabelText(/approved for Human Agent/));
    expect(client.sending.setSettings).toHaveBeenCalledWith({ humanAgentEnabled: true });
    await user.click(await screen.findByLabelText(/Send as a human agent/));
    expect(send).toBeEnabled();
    await user.click(send);
    expect(client.sending.sendText).toHaveBeenCalledWith({
      conversationId: conversation.id,
      text: 'Sorry for the wait',
      humanAgent: true,
    });
  });

  it('puts the Human Agent setting back when main cannot save it', async () => {
    const { user, client } = await renderThread(NOW - 2 * DAY);
    client.sending.setSettings.mockRejectedValueOnce(new BridgeError('INTERNAL', ''));
    const setting = screen.getByLabelText(/approved for Human Agent/);
    await user.click(setting);
    await vi.waitFor(() => expect(setting).not.toBeChecked());
    expect(screen.queryByLabelText(/Send as a human agent/)).toBeNull();
  });

  it('after 7 days offers nothing: sending, attaching and typing are blocked', async () => {
    const { input, send, user, client } = await renderThread(NOW - 7 * DAY - 1);
    await user.type(input, 'Hello?');
    expect(send).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Attach a file' })).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent(/as soon as they write again/);
    expect(client.sending.setTyping).not.toHaveBeenCalled();
  });
});

describe('Message actions and composer extras', () => {
  it('reacts with ❤️ and takes it back; a refusal is shown under the message', async () => {
    const { user, client } = await renderThread(NOW - HOUR);
    const bubble = screen.getByTestId('message');
    await user.click(within(bubble).getByRole('button', { name: 'React ❤️' }));
    expect(client.sending.react).toHaveBeenCalledWith({ messageId: 'm1' });
    expect(within(bubble).getByRole('img', { name: /❤️/ })).toBeVisible();
    await user.click(within(bubble).getByRole('button', { name: 'Remove ❤️' }));
    expect(client.sending.unreact).toHaveBeenCalledWith({ messageId: 'm1' });

    client.sending.react.mockRejectedValueOnce(
      new BridgeError('GRAPH_ERROR', 'This person isn’t available right now.'),
    );
    await user.click(within(bubble).getByRole('button', { name: 'React ❤️' }));
    expect(await within(bubble).findByRole('alert')).toHaveTextContent(/isn’t available/);
  });

  it('quotes a message in the next reply, and Cancel drops the quote', async () => {
    const { input, user, client, conversation } = await renderThread(NOW - HOUR);
    await user.click(screen.getByRole('button', { name: 'Reply' }));
    expect(screen.getByText(/Replying to “Do you ship to Lisbon\?”/)).toBeVisible();
    await user.type(input, 'Yes we do{Enter}');
    expect(client.sending.sendText).toHaveBeenCalledWith({
      conversationId: conversation.id,
      text: 'Yes we do',
      replyToMessageId: 'm1',
    });
    expect(screen.queryByRole('button', { name: 'Cancel reply' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Reply' }));
    await user.click(screen.getByRole('button', { name: 'Cancel reply' }));
    await user.type(input, 'Plain{Enter}');
    expect(client.sending.sendText).toHaveBeenLastCalledWith({
      conversationId: conversation.id,
      text: 'Plain',
    });
  });

  it('sends a picked file as base64, shows it queued, and shows a refusal', async () => {
    const { user, client, conversation } = await renderThread(NOW - HOUR);
    const picker = screen.getByLabelText('Attach a file');
    await user.upload(picker, new File(['%PDF-1.4'], 'prices.pdf', { type: 'application/pdf' }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(client.sending.sendAttachment).toHaveBeenCalledWith({
      conversationId: conversation.id,
      fileName: 'prices.pdf',
      mimeType: 'application/pdf',
      dataBase64: btoa('%PDF-1.4'),
    });
    expect(await screen.findByText('File: prices.pdf (sent from this computer)')).toBeVisible();

    client.sending.sendAttachment.mockRejectedValueOnce(
      new BridgeError(
        'INVALID_INPUT',
        'Instagram can only send images, videos, audio and PDF files.',
      ),
    );
    await user.upload(picker, new File(['x'], 'photo.png', { type: 'image/png' }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText(/images, videos, audio and PDF/)).toBeVisible();
  });

  it('says "typing" while there is text and stops when it is cleared or sent', async () => {
    const { input, user, client, conversation } = await renderThread(NOW - HOUR);
    await user.type(input, 'Hi');
    expect(client.sending.setTyping).toHaveBeenLastCalledWith({
      conversationId: conversation.id,
      isTyping: true,
    });
    await user.keyboard('{Enter}');
    expect(client.sending.setTyping).toHaveBeenLastCalledWith({
      conversationId: conversation.id,
      isTyping: false,
    });
  });
});
