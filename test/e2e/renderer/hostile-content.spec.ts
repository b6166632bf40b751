import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { png } from '../support/images';

/**
 * What customers send is not for a layout's convenience: a name of 120 letters without a space, a
 * message of 1000, right-to-left text, emoji only, a picture whose link is dead, no profile picture,
 * and an owner who pastes 30 files at once. Nothing may overflow, overlap or block the thread, in a
 * wide window or a small one.
 */

const LONG_NAME = 'Wolfeschlegelsteinhausenbergerdorff'.repeat(4).slice(0, 120);
const LONG_WORD = 'a'.repeat(1000);
const ARABIC = 'مرحبا! هل القميص متوفر بالمقاس المتوسط؟';
const HEBREW = 'שלום, האם יש משלוח לחיפה?';
const EMOJI_ONLY = '🎉🎉🎉';

/** No part of `element` is wider than its box allows (nothing sticks out sideways). */
async function expectNoSidewaysOverflow(element: Locator, what: string) {
  const { scroll, client } = await element.evaluate((node) => ({
    scroll: node.scrollWidth,
    client: node.clientWidth,
  }));
  expect(scroll, `${what} overflows sideways`).toBeLessThanOrEqual(client + 1);
}

async function expectInside(inner: Locator, outer: Locator, what: string) {
  const a = (await inner.boundingBox())!;
  const b = (await outer.boundingBox())!;
  expect(a.x, `${what}: left edge`).toBeGreaterThanOrEqual(b.x - 1);
  expect(a.x + a.width, `${what}: right edge`).toBeLessThanOrEqual(b.x + b.width + 1);
}

async function pageDoesNotScrollSideways(page: Page) {
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    width,
  );
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 800, height: 700 },
]) {
  test(`long, right-to-left and emoji-only messages, a dead picture and no avatar fit at ${viewport.width}×${viewport.height}`, async ({
    live,
    inbox,
    page,
  }) => {
    await page.setViewportSize(viewport);
    const tag = `${viewport.width}`;
    const customer = await live.customer(`very.long.username.${tag}.that.goes.on`, {
      name: LONG_NAME,
      picture: 'expired',
    });
    await customer.sends(ARABIC);
    await customer.sends(HEBREW);
    await customer.sends(EMOJI_ONLY);
    await customer.sends(LONG_WORD);
    await customer.sends({
      // Nobody answers there: Inlet cannot keep a copy, and the page may not load it.
      attachments: [{ type: 'image', url: 'http://127.0.0.1:9/gone.png' }],
    });
    await inbox.open();
    const row = inbox.conversation(`very.long.username.${tag}`);
    await expect(row).toBeVisible();
    const thread = await inbox.openConversation(`very.long.username.${tag}`);
    await expect(thread.messages).toHaveCount(5);

    // The row keeps its height and its text inside it; no picture: the initials.
    const rowBox = (await row.boundingBox())!;
    expect(rowBox.height).toBeGreaterThanOrEqual(60);
    expect(rowBox.height).toBeLessThanOrEqual(96);
    await expectNoSidewaysOverflow(row, 'the conversation row');
    await expect(row.locator('img.avatar')).toHaveCount(0);

    // Right-to-left text reads right to left; the bubbles stay on the customer's side.
    const arabic = thread.message(ARABIC).locator('.message__text');
    expect(await arabic.evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    const hebrew = thread.message(HEBREW).locator('.message__text');
    expect(await hebrew.evaluate((node) => getComputedStyle(node).direction)).toBe('rtl');
    const emoji = thread.message(EMOJI_ONLY).locator('.message__text');
    expect(await emoji.evaluate((node) => getComputedStyle(node).direction)).toBe('ltr');

    // The 1000-letter word wraps inside its bubble, which stays inside the thread.
    await expectNoSidewaysOverflow(thread.log, 'the message log');
    for (const text of [LONG_WORD, ARABIC, EMOJI_ONLY])
      await expectInside(thread.message(text), thread.log, `the bubble of ${text.slice(0, 10)}`);
    // The dead picture leaves a placeholder of its own size, no broken image.
    const dead = thread.messages.last();
    await expect(dead.locator('img')).toHaveCount(0);
    await expectInside(dead, thread.log, 'the dead picture');

    // The header's long name is cut, not pushed over Done and Snooze.
    const title = page.locator('#thread-title');
    await expectInside(title, page.locator('.thread'), 'the thread title');
    const header = page.locator('.thread__header');
    await expect(header.getByRole('button', { name: 'Done' })).toBeInViewport();
    // …and the header keeps to one row of controls (Done, Snooze and More side by side).
    const done = (await header.getByRole('button', { name: 'Done' }).boundingBox())!;
    const more = (await header.getByRole('button', { name: 'More actions' }).boundingBox())!;
    expect(Math.abs(done.y - more.y)).toBeLessThan(4);
    // The customer panel wraps the name inside itself (in a drawer below ~1100 px).
    if (viewport.width > 1100) {
      const panel = page.getByRole('complementary', { name: 'Customer', exact: true });
      await expectNoSidewaysOverflow(panel, 'the customer panel');
      await expectInside(panel.locator('.customer-panel__name'), panel, 'the panel’s name');
    }

    // 30 files pasted at once: 10 wait in the tray, the owner is told of the other 20, and the
    // messages keep most of the height.
    const files = Array.from({ length: 30 }, (_, index) => ({
      name: `photo-${index + 1}.png`,
      mimeType: 'image/png',
      buffer: png(40, 30),
    }));
    await page.getByLabel('Attach a file').setInputFiles(files);
    const tray = page.getByRole('group', { name: 'Attachments to send' });
    await expect(tray.getByRole('img')).toHaveCount(10);
    await expect(page.getByText('20 files were not attached')).toBeVisible();
    await expectNoSidewaysOverflow(tray, 'the attachment tray');
    const logBox = (await thread.log.boundingBox())!;
    expect(logBox.height, 'the messages keep room beside a full tray').toBeGreaterThan(
      viewport.height * 0.25,
    );
    await pageDoesNotScrollSideways(page);
    await thread.composer.press('Escape');
    await expect(tray).toHaveCount(0);

    // Nothing of it blocks the thread: a reply goes out.
    await thread.send('Shukran! Yes, M is in stock.');
    await expect(thread.message('Shukran! Yes, M is in stock.')).toHaveDeliveryStatus('sent');
    await pageDoesNotScrollSideways(page);
  });
}
