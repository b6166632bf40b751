import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../../shared/domain/schemas';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { FakeInboxClient } from '../../fake-client';
import { MINUTE, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const jane = makeConversation();
const CDN = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=';

function media(id: string, type: string, at: number): Message {
  return makeMessage({
    id,
    conversationId: jane.id,
    text: null,
    at,
    attachments: [{ type, url: `${CDN}${id}`, title: null }],
  });
}

async function renderThread(messages: Message[]) {
  const { store } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages }),
    jane.id,
  );
  return renderWithStore(<Thread />, store);
}

describe('media viewer', () => {
  const thread = [
    media('a', 'image', NOW - 40 * MINUTE),
    makeMessage({ id: 'text', conversationId: jane.id, text: 'Nice', at: NOW - 35 * MINUTE }),
    media('b', 'animated_image', NOW - 30 * MINUTE),
    media('c', 'video', NOW - 20 * MINUTE),
    media('d', 'audio', NOW - 10 * MINUTE),
  ];

  it('moves between the conversation’s pictures and videos with ←/→, and Esc closes', async () => {
    const { user } = await renderThread(thread);
    const thumbnails = screen.getAllByRole('button', { name: 'Image' });
    await user.click(thumbnails[1]!);

    const dialog = screen.getByRole('dialog', { name: 'Image 2 of 3' });
    expect(within(dialog).getByRole('img')).toHaveAttribute('src', `${CDN}b`);
    expect(dialog).toHaveTextContent('2 / 3');

    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('dialog', { name: 'Video 3 of 3' })).toBeVisible();
    expect(screen.getByLabelText('Video 3 of 3', { selector: 'video' })).toHaveAttribute(
      'src',
      `${CDN}c`,
    );
    await user.keyboard('{ArrowRight}'); // the voice note is not part of the gallery
    expect(screen.getByRole('dialog', { name: 'Video 3 of 3' })).toBeVisible();

    await user.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    const first = screen.getByRole('dialog', { name: 'Image 1 of 3' });
    expect(within(first).getByRole('img')).toHaveAttribute('src', `${CDN}a`);
    expect(within(first).getByRole('button', { name: 'Previous' })).toBeDisabled();
    await user.click(within(first).getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('dialog', { name: 'Image 2 of 3' })).toBeVisible();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(thumbnails[1]).toHaveFocus();
  });

  it('steps back past the loaded messages into older pictures, counting the whole conversation', async () => {
    const client = new FakeInboxClient({
      conversations: [jane],
      messages: [media('b', 'image', NOW - 20 * MINUTE), media('c', 'image', NOW - 10 * MINUTE)],
    });
    // The thread loaded its newest page; older messages lie before `page-2`.
    client.inbox.listMessages.mockImplementationOnce(async () => ({
      messages: client.data.messages,
      nextCursor: 'page-2',
    }));
    client.inbox.listMedia.mockImplementation(async ({ before }) =>
      before === 'page-2'
        ? {
            messages: [
              media('a1', 'image', NOW - 50 * MINUTE),
              media('a2', 'video', NOW - 40 * MINUTE),
            ],
            nextCursor: 'media-2',
            total: 3,
          }
        : { messages: [media('a0', 'image', NOW - 60 * MINUTE)], nextCursor: null, total: 1 },
    );
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Thread />, store);
    await user.click(screen.getAllByRole('button', { name: 'Image' })[1]!);

    expect(await screen.findByRole('dialog', { name: 'Image 5 of 5' })).toBeVisible();
    expect(client.inbox.listMedia).toHaveBeenCalledWith({
      conversationId: jane.id,
      before: 'page-2',
      limit: 20,
    });
    for (const [name, src] of [
      ['Image 4 of 5', 'b'],
      ['Video 3 of 5', 'a2'],
      ['Image 2 of 5', 'a1'],
      ['Image 1 of 5', 'a0'],
    ] as const) {
      await user.keyboard('{ArrowLeft}');
      const dialog = await screen.findByRole('dialog', { name });
      expect(dialog.querySelector('.viewer__media')).toHaveAttribute('src', `${CDN}${src}`);
    }
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    expect(client.inbox.listMedia).toHaveBeenCalledTimes(2);
  });

  it('says so when older pictures cannot be loaded, and keeps the ones it has', async () => {
    const client = new FakeInboxClient({
      conversations: [jane],
      messages: [media('c', 'image', NOW - 10 * MINUTE)],
    });
    client.inbox.listMessages.mockImplementationOnce(async () => ({
      messages: client.data.messages,
      nextCursor: 'page-2',
    }));
    client.inbox.listMedia.mockRejectedValue(new Error('archive unreachable'));
    const { store } = await storeWith(client, jane.id);
    const { user } = renderWithStore(<Thread />, store);
    await user.click(screen.getByRole('button', { name: 'Image' }));
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      "Older pictures couldn't be loaded.",
    );
    expect(dialog.querySelector('.viewer__media')).toHaveAttribute('src', `${CDN}c`);
  });

  it('shows a photo the owner sent from the archive’s copy, with no Instagram link', async () => {
    const archivedUrl = '/archive/media/0f8fad5b-d9cb-469f-a165-70867728950e.png';
    const { user } = await renderThread([
      makeMessage({
        id: 'sent',
        conversationId: jane.id,
        direction: 'out',
        status: 'sent',
        text: null,
        at: NOW - MINUTE,
        attachments: [
          { type: 'image', url: '/media/out/abc', title: 'linen-shirt-beige.png', archivedUrl },
        ],
      }),
    ]);
    expect(screen.queryByText(/sent from this computer/)).toBeNull();
    const thumbnail = screen.getByRole('img', { name: 'Image: linen-shirt-beige.png' });
    expect(thumbnail).toHaveAttribute('src', archivedUrl);
    await user.click(screen.getByRole('button', { name: 'Image: linen-shirt-beige.png' }));
    const dialog = screen.getByRole('dialog', { name: 'Image: linen-shirt-beige.png' });
    expect(within(dialog).queryByRole('link', { name: 'Open original' })).toBeNull();
  });

  it('plays a voice note in place with a labelled player', async () => {
    await renderThread([media('d', 'audio', NOW - MINUTE)]);
    const player = screen.getByLabelText('Audio', { selector: 'audio' });
    expect(player).toHaveAttribute('controls');
    expect(player).toHaveAttribute('src', `${CDN}d`);
  });

  it('a picture that decodes to 0×0 falls back to a link, like one that fails to load', async () => {
    await renderThread([media('z', 'image', NOW - MINUTE)]);
    const img = screen.getByRole('img', { name: 'Image' });
    Object.defineProperty(img, 'naturalWidth', { value: 0 });
    fireEvent.load(img);
    expect(screen.queryByRole('img')).toBeNull();
    expect(
      screen.getByRole('link', { name: "Image can't be shown here. Open it in your browser" }),
    ).toHaveAttribute('href', `${CDN}z`);
  });
});
