import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Attachment, Message } from '../../../../../shared/domain/schemas';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { FakeInboxClient } from '../../fake-client';
import { MINUTE, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const jane = makeConversation();
const PHOTO = '/archive/media/0b6f1a52-7c1e-4a8e-9d65-2f4f8f1e2a3b.jpg';

const photo: Attachment = {
  type: 'image',
  url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
  title: null,
  archivedUrl: PHOTO,
};

/** The quoted message `q1` and the customer's reply `r1` quoting it. */
function quotedAndReply(
  quoted: Partial<Message>,
  replyTo: Partial<NonNullable<Message['replyTo']>>,
) {
  return [
    makeMessage({
      id: 'q1',
      mid: 'mid-q1',
      conversationId: jane.id,
      at: NOW - 9 * MINUTE,
      ...quoted,
    }),
    makeMessage({
      id: 'r1',
      mid: 'mid-r1',
      conversationId: jane.id,
      text: 'This one please',
      at: NOW - MINUTE,
      replyTo: {
        mid: 'mid-q1',
        text: quoted.text ?? null,
        messageId: 'q1',
        attachment: quoted.attachments?.[0] ?? null,
        ...replyTo,
      },
    }),
  ];
}

async function renderReply(messages: Message[]) {
  const { store } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages }),
    jane.id,
  );
  renderWithStore(<Thread />, store);
  const reply = screen
    .getAllByTestId('message')
    .find((bubble) => bubble.dataset.messageId === 'r1');
  if (reply === undefined) throw new Error('the reply is not shown');
  return { store, reply };
}

describe('QuotedReply', () => {
  it('shows one line of the quoted text, and leads to the quoted message', async () => {
    const { store, reply } = await renderReply(quotedAndReply({ text: 'The blue vase?' }, {}));
    const quote = within(reply).getByRole('button', { name: 'Replying to The blue vase?' });
    expect(quote).toHaveAttribute('title', 'Show the quoted message');
    expect(within(quote).queryByRole('img')).not.toBeInTheDocument();
    fireEvent.click(quote);
    await waitFor(() => expect(store.getState().focusedMessageId).toBe('q1'));
  });

  it('shows a quoted photo as a thumbnail from Inlet’s copy, named by its kind', async () => {
    const { reply } = await renderReply(quotedAndReply({ text: null, attachments: [photo] }, {}));
    const quote = within(reply).getByRole('button', { name: 'Replying to Image' });
    const thumbnail = quote.querySelector('img');
    expect(thumbnail).toHaveAttribute('src', PHOTO);
    expect(thumbnail).toHaveAttribute('alt', '');
    expect(thumbnail).toHaveClass('quote__thumbnail');
  });

  it('puts the thumbnail beside the quoted text when the message has both', async () => {
    const { reply } = await renderReply(
      quotedAndReply({ text: 'Like this?', attachments: [photo] }, {}),
    );
    const quote = within(reply).getByRole('button', { name: 'Replying to Like this?' });
    expect(quote.querySelector('img')).toHaveAttribute('src', PHOTO);
  });

  it('shows a quoted video by a frame of it', async () => {
    const video: Attachment = {
      ...photo,
      type: 'video',
      archivedUrl: PHOTO.replace('.jpg', '.mp4'),
    };
    const first = await renderReply(quotedAndReply({ text: null, attachments: [video] }, {}));
    const frame = within(first.reply).getByRole('button', { name: 'Replying to Video' });
    expect(frame.querySelector('video')).toHaveAttribute('src', video.archivedUrl);
    expect(frame.querySelector('video')).toHaveAttribute('aria-hidden', 'true');
  });

  it('names a quoted story, with its picture', async () => {
    const story: Attachment = { type: 'story_mention', url: null, title: null, archivedUrl: PHOTO };
    const { reply } = await renderReply(quotedAndReply({ text: null }, { attachment: story }));
    const quote = within(reply).getByRole('button', { name: 'Replying to Story' });
    expect(quote.querySelector('img')).toHaveAttribute('src', PHOTO);
  });

  it('drops a thumbnail that fails to load, keeping the line', async () => {
    const { reply } = await renderReply(quotedAndReply({ text: null, attachments: [photo] }, {}));
    const quote = within(reply).getByRole('button', { name: 'Replying to Image' });
    fireEvent.error(quote.querySelector('img')!);
    expect(quote.querySelector('img')).toBeNull();
    expect(quote).toHaveTextContent('Replying to Image');
  });

  it('shares and posts get their kind, without a picture the bubble does not show either', async () => {
    const post: Attachment = { type: 'ig_post', url: 'https://instagram.com/p/1', title: null };
    const { reply } = await renderReply(quotedAndReply({ text: null, attachments: [post] }, {}));
    const quote = within(reply).getByRole('button', { name: 'Replying to Shared post' });
    expect(quote.querySelector('img')).toBeNull();
  });

  it('says "a message" when the archive does not have the quoted message, and leads nowhere', async () => {
    const [, reply] = quotedAndReply({ text: 'gone' }, { text: null, messageId: null });
    const view = await renderReply([reply!]);
    expect(view.reply).toHaveTextContent('Replying to a message');
    expect(within(view.reply).queryByRole('button', { name: /Replying to/ })).toBeNull();
  });
});
