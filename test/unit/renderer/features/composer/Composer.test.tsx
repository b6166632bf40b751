import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { Composer } from '../../../../../renderer/src/features/composer/Composer';
import { FakeInboxClient } from '../../fake-client';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';
import { jane, renderComposer } from './render-composer';

describe('Composer', () => {
  it('tells the thread when a text or a file goes out, and not for a send it refuses', async () => {
    const { store, client } = await storeWith(
      new FakeInboxClient({ conversations: [jane] }),
      jane.id,
    );
    const onSend = vi.fn();
    const { user } = renderWithStore(<Composer conversationId={jane.id} onSend={onSend} />, store);
    const input = screen.getByRole('textbox', { name: 'Message' });

    await user.type(input, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await user.type(input, 'Yes, in beige{Enter}');
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(client.sending.sendText).toHaveBeenCalledTimes(1);
    await user.upload(
      screen.getByLabelText('Attach a file'),
      new File(['x'], 'photo.png', { type: 'image/png' }),
    );
    expect(onSend).toHaveBeenCalledTimes(1); // staged, not sent
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledTimes(2);
  });

  it('attaches through an icon button that opens the file picker; Send is the one worded button', async () => {
    const { user } = await renderComposer();
    const attach = screen.getByRole('button', { name: 'Attach a file' });
    expect(attach).toHaveClass('icon-button');
    expect(attach.querySelector('svg')).not.toBeNull();
    // Its words are for screen readers (and the tooltip); the icon is what shows.
    expect(screen.getByText('Attach a file', { selector: 'button span' })).toHaveClass(
      'visually-hidden',
    );
    const picker = screen.getByLabelText('Attach a file');
    const opened = vi.spyOn(picker, 'click').mockImplementation(() => undefined);
    await user.click(attach);
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('cannot send an empty or blank message', async () => {
    const { input, send, user } = await renderComposer();
    expect(send).toBeDisabled();
    await user.type(input, '   ');
    expect(send).toBeDisabled();
  });

  it('shows no count far from the limit, and characters left near it', async () => {
    const { input, user } = await renderComposer();
    await user.type(input, 'Olá 日本');
    expect(screen.queryByText(/characters? left/)).toBeNull();
    await user.click(input);
    await user.paste('a'.repeat(880));
    // 11 + 880 bytes leave 109 bytes; the widest character typed (日) takes 3: 36 characters.
    expect(input).toHaveAccessibleDescription('36 characters left');
  });

  it('refuses text over 1000 bytes and says how many characters must go', async () => {
    const { input, send, user } = await renderComposer();
    await user.click(input);
    await user.paste('日'.repeat(334)); // 1002 bytes

    expect(screen.getByText(/1 character too many/)).toBeVisible();
    expect(input).toBeInvalid();
    expect(send).toBeDisabled();

    await user.keyboard('{Backspace}');
    expect(input).toHaveAccessibleDescription('0 characters left');
    expect(send).toBeEnabled();
  });

  it('Enter sends the message and clears the box', async () => {
    const { input, client, user } = await renderComposer();
    await user.type(input, 'Yes, we ship to Lisbon!{Enter}');

    expect(client.sending.sendText).toHaveBeenCalledWith({
      conversationId: jane.id,
      text: 'Yes, we ship to Lisbon!',
    });
    expect(input).toHaveValue('');
  });

  it('Shift+Enter adds a new line instead of sending', async () => {
    const { input, client, user } = await renderComposer();
    await user.type(input, 'Line one{Shift>}{Enter}{/Shift}Line two');

    expect(client.sending.sendText).not.toHaveBeenCalled();
    expect(input).toHaveValue('Line one\nLine two');
  });

  it('the Send button sends too', async () => {
    const { input, send, client, user } = await renderComposer();
    await user.type(input, 'Thanks!');
    await user.click(send);
    expect(client.sending.sendText).toHaveBeenCalledWith({
      conversationId: jane.id,
      text: 'Thanks!',
    });
  });

  it('keeps the text and explains why when sending fails', async () => {
    const client = new FakeInboxClient({ conversations: [jane] });
    client.sending.sendText.mockRejectedValueOnce(
      new BridgeError('OUTSIDE_WINDOW', 'The customer last wrote more than 24 hours ago.'),
    );
    const { input, user } = await renderComposer(client);

    await user.type(input, 'Hello again{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Your message wasn't sent.Instagram only allows replies within 24 hours of the customer's last message. The customer last wrote more than 24 hours ago.",
    );
    expect(input).toHaveValue('Hello again');
  });
});
