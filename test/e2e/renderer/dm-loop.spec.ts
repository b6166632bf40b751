import { textMessageBody } from '../../fakes/webhook-bodies';
import { signBody } from '../../../main/sandbox/signing';
import { storedDeliveries, storedMessages } from '../support/archive';
import { expect, test } from '../support/fixtures';
import { APP_SECRET } from '../support/inlet-against-emulator';
import { deliverWebhook } from '../support/webhook';

test('a signed DM appears in the inbox and the typed reply reaches Instagram', async ({
  live,
  inbox,
}) => {
  const lena = await live.customer('lena.k', { name: 'Lena K' });
  const inbound = await lena.sends('Hi! Do you still have the linen shirt in size M? ✨');
  expect(inbound.delivery.status).toBe(200);

  await inbox.open();
  await expect(inbox.conversation('lena.k')).toBeVisible();
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('linen shirt in size M? ✨')).toHaveAttribute('data-direction', 'in');

  const reply = 'Yes! We have M in beige and navy 🙂';
  await thread.send(reply);

  const bubble = thread.message(reply);
  await expect(bubble).toHaveAttribute('data-direction', 'out');
  await expect(bubble).toHaveDeliveryStatus('sent');
  await expect(thread.composer).toHaveValue('');

  // The other end: exactly one Send API request, to the customer, through the configured version.
  const sent = await live.sent();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    path: `/v24.0/${live.account.igUserId}/messages`,
    body: { recipient: { id: lena.igsid }, message: { text: reply } },
    response: { status: 200 },
  });
  // The echo of that send comes back as a webhook and must not add a second bubble. Inlet
  // processes deliveries in order, so once a later message is on screen the echo was handled.
  await live.emulator.flushDeliveries();
  await lena.sends('Great, I’ll take navy');
  await expect(thread.message('I’ll take navy')).toBeVisible();
  await expect(thread.message(reply)).toHaveCount(1);
});

test('a delivery with a bad signature is refused with 401 and nothing is stored', async ({
  live,
  inbox,
  page,
}) => {
  const accountId = live.account.igUserId;
  const at = Date.now();
  const marker = `forged message ${at}`;
  const body = textMessageBody({ mid: `forged-${at}`, text: marker, at, accountId });
  for (const signature of [signBody(body, 'not-the-app-secret'), undefined, 'sha256=00']) {
    expect(await deliverWebhook(live.webhookUrl, body, { signature })).toBe(401);
  }
  // A correctly signed delivery is accepted, which proves the refusals above were about the
  // signature.
  const control = textMessageBody({
    mid: `control-${at}`,
    text: 'signed control message',
    at,
    accountId,
  });
  expect(await deliverWebhook(live.webhookUrl, control, { appSecret: APP_SECRET })).toBe(200);

  await inbox.open();
  await expect(inbox.conversation('signed control message')).toBeVisible();
  await expect(page.getByText(marker)).toHaveCount(0);

  const deliveries = storedDeliveries(live.dataDir);
  expect(deliveries.length).toBeGreaterThan(0);
  expect(deliveries.some((stored) => stored.includes(marker))).toBe(false);
  expect(storedMessages(live.dataDir).filter((message) => message.text === marker)).toEqual([]);
});
