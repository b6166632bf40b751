import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import type { LiveSetup } from '../support/inlet-against-emulator';

/**
 * Private replies to comments: a comment reaches Inlet as a signed `comments` webhook,
 * the owner answers it privately from the Comments view, Instagram (the emulator) gets
 * `recipient.comment_id`, and the reply opens a conversation in the inbox.
 */

const FROM_INSTAGRAM_APP = 'Sent from the Instagram app';

/**
 * The Send API requests addressed to a comment (docs/platform.md#private-replies), oldest first.
 */
async function privateRepliesTo(live: LiveSetup, commentId: string | null | undefined) {
  return (await live.sent()).filter(
    (sent) =>
      (sent.body.recipient as { comment_id?: string } | undefined)?.comment_id === commentId,
  );
}

test('a comment is answered privately once; a second private reply is refused with the reason', async ({
  live,
  inbox,
  page,
}) => {
  const { emulator, account } = live;
  const first = await emulator.comment({
    accountId: account.igUserId,
    fromUsername: 'noor.e2e',
    mediaProductType: 'REELS',
    postCaption: 'Morning routine with the speckled mug ☕',
    text: 'Price? 😍',
  });
  await inbox.open();
  await inbox.openComments();
  await expect(page.getByRole('heading', { name: 'Comments on your posts' })).toBeVisible();
  const item = page.getByRole('article', { name: '@noor.e2e' });
  await expect(item).toContainText('Price? 😍');
  // What it is on, as Instagram describes the reel: its cover, caption and link.
  await expect(item).toContainText('On your reel');
  await expect(item).toContainText('Morning routine with the speckled mug ☕');
  await expect(item.getByRole('link', { name: 'Open on Instagram' })).toHaveAttribute(
    'href',
    /^https:\/\/www\.instagram\.com\/reel\//,
  );
  const cover = item.locator('img.comment__post-picture');
  await expect(cover).toHaveAttribute('src', /^\/archive\/media\//);
  await expect
    .poll(() => cover.evaluate((image: HTMLImageElement) => image.naturalWidth))
    .toBeGreaterThan(0);

  await item.getByRole('button', { name: 'Reply privately' }).click();
  const box = page.getByRole('textbox', { name: 'Private reply to @noor.e2e' });
  await expect(box).toBeFocused();
  await expect(item).not.toContainText('bytes');
  await box.fill('Sent you the price list!');
  await item.getByRole('button', { name: 'Send privately' }).click();
  await expect(item).toContainText('Answered privately');
  await expect(item.getByRole('button', { name: 'Open conversation' })).toBeFocused();
  await expect(item.getByRole('button', { name: 'Reply privately' })).toHaveCount(0);

  // Instagram received one private reply, addressed by comment id
  // (docs/platform.md#private-replies).
  const replies = await privateRepliesTo(live, first.commentId);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.response.status).toBe(200);
  expect(replies[0]!.body).toMatchObject({ message: { text: 'Sent you the price list!' } });

  // The reply opened a conversation with the commenter.
  await item.getByRole('button', { name: 'Open conversation' }).click();
  await expect(page.getByRole('heading', { name: 'Comments on your posts' })).toHaveCount(0);
  const sentReply = inbox.thread().message('Sent you the price list!');
  await expect(sentReply).toBeVisible();
  // Sent by Inlet (not "from the Instagram app"), in a conversation named after the commenter.
  await expect(sentReply).not.toContainText(FROM_INSTAGRAM_APP);
  await expect(inbox.conversation('noor.e2e')).toBeVisible();

  // A comment already answered in Instagram's own app: Inlet's attempt is refused, with why.
  await inbox.openComments();
  const second = await emulator.comment({
    accountId: account.igUserId,
    fromUsername: 'sam.e2e',
    text: 'Do you ship to Lisbon?',
  });
  // It arrives while the view is open, without a reload.
  const other = page.getByRole('article', { name: '@sam.e2e' });
  await expect(other).toContainText('Do you ship to Lisbon?');
  const elsewhere = await fetch(`${emulator.baseUrl}/v24.0/me/messages`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${account.accessToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      recipient: { comment_id: second.commentId },
      message: { text: 'Answered from the phone' },
    }),
  });
  expect(elsewhere.status).toBe(200);
  await other.getByRole('button', { name: 'Reply privately' }).click();
  await page.getByRole('textbox', { name: 'Private reply to @sam.e2e' }).fill('Yes we do!');
  await other.getByRole('button', { name: 'Send privately' }).click();
  // Instagram's refusal replaces the composer: the item says why, and offers no reply again.
  await expect(other).toContainText('Instagram no longer allows a private reply');
  await expect(other).toContainText('only one is allowed, within 7 days of the comment');
  await expect(other.getByRole('button', { name: 'Reply privately' })).toHaveCount(0);
  await expect(other.getByRole('textbox')).toHaveCount(0);
  const attempts = await privateRepliesTo(live, second.commentId);
  expect(attempts.map((sent) => sent.response.status)).toEqual([200, 400]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no violations on the comments view (${colorScheme})`, async ({
    live,
    inbox,
    page,
  }) => {
    const { emulator, account } = live;
    await emulator.comment({
      accountId: account.igUserId,
      fromUsername: `axe.${colorScheme}`,
      text: 'Is this handmade?',
    });
    await page.emulateMedia({ colorScheme });
    await inbox.open();
    await inbox.openComments();
    const item = page.getByRole('article', { name: `@axe.${colorScheme}` });
    await item.getByRole('button', { name: 'Reply privately' }).click();
    await expect(
      page.getByRole('textbox', { name: `Private reply to @axe.${colorScheme}` }),
    ).toBeVisible();
    await expectNoViolations(page, 'the comments view');
  });
}
