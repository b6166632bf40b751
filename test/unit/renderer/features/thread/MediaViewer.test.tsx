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
