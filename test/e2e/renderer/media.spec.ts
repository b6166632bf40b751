import type { Locator } from '@playwright/test';
import { expectNoViolationsInBothThemes } from '../support/axe';
import { expect, ownSandbox, test } from '../support/fixtures';
import { png } from '../support/images';
import { Inbox } from '../support/inbox';

/**
 * Media like a messenger, against `inlet serve` and the emulator: thumbnails at their aspect
 * ratio from Inlet's archive, a viewer that fills the window and steps with the arrow keys, real
 * players for video and voice notes, and files the owner attaches waiting in a tray (thumbnail,
 * caption, remove; Enter sends, Escape cancels) and then shown from the archive's copy.
 */

const loadedSize = (image: Locator) =>
  image.evaluate((element: HTMLImageElement) => ({
    natural: element.naturalWidth / element.naturalHeight,
    shown: element.getBoundingClientRect().width / element.getBoundingClientRect().height,
  }));

test('pictures at their aspect ratio, a viewer that steps with ←/→, a video and a voice note that play', async ({
  customerWrites,
  page,
}) => {
  const { customer, thread } = await customerWrites('ines.pottery', {
    text: 'Two photos of the crack, and a video',
    attachments: [{ type: 'image' }, { type: 'image' }],
  });
  await customer.sends({ attachments: [{ type: 'video' }] });
  await customer.sends({ attachments: [{ type: 'audio' }] });

  const thumbnails = thread.log.getByRole('button', { name: 'Image' });
  await expect(thumbnails).toHaveCount(2);
  for (const image of await thumbnails.getByRole('img').all()) {
    await expect(image).toHaveAttribute('src', /^\/archive\/media\//);
    await expect
      .poll(() => image.evaluate((e: HTMLImageElement) => e.naturalWidth))
      .toBeGreaterThan(0);
    const { natural, shown } = await loadedSize(image);
    expect(shown).toBeCloseTo(natural, 1);
  }
  const video = thread.log.getByLabel('Video', { exact: true });
  await expect(video).toHaveAttribute('controls', '');
  await expect.poll(() => video.evaluate((e: HTMLVideoElement) => e.readyState)).toBeGreaterThan(0);
  const voice = thread.log.getByLabel('Audio', { exact: true });
  await expect.poll(() => voice.evaluate((e: HTMLAudioElement) => e.duration)).toBeCloseTo(2.2, 1);
  await expectNoViolationsInBothThemes(page, 'a thread with pictures, a video and a voice note');

  await thumbnails.first().click();
  const first = page.getByRole('dialog', { name: 'Image 1 of 3' });
  await expect(first).toBeVisible();
  // Scaled to the window, far larger than the 240 px thumbnail.
  const viewport = page.viewportSize()!;
  const box = await first.getByRole('img').boundingBox();
  expect(Math.max(box!.width, box!.height)).toBeGreaterThan(
    Math.min(viewport.width, viewport.height) / 2,
  );
  await expectNoViolationsInBothThemes(page, 'the media viewer');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: 'Image 2 of 3' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: 'Video 3 of 3' }).locator('video')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: 'Image 2 of 3' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(thumbnails.first()).toBeFocused();
});

test('the viewer steps back past the loaded messages to older pictures, counting them all', async ({
  customerWrites,
  inbox,
  page,
}) => {
  const { customer } = await customerWrites('old.photos', { attachments: [{ type: 'image' }] });
  await customer.sends({ attachments: [{ type: 'video' }] });
  // More than a thread's first page (50 messages) between them and the newest picture.
  for (let n = 1; n <= 55; n += 1) await customer.sends(`Message ${n}`);
  await customer.sends({ attachments: [{ type: 'image' }] });
  // Opened afresh, the thread loads only its newest page.
  await inbox.reload();
  const thread = await inbox.openConversation('old.photos');
  await expect(thread.message('Message 55')).toBeVisible();
  const thumbnails = thread.log.getByRole('button', { name: 'Image' });
  await expect(thumbnails).toHaveCount(1); // only the newest picture is in the loaded page

  await thumbnails.click();
  const newest = page.getByRole('dialog', { name: 'Image 3 of 3' });
  await expect(newest).toBeVisible();
  const newestSrc = await newest.getByRole('img').getAttribute('src');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: 'Video 2 of 3' }).locator('video')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  const oldest = page.getByRole('dialog', { name: 'Image 1 of 3' });
  await expect(oldest).toBeVisible();
  await expect(oldest.getByRole('img')).toHaveAttribute('src', /^\/archive\/media\//);
  expect(await oldest.getByRole('img').getAttribute('src')).not.toBe(newestSrc);
  await expect(oldest.getByRole('button', { name: 'Previous' })).toBeDisabled();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(newest).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(thumbnails).toBeFocused();
});

test.describe('in a sandbox of its own, where Instagram can fetch attached files', () => {
  const sandbox = ownSandbox();

  test('attachments wait in a tray: caption, remove, Escape cancels, Enter sends; the sent photo shows', async ({
    page,
  }) => {
    const inbox = new Inbox(page, sandbox.uiUrl);
    await inbox.open();
    const thread = await inbox.openConversation('lena.k');
    const picker = page.getByLabel('Attach a file');
    const tray = page.getByRole('group', { name: 'Attachments to send' });
    const blue = { name: 'blue-scarf.png', mimeType: 'image/png', buffer: png(300, 200) };
    const grey = { name: 'grey-scarf.png', mimeType: 'image/png', buffer: png(200, 300) };
    const sentPhoto = thread.log.getByRole('img', { name: 'Image: blue-scarf.png' });

    await picker.setInputFiles([blue, grey]);
    await expect(tray.getByRole('img', { name: 'blue-scarf.png' })).toBeVisible();
    await expect(tray.getByRole('img', { name: 'grey-scarf.png' })).toBeVisible();
    await expectNoViolationsInBothThemes(page, 'the attachment tray');
    await tray.getByRole('button', { name: 'Remove grey-scarf.png' }).click();
    await expect(tray.getByRole('img')).toHaveCount(1);

    // Escape drops the tray; nothing is sent.
    await thread.composer.press('Escape');
    await expect(tray).toHaveCount(0);
    await expect(sentPhoto).toHaveCount(0);

    // 30 pasted pictures: ten wait, the rest are counted, and the page stays responsive.
    await thread.composer.evaluate(
      (box, bytes) => {
        const files = new DataTransfer();
        for (let i = 0; i < 30; i++)
          files.items.add(
            new File([new Uint8Array(bytes)], `shot-${i}.png`, { type: 'image/png' }),
          );
        box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true }));
      },
      Array.from(png(40, 30)),
    );
    await expect(tray.getByRole('textbox')).toHaveCount(10);
    await expect(tray.getByRole('status')).toHaveText(
      '20 files were not attached: you can send up to 10 at a time.',
    );
    await thread.composer.press('Escape');
    await expect(tray).toHaveCount(0);

    await picker.setInputFiles(blue);
    const caption = tray.getByRole('textbox', { name: 'Caption for blue-scarf.png' });
    await caption.fill('The blue one');
    await caption.press('Enter');
    await expect(tray).toHaveCount(0);

    // The photo went to Instagram (the emulator fetched it from Inlet), then its caption; the
    // owner's own photo shows from the archive's copy, not as a file name.
    await expect(
      thread.messages.filter({ has: page.getByRole('img', { name: 'Image: blue-scarf.png' }) }),
    ).toHaveDeliveryStatus('sent');
    await expect(thread.message('The blue one')).toHaveDeliveryStatus('sent');
    await expect(sentPhoto).toHaveAttribute('src', /^\/archive\/media\/[0-9a-f-]{36}\.png$/);
    await expect.poll(() => sentPhoto.evaluate((e: HTMLImageElement) => e.naturalWidth)).toBe(300);
    await expect(thread.log.getByText(/sent from this computer/)).toHaveCount(0);
  });
});
