import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../../shared/domain/schemas';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { subscribeToMain } from '../../../../../renderer/src/store/app-store';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, MINUTE, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { nextPaint, storeWith } from '../../store-with';
import { untranslated } from '../../../../../shared/domain/failure-reason';

const jane = makeConversation();
const CDN = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=';

function inbound(overrides: Partial<Message> = {}): Message {
  return makeMessage({ conversationId: jane.id, text: null, ...overrides });
}

function outbound(id: string, overrides: Partial<Message> = {}): Message {
  return makeMessage({
    id,
    conversationId: jane.id,
    direction: 'out',
    status: 'sent',
    text: `reply ${id}`,
    at: NOW - HOUR,
    ...overrides,
  });
}

async function renderThread(messages: Message[]) {
  const { store } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages }),
    jane.id,
  );
  return renderWithStore(<Thread />, store);
}

/** The single bubble of a one-message thread. */
async function renderBubble(message: Message) {
  const view = await renderThread([message]);
  return { ...view, bubble: screen.getByTestId('message') };
}

const bubbleById = (id: string) =>
  screen.getAllByTestId('message').find((bubble) => bubble.dataset.messageId === id);

describe('message bubbles', () => {
  describe('text', () => {
    it('turns http(s) URLs into links that open outside the window', async () => {
      const { bubble } = await renderBubble(
        inbound({ text: 'Catalogue: https://shop.example/linen?size=m. Or www.example.org' }),
      );

      expect(bubble).toHaveTextContent(
        'Catalogue: https://shop.example/linen?size=m. Or www.example.org',
      );
      const link = within(bubble).getByRole('link', { name: 'https://shop.example/linen?size=m' });
      expect(link).toHaveAttribute('href', 'https://shop.example/linen?size=m');
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      expect(within(bubble).getByRole('link', { name: 'www.example.org' })).toHaveAttribute(
        'href',
        'https://www.example.org/',
      );
    });

    it('never links javascript: or other schemes, and shows markup as text', async () => {
      const { bubble } = await renderBubble(
        inbound({ text: 'javascript:alert(1) <b>bold</b> data:text/html,hi' }),
      );
      expect(bubble).toHaveTextContent('javascript:alert(1) <b>bold</b> data:text/html,hi');
      expect(within(bubble).queryByRole('link')).not.toBeInTheDocument();
      expect(bubble.querySelector('b')).toBeNull();
    });
  });

  describe('images', () => {
    const image = () => inbound({ attachments: [{ type: 'image', url: `${CDN}1`, title: null }] });

    it('shows a thumbnail that opens a viewer, closed with Esc, focus returned', async () => {
      const { user, bubble } = await renderBubble(image());
      const thumbnail = within(bubble).getByRole('button', { name: 'Image' });
      expect(within(thumbnail).getByRole('img', { name: 'Image' })).toHaveAttribute(
        'src',
        `${CDN}1`,
      );

      await user.click(thumbnail);
      const dialog = screen.getByRole('dialog', { name: 'Image' });
      expect(dialog).toHaveAttribute('aria-modal', 'true');
      expect(within(dialog).getByRole('img', { name: 'Image' })).toHaveAttribute('src', `${CDN}1`);
      expect(within(dialog).getByRole('link', { name: 'Open original' })).toHaveAttribute(
        'href',
        `${CDN}1`,
      );
      expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();

      await user.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      expect(thumbnail).toHaveFocus();
    });

    it('shows Inlet’s archived copy, and still opens Instagram’s original in the browser', async () => {
      const archivedUrl = '/archive/media/0f8fad5b-d9cb-469f-a165-70867728950e.png';
      const { user, bubble } = await renderBubble(
        inbound({ attachments: [{ type: 'image', url: `${CDN}1`, title: null, archivedUrl }] }),
      );
      expect(within(bubble).getByRole('img', { name: 'Image' })).toHaveAttribute(
        'src',
        archivedUrl,
      );
      await user.click(within(bubble).getByRole('button', { name: 'Image' }));
      const dialog = screen.getByRole('dialog', { name: 'Image' });
      expect(within(dialog).getByRole('img', { name: 'Image' })).toHaveAttribute(
        'src',
        archivedUrl,
      );
      expect(within(dialog).getByRole('link', { name: 'Open original' })).toHaveAttribute(
        'href',
        `${CDN}1`,
      );
    });

    it('ignores an archived URL that is not an archived file name', async () => {
      const { bubble } = await renderBubble(
        inbound({
          attachments: [
            { type: 'image', url: `${CDN}1`, title: null, archivedUrl: '/archive/media/../x' },
          ],
        }),
      );
      expect(within(bubble).getByRole('img', { name: 'Image' })).toHaveAttribute('src', `${CDN}1`);
    });

    it('keeps Tab inside the viewer and closes with its Close button', async () => {
      const { user, bubble } = await renderBubble(image());
      await user.click(within(bubble).getByRole('button', { name: 'Image' }));
      const dialog = screen.getByRole('dialog');

      await user.tab();
      expect(within(dialog).getByRole('link', { name: 'Open original' })).toHaveFocus();
      await user.tab({ shift: true });
      expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();

      await user.click(within(dialog).getByRole('button', { name: 'Close' }));
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });

    it('falls back to a link when the image can no longer be loaded (expired CDN URL)', async () => {
      const { bubble } = await renderBubble(image());
      fireEvent.error(within(bubble).getByRole('img', { name: 'Image' }));

      expect(within(bubble).queryByRole('img')).not.toBeInTheDocument();
      expect(
        within(bubble).getByRole('link', {
          name: "Image can't be shown here. Open it in your browser",
        }),
      ).toHaveAttribute('href', `${CDN}1`);
    });
  });

  it('plays video with controls, and links to it when it cannot be played here', async () => {
    const { bubble } = await renderBubble(
      inbound({ attachments: [{ type: 'video', url: `${CDN}2`, title: null }] }),
    );
    const video = within(bubble).getByLabelText('Video');
    expect(video.tagName).toBe('VIDEO');
    expect(video).toHaveAttribute('src', `${CDN}2`);
    expect(video).toHaveAttribute('controls');
    expect(video).toHaveAttribute('preload', 'metadata');

    fireEvent.error(video);
    expect(within(bubble).queryByLabelText('Video')).not.toBeInTheDocument();
    expect(
      within(bubble).getByRole('link', {
        name: "Video can't be shown here. Open it in your browser",
      }),
    ).toHaveAttribute('href', `${CDN}2`);
  });

  it('plays audio with controls', async () => {
    const { bubble } = await renderBubble(
      inbound({ attachments: [{ type: 'audio', url: `${CDN}3`, title: null }] }),
    );
    const audio = within(bubble).getByLabelText('Audio');
    expect(audio.tagName).toBe('AUDIO');
    expect(audio).toHaveAttribute('controls');
    expect(audio).toHaveAttribute('src', `${CDN}3`);
  });

  it('offers files as a download with their name, and never links a non-http URL', async () => {
    await renderThread([
      inbound({
        id: 'ok',
        attachments: [{ type: 'file', url: `${CDN}4`, title: 'invoice.pdf' }],
      }),
      inbound({
        id: 'bad',
        attachments: [{ type: 'file', url: 'javascript:alert(1)', title: 'evil.pdf' }],
      }),
    ]);
    const link = within(bubbleById('ok')!).getByRole('link', { name: 'Download invoice.pdf' });
    expect(link).toHaveAttribute('href', `${CDN}4`);
    expect(link).toHaveAttribute('download', 'invoice.pdf');

    const bad = bubbleById('bad')!;
    expect(bad).toHaveTextContent('File: evil.pdf (not available)');
    expect(within(bad).queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows shared posts and reels as cards with their caption and an Instagram link', async () => {
    await renderThread([
      inbound({
        id: 'post',
        attachments: [
          { type: 'ig_post', url: 'https://www.instagram.com/p/C0ffee/', title: 'Linen, at last' },
        ],
      }),
      inbound({
        id: 'reel',
        attachments: [{ type: 'ig_reel', url: 'https://www.instagram.com/reel/R1/', title: null }],
      }),
    ]);
    const post = bubbleById('post')!;
    expect(post).toHaveTextContent('Shared post');
    expect(post).toHaveTextContent('Linen, at last');
    const open = within(post).getByRole('link', { name: 'Open on Instagram' });
    expect(open).toHaveAttribute('href', 'https://www.instagram.com/p/C0ffee/');
    expect(open).toHaveAccessibleDescription('Linen, at last');

    const reel = bubbleById('reel')!;
    expect(reel).toHaveTextContent('Shared reel');
    expect(reel).toHaveTextContent('No caption');
    expect(within(reel).getByRole('link', { name: 'Open on Instagram' })).toHaveAttribute(
      'href',
      'https://www.instagram.com/reel/R1/',
    );
  });

  describe('stories', () => {
    it('shows the story a customer mentioned the business in, drawn once', async () => {
      const { bubble } = await renderBubble(
        inbound({
          attachments: [{ type: 'story_mention', url: `${CDN}story`, title: null }],
          story: { kind: 'mention', url: `${CDN}story` },
        }),
      );
      expect(within(bubble).getByRole('figure')).toHaveTextContent('Mentioned you in their story');
      expect(within(bubble).getAllByRole('img', { name: 'Story' })).toHaveLength(1);
      expect(within(bubble).getByRole('img', { name: 'Story' })).toHaveAttribute(
        'src',
        `${CDN}story`,
      );
    });

    it('shows the story a reply answers, and says so once the story has expired', async () => {
      const { bubble } = await renderBubble(
        inbound({
          text: 'Is this one still available?',
          story: { kind: 'reply', url: `${CDN}s2` },
        }),
      );
      expect(bubble).toHaveTextContent('Replied to your story');
      expect(bubble).toHaveTextContent('Is this one still available?');

      fireEvent.error(within(bubble).getByRole('img', { name: 'Story' }));
      expect(within(bubble).queryByRole('img')).not.toBeInTheDocument();
      expect(bubble).toHaveTextContent('Story no longer available');
      expect(within(bubble).getByRole('link', { name: 'Open story link' })).toHaveAttribute(
        'href',
        `${CDN}s2`,
      );
    });

    it('shows the story from Inlet’s archived copy, which outlives Instagram’s link', async () => {
      const archivedUrl = '/archive/media/0f8fad5b-d9cb-469f-a165-70867728950e.png';
      const { bubble } = await renderBubble(
        inbound({
          text: 'Still available?',
          story: { kind: 'reply', url: `${CDN}s3`, archivedUrl },
        }),
      );
      expect(within(bubble).getByRole('img', { name: 'Story' })).toHaveAttribute(
        'src',
        archivedUrl,
      );
    });

    it('says a story is unavailable when there is no URL at all', async () => {
      const { bubble } = await renderBubble(
        inbound({ text: 'wow', story: { kind: 'reply', url: null } }),
      );
      expect(bubble).toHaveTextContent('Story no longer available');
      expect(within(bubble).queryByRole('link')).not.toBeInTheDocument();
    });
  });

  it('explains view-once media and unsupported kinds instead of showing nothing', async () => {
    await renderThread([
      inbound({ id: 'once', attachments: [{ type: 'ephemeral', url: null, title: null }] }),
      inbound({ id: 'flag', isUnsupported: true }),
      inbound({ id: 'unknown', attachments: [{ type: 'hologram', url: `${CDN}9`, title: null }] }),
      inbound({
        id: 'unsupported',
        attachments: [{ type: 'unsupported_type', url: null, title: null }],
      }),
    ]);
    expect(bubbleById('once')).toHaveTextContent('View-once media — open Instagram to see it');
    const placeholder = 'This message type can’t be shown here. Open Instagram to see it.';
    expect(bubbleById('flag')).toHaveTextContent(placeholder);
    expect(bubbleById('unknown')).toHaveTextContent(placeholder);
    expect(bubbleById('unsupported')).toHaveTextContent(placeholder);
  });

  it('shows a shared link Instagram could not preview as a card', async () => {
    const { bubble } = await renderBubble(
      inbound({
        attachments: [{ type: 'fallback', url: 'https://blog.example/post', title: 'Our story' }],
      }),
    );
    expect(bubble).toHaveTextContent('Shared link');
    expect(bubble).toHaveTextContent('Our story');
    expect(within(bubble).getByRole('link', { name: 'Open link' })).toHaveAttribute(
      'href',
      'https://blog.example/post',
    );
  });

  it('shows reactions as chips that say who reacted', async () => {
    const { bubble } = await renderBubble(
      outbound('r', {
        reactions: [
          { by: 'customer', emoji: '❤️' },
          { by: 'business', emoji: '👍' },
        ],
      }),
    );
    const list = within(bubble).getByRole('list', { name: 'Reactions' });
    expect(within(list).getByRole('img', { name: 'Reacted ❤️ by customer' })).toHaveTextContent(
      '❤️',
    );
    expect(within(list).getByRole('img', { name: 'Reacted 👍 by you' })).toBeVisible();
  });

  it('marks edited messages', async () => {
    await renderThread([
      inbound({ id: 'e', text: 'Size M', editCount: 2 }),
      inbound({ id: 'n', text: 'ok' }),
    ]);
    const edited = within(bubbleById('e')!).getByText('Edited');
    expect(edited).toHaveAttribute('title', 'Edited 2 times');
    expect(bubbleById('n')).not.toHaveTextContent('Edited');
  });

  it('hides the content of an unsent message but shows that something was there', async () => {
    const { bubble } = await renderBubble(
      inbound({
        text: 'my address is 12 Rua Augusta',
        attachments: [{ type: 'image', url: `${CDN}5`, title: null }],
        reactions: [{ by: 'business', emoji: '👍' }],
        replyTo: { mid: 'm0', text: 'Where do we ship?', messageId: null, attachment: null },
        editCount: 1,
        isDeleted: true,
      }),
    );
    expect(within(bubble).getByText('Unsent').tagName).toBe('P');
    expect(bubble).not.toHaveTextContent('Rua Augusta');
    expect(bubble).not.toHaveTextContent('Where do we ship?');
    expect(bubble).not.toHaveTextContent('Edited');
    expect(within(bubble).queryByRole('img')).not.toBeInTheDocument();
    expect(within(bubble).queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows "Seen" under the newest outgoing message the customer has seen, only', async () => {
    await renderThread([
      outbound('o1', { at: NOW - 50 * MINUTE, seenAt: NOW - 30 * MINUTE }),
      outbound('o2', { at: NOW - 40 * MINUTE, seenAt: NOW - 30 * MINUTE }),
      outbound('o3', { at: NOW - 20 * MINUTE, seenAt: null }),
      inbound({ id: 'i1', text: 'hello', at: NOW - 45 * MINUTE }),
    ]);
    expect(bubbleById('o2')).toHaveTextContent('Seen');
    expect(bubbleById('o1')).not.toHaveTextContent('Seen');
    expect(bubbleById('o3')).not.toHaveTextContent('Seen');
    expect(screen.getAllByText('Seen')).toHaveLength(1);
    // "Sent" shows under the newest outgoing message; the older one says it to screen readers only.
    expect(within(bubbleById('o3')!).getByText('Sent')).not.toHaveClass('visually-hidden');
    expect(within(bubbleById('o1')!).getByText('Sent')).toHaveClass('visually-hidden');
  });

  it('shows "Sent" once, under the newest outgoing message, and moves it when another is sent', async () => {
    const client = new FakeInboxClient({
      conversations: [jane],
      messages: [
        outbound('a', { at: NOW - 30 * MINUTE }),
        outbound('b', { at: NOW - 29 * MINUTE }),
        inbound({ id: 'i', text: 'thanks', at: NOW - 20 * MINUTE }),
        outbound('c', { at: NOW - 10 * MINUTE }),
      ],
    });
    const { store } = await storeWith(client, jane.id);
    subscribeToMain(store, client);
    renderWithStore(<Thread />, store);
    const shownStates = () =>
      screen
        .getAllByTestId('message')
        .filter((bubble) => bubble.dataset.direction === 'out')
        .map((bubble) => {
          const state = bubble.querySelector('.delivery');
          const isShown = state !== null && !state.classList.contains('visually-hidden');
          return `${bubble.dataset.messageId}:${isShown ? state.textContent : '-'}`;
        });
    // Every bubble still carries its state for assistive technology; one shows it.
    expect(shownStates()).toEqual(['a:-', 'b:-', 'c:Sent']);
    for (const id of ['a', 'b']) expect(bubbleById(id)).toHaveTextContent('Sent');

    // Saved messages reach the store together, before the next paint.
    await act(async () => {
      client.emit('inbox:messageSaved', {
        message: outbound('d', { at: NOW - MINUTE }),
        conversation: jane,
      });
      await nextPaint();
    });
    expect(shownStates()).toEqual(['a:-', 'b:-', 'c:-', 'd:Sent']);
  });

  describe('context lines', () => {
    it.each<[string, NonNullable<Message['context']>, string]>([
      [
        'a postback',
        { kind: 'postback', title: 'Where is my order?', payload: 'ORDER' },
        'Tapped “Where is my order?”',
      ],
      [
        'an untitled postback',
        { kind: 'postback', title: null, payload: 'ORDER' },
        'Tapped a button (ORDER)',
      ],
      ['a quick reply', { kind: 'quick_reply', payload: 'SIZE_M' }, 'Quick reply: SIZE_M'],
      [
        'an ad referral',
        { kind: 'referral', source: 'ADS', ref: null, adId: '120200', adTitle: 'Spring linen' },
        'Came from your ad “Spring linen”',
      ],
      [
        'an ig.me link',
        { kind: 'referral', source: 'SHORTLINK', ref: 'newsletter', adId: null, adTitle: null },
        'Opened your ig.me link (ref: newsletter)',
      ],
    ])('explains %s above the bubble', async (_, context, line) => {
      const { bubble } = await renderBubble(inbound({ text: 'Hi', context }));
      expect(within(bubble).getByText(line)).toBeVisible();
    });
  });

  it('keeps marking messages sent from the Instagram app, and delivery states', async () => {
    await renderThread([
      outbound('app', { isFromOtherApp: true }),
      outbound('x', { status: 'failed', error: untranslated('Outside the 24-hour window') }),
    ]);
    expect(bubbleById('app')).toHaveTextContent('Sent from the Instagram app');
    expect(bubbleById('x')).toHaveAttribute('data-status', 'failed');
    expect(bubbleById('x')).toHaveTextContent('Not sent: Outside the 24-hour window');
  });
});

describe('gap marker', () => {
  it('shows where catch-up could not recover messages as a note across the thread, not a bubble', async () => {
    await renderThread([
      inbound({ id: 'before', text: 'before the gap', at: 1_000 }),
      inbound({ id: 'gap', mid: 'gap:x', text: null, at: 2_000, context: { kind: 'gap' } }),
      inbound({ id: 'after', text: 'after the gap', at: 3_000 }),
    ]);
    expect(screen.getByRole('note')).toHaveTextContent(
      'Some messages from while Inlet was offline could not be recovered here.',
    );
    expect(screen.getAllByTestId('message')).toHaveLength(2);
  });
});

describe('per-message actions', () => {
  it('offers react, reply, copy and more on the bubble, and the same in its menu', async () => {
    const { user, bubble } = await renderBubble(inbound({ text: 'Is it in stock?' }));
    const toolbar = within(bubble).getByRole('group', { name: 'Message actions' });
    expect(
      within(toolbar)
        .getAllByRole('button')
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(['React ❤️', 'Reply', 'Copy text', 'More']);
    await user.click(within(toolbar).getByRole('button', { name: 'More' }));
    const items = await screen.findAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual(['React ❤️', 'Reply', 'Copy text']);
  });

  it('on a focused message, `.` opens the menu and `r` quotes it in the reply box', async () => {
    const { user, bubble } = await renderBubble(inbound({ text: 'Is it in stock?' }));
    bubble.focus();
    await user.keyboard('.');
    expect(await screen.findByRole('menu', { name: 'More' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    bubble.focus();
    await user.keyboard('r');
    expect(await screen.findByText('Replying to “Is it in stock?”')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus();
  });

  it('opens the menu on right-click; a message not on Instagram offers only Copy', async () => {
    const { user, bubble } = await renderBubble(outbound('local', { mid: null, status: 'queued' }));
    const toolbar = within(bubble).getByRole('group', { name: 'Message actions' });
    expect(within(toolbar).queryByRole('button', { name: 'Reply' })).toBeNull();
    fireEvent.contextMenu(bubble);
    const items = await screen.findAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual(['Copy text']);
    await user.keyboard('{Escape}');
  });
});
