import { expect, test } from '../support/fixtures';
import { midOf } from '../support/inlet-against-emulator';
import { saveScreenshot } from '../support/screenshots';

/**
 * What the customer does on Instagram reaches the open thread in place: edits, unsends, quotes,
 * reactions to the owner's reply, and the read receipt. Each step is a real signed webhook from
 * the emulator.
 */
test('edits, unsends, quotes, reactions and seen show up in the open thread', async ({
  live,
  customerWrites,
}) => {
  const {
    customer: priya,
    first: question,
    thread,
  } = await customerWrites('priya.makes', 'Is it in stock?');

  await priya.does('edit', {
    mid: midOf(question),
    text: 'Is the navy one in stock?',
    numEdit: 1,
  });
  await expect(thread.message('Is the navy one in stock?')).toContainText('Edited');

  const oops = await priya.sends('oops, wrong chat');
  await expect(thread.message('oops, wrong chat')).toBeVisible();
  await priya.does('unsend', { mid: midOf(oops) });
  await expect(thread.log.getByText('oops, wrong chat')).toHaveCount(0);
  await expect(thread.log.getByText('Unsent', { exact: true })).toBeVisible();

  await thread.send('Yes, navy M and L are in stock.');
  const reply = thread.message('navy M and L');
  await expect(reply).toHaveDeliveryStatus('sent');
  const [sent] = (await live.sent()).slice(-1);
  const replyMid = (sent?.response.body as { message_id: string }).message_id;

  await priya.does('react', { mid: replyMid, reaction: 'love', emoji: '❤️' });
  await expect(reply.getByLabel('Reacted ❤️ by customer')).toBeVisible();
  await priya.does('seen', { mid: replyMid });
  await expect(reply).toContainText('Seen');

  await priya.sends({ text: 'Perfect, navy L please', replyToMid: replyMid });
  await expect(thread.message('Perfect, navy L please')).toContainText('navy M and L are in stock');
});

/**
 * Media is archived on arrival: the picture a customer sends is downloaded from the emulator's CDN
 * into the data folder and shown from there (`/archive/media/…`, served by `inlet serve`), so it
 * stays visible after Instagram's link expires. A reply quoting it shows the same copy, small.
 */
test('a received photo is shown from Inlet’s own archive, and in a quote of it', async ({
  customerWrites,
}) => {
  const { customer, thread } = await customerWrites('noor.ceramics', {
    text: 'This glaze, please',
    attachments: [{ type: 'image' }],
  });
  const image = thread.message('This glaze, please').getByRole('img', { name: 'Image' });
  await expect(image).toHaveAttribute('src', /^\/archive\/media\/[0-9a-f-]{36}\.png$/);
  // Actually loaded (same-origin, allowed by the CSP), not only pointed at.
  await expect
    .poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBeGreaterThanOrEqual(240); // the sandbox CDN draws pictures 240–320 px wide

  const photo = await customer.sends({ attachments: [{ type: 'image' }] });
  await customer.sends({ text: 'Or in this colour?', replyToMid: midOf(photo) });
  const quote = thread
    .message('Or in this colour?')
    .getByRole('button', { name: 'Replying to Image' });
  const thumbnail = quote.locator('img');
  await expect(thumbnail).toHaveAttribute('src', /^\/archive\/media\/[0-9a-f-]{36}\.png$/);
  await expect
    .poll(() => thumbnail.evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBeGreaterThan(0);
  expect(await thumbnail.boundingBox()).toMatchObject({ width: 40, height: 40 });
  // The tour's thread quotes text; this is a quote with its thumbnail.
  await saveScreenshot(thumbnail.page(), 'thread-quote-thumbnail');
  // The quote leads to the quoted photo.
  await quote.click();
  const highlighted = thread.log.locator('[data-highlighted="true"]');
  await expect(highlighted).toHaveCount(1);
  await expect(highlighted.getByRole('img', { name: 'Image' })).toHaveAttribute(
    'src',
    (await thumbnail.getAttribute('src'))!,
  );
});
