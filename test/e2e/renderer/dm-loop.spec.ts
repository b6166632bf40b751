import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import {
  APP_SECRET,
  startInletAgainstEmulator,
  type LiveSetup,
} from '../support/inlet-against-emulator';

let setup: LiveSetup;

test.beforeAll(async () => {
  setup = await startInletAgainstEmulator();
});

test.afterAll(async () => {
  await setup?.close();
});

test('a signed DM appears in the inbox and the typed reply reaches Instagram', async ({ page }) => {
  const { emulator, account } = setup;
  const customer = await emulator.createCustomer({
    accountId: account.igUserId,
    username: 'lena.k',
    name: 'Lena K',
  });
  const inbound = await emulator.customerSends(customer.igsid, {
    text: 'Hi! Do you still have the linen shirt in size M? ✨',
  });
  expect(inbound.delivery.status).toBe(200);

  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  const row = page.getByTestId('conversation').filter({ hasText: 'lena.k' });
  await expect(row).toBeVisible();
  await row.click();

  const thread = page.getByRole('log', { name: 'Messages' });
  await expect(
    thread.getByTestId('message').filter({ hasText: 'linen shirt in size M? ✨' }),
  ).toHaveAttribute('data-direction', 'in');

  const reply = 'Yes! We have M in beige and navy 🙂';
  await page.getByRole('textbox', { name: 'Message' }).fill(reply);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');

  const bubble = thread.getByTestId('message').filter({ hasText: reply });
  await expect(bubble).toHaveAttribute('data-direction', 'out');
  await expect(bubble).toHaveAttribute('data-status', 'sent');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');

  // The other end: exactly one Send API request, to the customer, through the configured version.
  const sent = await emulator.sent(account.igUserId);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    path: `/v24.0/${account.igUserId}/messages`,
    body: { recipient: { id: customer.igsid }, message: { text: reply } },
    response: { status: 200 },
  });
  // The echo of that send comes back as a webhook and must not add a second bubble. Inlet
  // processes deliveries in order, so once a later message is on screen the echo was handled.
  await emulator.flushDeliveries();
  await emulator.customerSends(customer.igsid, { text: 'Great, I’ll take navy' });
  await expect(thread.getByTestId('message').filter({ hasText: 'I’ll take navy' })).toBeVisible();
  await expect(thread.getByTestId('message').filter({ hasText: reply })).toHaveCount(1);
});

test('a delivery with a bad signature is refused with 401 and nothing is stored', async ({
  page,
}) => {
  const { account } = setup;
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
    const response = await fetch(setup.webhookUrl, {
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
  const good = await fetch(setup.webhookUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': sign(control, APP_SECRET),
    },
    body: control,
  });
  expect(good.status).toBe(200);

  await page.goto(setup.uiUrl);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(
    page.getByTestId('conversation').filter({ hasText: 'signed control message' }),
  ).toBeVisible();
  await expect(page.getByText(marker)).toHaveCount(0);

  const db = new DatabaseSync(join(setup.dataDir, 'archive.sqlite'), { readOnly: true });
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
