import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderComposer } from './render-composer';

const png = (name: string, bytes = 'png') => new File([bytes], name, { type: 'image/png' });

describe('Attachment tray', () => {
  it('stages a picked image with a thumbnail, a caption and a remove button; nothing is sent', async () => {
    const { client, user, tray } = await renderComposer();
    await user.upload(screen.getByLabelText('Attach a file'), png('linen-shirt.png'));

    expect(await within(tray()).findByRole('img', { name: 'linen-shirt.png' })).toHaveAttribute(
      'src',
      expect.stringMatching(/^data:image\/png;base64,/),
    );
    expect(
      within(tray()).getByRole('textbox', { name: 'Caption for linen-shirt.png' }),
    ).toBeVisible();
    expect(within(tray()).getByRole('button', { name: 'Remove linen-shirt.png' })).toBeVisible();
    expect(client.sending.sendAttachment).not.toHaveBeenCalled();
  });

  it('Enter sends each file, then its caption, then the text, in that order', async () => {
    const { client, input, user, tray } = await renderComposer();
    await user.upload(screen.getByLabelText('Attach a file'), [png('a.png'), png('b.png')]);
    await user.type(within(tray()).getByRole('textbox', { name: 'Caption for a.png' }), 'In beige');
    await user.type(input, 'Both in stock{Enter}');

    expect(screen.queryByRole('group', { name: 'Attachments to send' })).toBeNull();
    await expect.poll(() => client.sending.sendText.mock.calls.length).toBe(2);
    expect(client.sending.sendAttachment.mock.calls.map(([input]) => input.fileName)).toEqual([
      'a.png',
      'b.png',
    ]);
    expect(client.sending.sendText.mock.calls.map(([input]) => input.text)).toEqual([
      'In beige',
      'Both in stock',
    ]);
    const order = [
      ...client.sending.sendAttachment.mock.invocationCallOrder.map((at) => ({ at, what: 'file' })),
      ...client.sending.sendText.mock.invocationCallOrder.map((at) => ({ at, what: 'text' })),
    ].sort((x, y) => x.at - y.at);
    expect(order.map((call) => call.what)).toEqual(['file', 'text', 'file', 'text']);
  });

  it('Enter in a caption sends too; Escape cancels the tray and sends nothing', async () => {
    const { client, input, user, tray } = await renderComposer();
    await user.upload(screen.getByLabelText('Attach a file'), png('a.png'));
    await user.type(within(tray()).getByRole('textbox', { name: 'Caption for a.png' }), 'x');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'Attachments to send' })).toBeNull();
    expect(input).toHaveFocus();
    expect(client.sending.sendAttachment).not.toHaveBeenCalled();

    await user.upload(screen.getByLabelText('Attach a file'), png('b.png'));
    await user.type(
      within(tray()).getByRole('textbox', { name: 'Caption for b.png' }),
      'Yes{Enter}',
    );
    await expect.poll(() => client.sending.sendText.mock.calls.length).toBe(1);
    expect(client.sending.sendAttachment).toHaveBeenCalledTimes(1);
  });

  it('removes one file and keeps the others', async () => {
    const { user, tray } = await renderComposer();
    await user.upload(screen.getByLabelText('Attach a file'), [png('a.png'), png('b.png')]);
    await user.click(within(tray()).getByRole('button', { name: 'Remove a.png' }));
    expect(within(tray()).queryByRole('textbox', { name: 'Caption for a.png' })).toBeNull();
    expect(within(tray()).getByRole('textbox', { name: 'Caption for b.png' })).toBeVisible();
  });

  it('a 30-picture paste stages 10 and says how many were left out', async () => {
    const { input, user, tray } = await renderComposer();
    await user.click(input);
    await user.paste({
      files: Array.from({ length: 30 }, (_, i) => png(`shot-${i}.png`)),
    } as unknown as DataTransfer);

    expect(within(tray()).getAllByRole('textbox')).toHaveLength(10);
    expect(within(tray()).getByRole('status')).toHaveTextContent(
      '20 files were not attached: you can send up to 10 at a time.',
    );
    expect(input).toHaveValue('');
  });

  it('takes dropped files and refuses kinds and sizes Instagram would', async () => {
    const { tray } = await renderComposer();
    const huge = png('huge.png');
    Object.defineProperty(huge, 'size', { value: 9 * 1024 * 1024 });
    const files = [
      png('ok.png'),
      new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' }),
      new File([], 'empty.png', { type: 'image/png' }),
      huge,
    ];
    const form = screen.getByRole('textbox', { name: 'Message' }).closest('form')!;
    fireEvent.dragOver(form, { dataTransfer: { types: ['Files'], files } });
    fireEvent.drop(form, { dataTransfer: { types: ['Files'], files } });

    expect(within(tray()).getAllByRole('textbox')).toHaveLength(1);
    const status = within(tray()).getByRole('status');
    expect(status).toHaveTextContent('logo.svg was not attached: Instagram can only send images');
    expect(status).toHaveTextContent('empty.png was not attached: the file is empty.');
    expect(status).toHaveTextContent(
      'huge.png was not attached: Instagram accepts files of this kind up to 8 MB.',
    );
  });

  it('an image the browser cannot decode (0×0, damaged) shows its name instead', async () => {
    const { user, tray } = await renderComposer();
    await user.upload(screen.getByLabelText('Attach a file'), png('zero.png', ''.padEnd(8, '\0')));
    fireEvent.error(await within(tray()).findByRole('img', { name: 'zero.png' }));
    expect(within(tray()).queryByRole('img')).toBeNull();
    expect(tray()).toHaveTextContent('Imagezero.png');
  });

  it('a very long caption blocks Send and says how much is too much', async () => {
    const { user, send, tray } = await renderComposer();
    await user.upload(screen.getByLabelText('Attach a file'), png('a.png'));
    const caption = within(tray()).getByRole('textbox', { name: 'Caption for a.png' });
    await user.click(caption);
    await user.paste('é'.repeat(600)); // 1200 bytes
    expect(caption).toBeInvalid();
    expect(caption).toHaveAccessibleDescription(
      '100 characters too many: shorten the message to send it',
    );
    expect(send).toBeDisabled();
  });
});
