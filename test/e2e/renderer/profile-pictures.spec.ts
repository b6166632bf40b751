import type { Locator } from '@playwright/test';
import { conversationIdOf } from '../../../shared/domain/schemas';
import { refusedPictures } from '../support/archive';
import { expect, test } from '../support/fixtures';

/**
 * Customers' (and the connected account's) profile pictures as avatars: Inlet keeps its own copy (Instagram's links expire
 * within days) and the page shows only that copy; a picture that cannot be had leaves the
 * coloured initials.
 */

const ARCHIVED = /^\/archive\/media\/[0-9a-f-]{36}\.(png|jpg|gif|webp)$/;

/** The avatar's image, loaded with pixels: what the owner sees. */
async function expectArchivedPicture(avatar: Locator, size = 40): Promise<void> {
  await expect(avatar).toHaveAttribute('src', ARCHIVED);
  await expect
    .poll(() => avatar.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
    .toBeGreaterThan(0);
  const box = await avatar.boundingBox();
  expect(box).toMatchObject({ width: size, height: size });
}

test('a sandbox customer’s avatar is their picture, served from Inlet’s archive, and the shop’s too', async ({
  sandboxInbox: inbox,
}) => {
  await inbox.open();
  const row = inbox.conversation('lena.k');
  await expectArchivedPicture(row.locator('img.avatar'));
  // The row is still named by the customer, not by the picture.
  await expect(row).toHaveAccessibleName(/^Lena K/);

  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('linen shirt in size M')).toBeVisible();
  await expectArchivedPicture(inbox.page.locator('.thread__header img.avatar'));
  await expectArchivedPicture(inbox.page.locator('.customer-panel__who img.avatar'));

  // The shop's own picture, on its button in the rail and in Settings beside its name.
  await expectArchivedPicture(
    inbox.page.getByRole('navigation').locator('.rail-button--account img.avatar'),
    32,
  );
  const settings = await inbox.openSettings();
  await expectArchivedPicture(settings.account('inlet.sandbox').locator('img.avatar'));
});

test('a customer whose picture link has expired, or who has none, keeps the initials', async ({
  live,
  inbox,
}) => {
  const expired = await live.customer('rosa.expired', { name: 'Rosa Vega', picture: 'expired' });
  const none = await live.customer('ada.nopic', { name: 'Ada Lind', picture: 'none' });
  for (const customer of [expired, none]) await customer.sends('Hello!');
  await inbox.open();
  // Inlet tried the expired link, and Instagram's CDN refused it.
  const rosa = conversationIdOf(live.account.igUserId, expired.igsid);
  await expect.poll(() => refusedPictures(live.dataDir)[rosa]).toContain('HTTP 403');
  for (const [username, name, initials] of [
    ['rosa.expired', 'Rosa Vega', 'RV'],
    ['ada.nopic', 'Ada Lind', 'AL'],
  ] as const) {
    const row = inbox.conversation(username);
    await expect(row).toHaveAccessibleName(new RegExp(`^${name}`));
    await expect(row.locator('.avatar')).toHaveText(initials);
    await expect(row.locator('img')).toHaveCount(0);
  }
});
