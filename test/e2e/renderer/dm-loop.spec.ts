import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '../support/fixtures';
import { APP_SECRET } from '../support/inlet-against-emulator';

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
  const { account } = live;
  const marker = `forged message ${Date.now()}`;
  const body = JSON.stringify({
    object: 'instagram',
    entry: [
      {
        id: account.igUserId,
        time: Date.now(),
        messaging: [
          {
            sender: { id: '1284973601758392' },
            recipient: { id: account.igUserId },
            timestamp: Date.now(),
            message: { mid: `forged-${Date.now()}`, text: marker },
          },
        ],
      },
    ],
  });
  const sign = (bytes: string, secret: string) =>
    `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
  const forge = (secret: string) => sign(body, secret);
  for (const signature of [forge('not-the-app-secret'), undefined, 'sha256=00']) {
    const response = await fetch(live.webhookUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(signature ? { 'X-Hub-Signature-256': signature } : {}),
      },
      body,
    });
    expect(response.status).toBe(401);
  }
  // A correctly signed copy is accepted, which proves the refusals above were about the signature.
  const control = body
    .replace(marker, 'signed control message')
    .replace(/forged-\d+/, `control-${Date.now()}`);
  const good = await fetch(live.webhookUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': sign(control, APP_SECRET),
    },
    body: control,
  });
  expect(good.status).toBe(200);

  await inbox.open();
  await expect(inbox.conversation('signed control message')).toBeVisible();
  await expect(page.getByText(marker)).toHaveCount(0);

  const db = new DatabaseSync(join(live.dataDir, 'archive.sqlite'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT body FROM deliveries').all() as { body: Uint8Array }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => Buffer.from(row.body).toString().includes(marker))).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM messages WHERE text = ?').get(marker)).toEqual({
      n: 0,
    });
  } finally {
    db.close();
  }
});
