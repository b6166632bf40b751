import { act, fireEvent, screen, within } from '@testing-library/react';
import type { Comment } from '../../../../../shared/ipc/comments-contract';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../../renderer/src/bridge';
import { PRIVATE_REPLY_WINDOW_MS } from '../../../../../shared/domain/reply-windows';
import { FakeInboxClient } from '../../fake-client';
import { makeComment, makeConversation, makeStatus } from '../../fixtures';
import { renderApp } from '../../render-app';

const ACCOUNT = '17841499999999999';

async function openComments(client: FakeInboxClient) {
  const app = renderApp(client);
  await app.user.click(await screen.findByRole('button', { name: 'Comments' }));
  await screen.findByRole('heading', { name: 'Comments on your posts' });
  return app;
}

describe('comments view', () => {
  it('is a view in the rail that shows the account’s comments, newest first', async () => {
    const client = new FakeInboxClient();
    client.data.comments = [
      makeComment({ id: '1', text: 'Older', at: Date.now() - 60 * 60_000 }),
      makeComment({ id: '2', text: 'Newer', fromUsername: 'tom.builds' }),
    ];
    await openComments(client);
    expect(screen.getByRole('button', { name: 'Comments' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    const items = within(screen.getByRole('list', { name: 'Comments, newest first' })).getAllByRole(
      'article',
    );
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('Newer'),
      expect.stringContaining('Older'),
    ]);
    expect(items[0]).toHaveTextContent('@tom.builds');
    expect(client.comments.list).toHaveBeenCalledWith({ accountId: ACCOUNT });
  });

  it('gives each commenter an avatar: initials on a colour of their own, no lookup', async () => {
    const client = new FakeInboxClient();
    client.data.comments = [
      makeComment({ id: '1', fromUsername: 'tom.builds', fromId: '111' }),
      makeComment({ id: '2', fromUsername: 'noor_designs', fromId: '222' }),
      makeComment({ id: '3', fromUsername: 'tom.builds', fromId: '111' }),
    ];
    await openComments(client);
    const items = within(screen.getByRole('list', { name: 'Comments, newest first' })).getAllByRole(
      'article',
    );
    const avatars = items.map((item) => item.querySelector('.avatar'));
    expect(avatars.map((avatar) => avatar?.textContent)).toEqual(['TB', 'ND', 'TB']);
    // Decorative: the author's name beside it is what is read out.
    for (const avatar of avatars) expect(avatar).toHaveAttribute('aria-hidden', 'true');
    // The same commenter keeps their colour from comment to comment.
    expect(avatars[0]?.className).toBe(avatars[2]?.className);
    expect(items[0]).toHaveAccessibleName('@tom.builds');
  });

  it('shows the post each comment is on: picture, caption and link, or its kind until known', async () => {
    const client = new FakeInboxClient();
    const permalink = 'https://www.instagram.com/p/C0000000001/';
    client.data.comments = [
      makeComment({ id: '1', mediaProductType: 'REELS', post: null }),
      makeComment({
        id: '2',
        post: {
          caption: 'Linen shirts are back: beige, navy and sage',
          permalink,
          pictureUrl: '/archive/media/0b9e6a52-7d7e-4c55-9a43-58e1a6b7f3c1.jpg',
          isVideo: false,
        },
      }),
    ];
    const { container } = await openComments(client);
    const [described, unknown] = within(
      screen.getByRole('list', { name: 'Comments, newest first' }),
    ).getAllByRole('article');
    expect(described).toHaveTextContent('On your post');
    expect(described).toHaveTextContent('Linen shirts are back: beige, navy and sage');
    expect(within(described!).getByRole('link', { name: 'Open on Instagram' })).toHaveAttribute(
      'href',
      permalink,
    );
    const picture = container.querySelector<HTMLImageElement>('.comment__post-picture[src]');
    expect(picture?.getAttribute('src')).toBe(
      '/archive/media/0b9e6a52-7d7e-4c55-9a43-58e1a6b7f3c1.jpg',
    );
    // A picture whose link expired leaves an icon in its place, not a broken image.
    fireEvent.error(picture!);
    expect(container.querySelector('.comment__post-picture[src]')).toBeNull();

    expect(unknown).toHaveTextContent('On your reel');
    expect(unknown).not.toHaveTextContent('18050310947722369');
    expect(within(unknown!).queryByRole('link')).toBeNull();
  });

  it('sends a private reply, then shows it answered and opens the conversation', async () => {
    const conversation = makeConversation({
      id: `${ACCOUNT}:952467318864215`,
      customerUsername: 'priya.makes',
    });
    const client = new FakeInboxClient({ conversations: [conversation] });
    const comment = makeComment();
    client.data.comments = [comment];
    const { user } = await openComments(client);
    await user.click(screen.getByRole('button', { name: 'Reply privately' }));
    const box = screen.getByRole('textbox', { name: 'Private reply to @priya.makes' });
    expect(box).toHaveFocus();
    expect(screen.queryByText(/bytes|characters/)).toBeNull();
    await user.type(box, 'Sent you the price list!{Enter}');
    expect(client.comments.privateReply).toHaveBeenCalledWith({
      accountId: ACCOUNT,
      commentId: comment.id,
      text: 'Sent you the price list!',
    });
    // Main announces the answered comment; only that item changes.
    client.emit('comments:saved', {
      ...comment,
      privateReply: {
        ...comment.privateReply,
        state: 'answered',
        sentAt: Date.now(),
        conversationId: conversation.id,
      },
    });
    expect(await screen.findByText('Answered privately')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reply privately' })).toBeNull();
    // Focus does not fall to the page when the composer goes.
    expect(screen.getByRole('button', { name: 'Open conversation' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Open conversation' }));
    expect(screen.queryByRole('heading', { name: 'Comments on your posts' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Comments' })).not.toHaveAttribute('aria-current');
  });

  it('explains a refusal from main and keeps the text', async () => {
    const client = new FakeInboxClient();
    client.data.comments = [makeComment()];
    client.comments.privateReply.mockRejectedValueOnce(
      new BridgeError(
        'INVALID_INPUT',
        'You already answered this comment privately. Instagram allows only one private reply per comment.',
      ),
    );
    const { user } = await openComments(client);
    await user.click(screen.getByRole('button', { name: 'Reply privately' }));
    await user.type(screen.getByRole('textbox'), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Send privately' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Your private reply wasn't sent.");
    expect(alert).toHaveTextContent('only one private reply per comment');
    expect(screen.getByRole('textbox')).toHaveValue('Hello');
  });

  it('counts like the main composer and refuses more than 1000 bytes', async () => {
    const client = new FakeInboxClient();
    client.data.comments = [makeComment()];
    const { user } = await openComments(client);
    await user.click(screen.getByRole('button', { name: 'Reply privately' }));
    const box = screen.getByRole('textbox');
    await user.click(box);
    await user.paste('é'.repeat(501)); // 2 bytes each
    expect(screen.getByText(/1 character too many/)).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Send privately' })).toBeDisabled();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByRole('button', { name: 'Reply privately' })).toHaveFocus();
  });

  it('says why no reply is possible: expired, refused by Instagram', async () => {
    const client = new FakeInboxClient();
    const old = Date.now() - PRIVATE_REPLY_WINDOW_MS - 60_000;
    client.data.comments = [
      // Main listed it as available, but the 7 days ran out since.
      makeComment({ id: '1', at: old, text: 'Old one' }),
      makeComment({
        id: '2',
        text: 'Answered elsewhere',
        privateReply: {
          state: 'refused',
          allowedUntil: Date.now() + 1000,
          sentAt: null,
          conversationId: null,
          refusal: { text: 'Only one is allowed.', detail: null },
        },
      }),
    ];
    await openComments(client);
    expect(screen.getByText(/only within 7 days of the comment/)).toBeInTheDocument();
    expect(
      screen.getByText('Instagram no longer allows a private reply to this comment.', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reply privately' })).toBeNull();
  });

  it('shows a new comment as it arrives, and only the current account’s', async () => {
    const client = new FakeInboxClient();
    await openComments(client);
    expect(screen.getByText(/No comments yet/)).toBeInTheDocument();
    client.emit(
      'comments:saved',
      makeComment({ id: '9', accountId: '17841400000000001', text: 'Other' }),
    );
    client.emit('comments:saved', makeComment({ id: '10', text: 'Fresh one' }));
    expect(await screen.findByText('Fresh one')).toBeInTheDocument();
    expect(screen.queryByText('Other')).toBeNull();
  });

  it('lists one account at a time, chosen by its username', async () => {
    const cafe = '17841400000000002';
    const status = makeStatus();
    const client = new FakeInboxClient({
      status: {
        ...status,
        accounts: [
          ...status.accounts,
          { ...status.accounts[0]!, igUserId: cafe, username: 'lisbon.cafe' },
        ],
      },
    });
    client.data.comments = [
      makeComment({ id: '1', text: 'For the shop' }),
      makeComment({ id: '2', accountId: cafe, text: 'For the café' }),
    ];
    const { user } = await openComments(client);
    expect(await screen.findByText('For the shop')).toBeInTheDocument();
    expect(screen.queryByText('For the café')).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Account' }), '@lisbon.cafe');
    expect(await screen.findByText('For the café')).toBeInTheDocument();
    expect(screen.queryByText('For the shop')).toBeNull();
    expect(client.comments.list).toHaveBeenLastCalledWith({ accountId: cafe });
  });

  it('offers a retry when the list cannot load', async () => {
    const client = new FakeInboxClient();
    client.comments.list.mockRejectedValueOnce(new BridgeError('INTERNAL', ''));
    client.data.comments = [makeComment({ text: 'Back again' })];
    const { user } = renderApp(client);
    await user.click(await screen.findByRole('button', { name: 'Comments' }));
    expect(await screen.findByText("Inlet couldn't load the comments.")).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Back again')).toBeInTheDocument();
  });

  it('shows skeleton rows while the comments load, and says so to screen readers', async () => {
    const client = new FakeInboxClient();
    let answer: (page: { comments: Comment[]; nextCursor: string | null }) => void = () => {};
    client.comments.list.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const { user } = renderApp(client);
    await user.click(await screen.findByRole('button', { name: 'Comments' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Loading comments…');
    expect(screen.getByTestId('skeleton-rows')).toHaveAttribute('aria-hidden', 'true');
    // No visible "Loading…" text: the shapes say it.
    expect(screen.getByText('Loading comments…')).toHaveClass('visually-hidden');

    await act(async () =>
      answer({ comments: [makeComment({ text: 'Arrived' })], nextCursor: null }),
    );
    expect(await screen.findByText('Arrived')).toBeInTheDocument();
    expect(screen.queryByTestId('skeleton-rows')).not.toBeInTheDocument();
  });
});
