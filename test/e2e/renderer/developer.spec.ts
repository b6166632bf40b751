import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { expectNoViolationsInBothThemes } from '../support/axe';
import { expect, test } from '../support/fixtures';
import type { Inbox } from '../support/inbox';
import { APP_SECRET } from '../support/inlet-against-emulator';
import { deliverWebhook } from '../support/webhook';
import { signBody } from '../../../main/sandbox/signing';
import { startWebhookHandler } from '../../fakes/webhook-handler';

/** Settings → Developer on, whatever an earlier test of the file left (main remembers it). */
async function switchDeveloperOn(inbox: Inbox) {
  const settings = await inbox.openSettings();
  const toggle = settings.dialog.getByRole('checkbox', { name: 'Show the Developer section' });
  // Enabled once main has said whether it is on.
  await expect(toggle).toBeEnabled();
  if (!(await toggle.isChecked())) {
    await toggle.click();
    await expect(toggle).toBeChecked();
  }
  await settings.close();
}

async function openDeliveries(inbox: Inbox, page: Page) {
  await inbox.open();
  await switchDeveloperOn(inbox);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  return page.getByRole('list', { name: 'Deliveries, newest first' });
}

/**
 * The Developer section: a customer's message reaches Inlet as a signed webhook; the
 * owner switches Developer on, opens the delivery behind the bubble, replays it (nothing changes:
 * the message is already stored) and replays an edited copy (which creates the edited message).
 */
/** Opens the delivery behind a message: its menu ("More", shown on hover), then View webhook. */
async function viewWebhook(page: Page, bubble: Locator): Promise<void> {
  await bubble.hover();
  await bubble.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'View webhook' }).click();
}

test('a delivery is seen behind its message, replayed without a duplicate, and edited into a new message', async ({
  customerWrites,
  inbox,
  page,
}) => {
  const { thread } = await customerWrites('dev.e2e', 'Is the shirt in stock?');
  const bubble = thread.message('Is the shirt in stock?');
  await expect(bubble).toBeVisible();
  // The bubble's menu ("More", shown on hover) offers the webhook only with Developer on.
  await bubble.hover();
  await bubble.getByRole('button', { name: 'More' }).click();
  await expect(page.getByRole('menuitem', { name: 'Reply' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'View webhook' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  const settings = await inbox.openSettings();
  // Checked once main has stored it, so click and wait rather than `check()`.
  const toggle = settings.dialog.getByRole('checkbox', { name: 'Show the Developer section' });
  await toggle.click();
  await expect(toggle).toBeChecked();
  await settings.close();
  await expect(page.getByRole('button', { name: 'Deliveries' })).toBeVisible();

  await viewWebhook(page, bubble);
  const detail = page.getByRole('region', { name: /^Delivery \d+$/ });
  await expect(detail).toContainText('signature valid');
  await expect(detail).toContainText('understood');
  await expect(detail.getByLabel('Exactly as received')).toContainText('Is the shirt in stock?');
  await expectNoViolationsInBothThemes(page, 'the Deliveries view');

  await detail.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(detail.getByRole('status')).toContainText('changed nothing');

  await detail.getByRole('button', { name: 'Edit and replay' }).click();
  const editor = detail.getByRole('textbox', { name: 'JSON to replay' });
  await editor.fill('{"object": "instagram",');
  await detail.getByRole('button', { name: 'Replay edited JSON' }).click();
  await expect(detail.getByRole('alert')).toContainText('nothing was sent');

  const raw = (await detail.getByLabel('Exactly as received').textContent()) ?? '';
  // A new mid, or Inlet would rightly take it for the message it already has.
  const edited = raw
    .replace('Is the shirt in stock?', 'And in size L?')
    .replace(/"mid":\s*"([^"]+)"/, '"mid":"$1-edited"');
  expect(edited).not.toBe(raw);
  await editor.fill(edited);
  await detail.getByRole('button', { name: 'Replay edited JSON' }).click();
  await expect(detail.getByRole('status')).toContainText('1 messages created');

  await page.getByRole('button', { name: 'Back to the conversation' }).click();
  await expect(thread.message('And in size L?')).toBeVisible();
  await expect(thread.message('Is the shirt in stock?')).toHaveCount(1);
});

test('copy as cURL, pasted into a shell, is accepted by the listener with a valid signature', async ({
  customerWrites,
  inbox,
  page,
}) => {
  const { thread } = await customerWrites('curl.e2e', "It's for my sister: size S?");
  await switchDeveloperOn(inbox);
  await viewWebhook(page, thread.message("It's for my sister: size S?"));
  const detail = page.getByRole('region', { name: /^Delivery \d+$/ });
  const raw = (await detail.getByLabel('Exactly as received').textContent()) ?? '';
  // "Save as fixture": a file of the exact bytes.
  const saving = page.waitForEvent('download');
  await detail.getByRole('button', { name: 'Save as fixture' }).click();
  const fixture = await saving;
  expect(fixture.suggestedFilename()).toMatch(/^delivery-\d+\.json$/);
  expect(readFileSync(await fixture.path()).toString('utf8')).toBe(raw);

  await detail.getByRole('button', { name: 'Copy as cURL' }).click();
  const command = (await detail.locator('pre', { hasText: /^curl / }).textContent()) ?? '';
  expect(command).toMatch(/X-Hub-Signature-256: sha256=[0-9a-f]{64}/);
  expect(command).not.toContain(APP_SECRET);

  // As pasted into a terminal: bash reads the quoting, curl posts the bytes.
  const { stdout } = await promisify(execFile)('bash', ['-c', `${command} -w '\n%{http_code}'`]);
  expect(stdout.trim().split('\n').at(-1)).toBe('200');

  // The listener kept it as a second verified delivery of the same bytes: the signature held.
  await page.getByRole('button', { name: 'Back to the conversation' }).click();
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('searchbox', { name: 'Search the bodies' }).fill('for my sister');
  const list = page.getByRole('list', { name: 'Deliveries, newest first' });
  await expect(list.getByRole('button')).toHaveCount(2);
  for (const row of await list.getByRole('button').all()) {
    await expect(row).toContainText('signature valid');
    await expect(row).toContainText('understood');
  }
  await list.getByRole('button').first().click();
  await expect(
    page.getByRole('region', { name: /^Delivery \d+$/ }).getByLabel('Exactly as received'),
  ).toHaveText(raw);
  // Replayed bytes change nothing: still one bubble.
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await expect(thread.message("It's for my sister: size S?")).toHaveCount(1);
});

test('refused requests are listed, found by signature, outcome and body text, and never processed', async ({
  inbox,
  live,
  page,
}) => {
  const forged = (text: string) =>
    JSON.stringify({
      object: 'instagram',
      entry: [
        {
          id: live.account.igUserId,
          time: Date.now(),
          messaging: [
            {
              sender: { id: '5550001112223334' },
              recipient: { id: live.account.igUserId },
              timestamp: Date.now(),
              message: { mid: `aWdfZAG1-forged-${text.length}`, text },
            },
          ],
        },
      ],
    });
  expect(
    await deliverWebhook(live.webhookUrl, forged('Forged zebra order'), {
      signature: `sha256=${'0'.repeat(64)}`,
    }),
  ).toBe(401);
  expect(
    await deliverWebhook(live.webhookUrl, forged('Unsigned zebra order!'), {
      signature: undefined,
    }),
  ).toBe(401);

  const list = await openDeliveries(inbox, page);
  // "/" goes to the search from the list, as in the inbox; main searches every kept body.
  await list.getByRole('button').first().focus();
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search the bodies' });
  await expect(search).toBeFocused();
  await page.keyboard.type('zebra order');
  await expect(list.getByRole('button')).toHaveCount(2);

  const signature = page.getByRole('combobox', { name: 'Signature' });
  await signature.selectOption('wrong');
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(list.getByRole('button')).toContainText('signature wrong');
  await signature.selectOption('missing');
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(list.getByRole('button')).toContainText('signature missing');
  await signature.selectOption('valid');
  await expect(list.getByRole('button')).toHaveCount(0);
  await signature.selectOption('');
  await page.getByRole('combobox', { name: 'Outcome' }).selectOption('refused');
  await expect(list.getByRole('button')).toHaveCount(2);
  for (const row of await list.getByRole('button').all()) await expect(row).toContainText('401');

  // Never processed: no conversation came of them.
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await expect(page.getByText('zebra order')).toHaveCount(0);
});

test('Simulate sends an event of the kind chosen, and Open message shows the message it created', async ({
  inbox,
  page,
}) => {
  await openDeliveries(inbox, page);
  const menu = page.getByRole('form', { name: 'Simulate an event' });
  const kinds = await menu
    .getByRole('combobox', { name: 'Event' })
    .locator('option')
    .allTextContents();
  expect(kinds).toEqual(
    expect.arrayContaining(['message', 'react', 'edit', 'comment', 'story_reply']),
  );
  await menu.getByRole('combobox', { name: 'Event' }).selectOption('message');
  await menu.getByRole('textbox', { name: 'Text (optional)' }).fill('Simulated from the workbench');
  await menu.getByRole('button', { name: 'Send' }).click();
  await expect(menu.getByRole('status')).toContainText(
    /Sent a simulated message event: delivery \d+/,
  );

  const detail = page.getByRole('region', { name: /^Delivery \d+$/ });
  await expect(detail).toContainText('signature valid');
  await expect(detail).toContainText('understood');
  await detail.getByRole('button', { name: 'Open message' }).click();
  await expect(page.getByRole('list', { name: 'Deliveries, newest first' })).toHaveCount(0);
  await expect(
    page
      .getByRole('log')
      .getByTestId('message')
      .filter({ hasText: 'Simulated from the workbench' }),
  ).toBeVisible();
});

test('Settings → Developer: a handler added there receives the bytes Meta signed, the delivery shows it; axe-clean in light and dark', async ({
  inbox,
  live,
  page,
}) => {
  // The developer's handler, on this machine.
  const handler = await startWebhookHandler();
  const { received } = handler;
  const target = handler.url;
  try {
    await openDeliveries(inbox, page);
    const settings = await inbox.openSettings();
    const forwardTo = settings.dialog.getByRole('textbox', { name: 'Forward to URL' });
    await forwardTo.fill('https://hooks.example.com/instagram');
    await settings.dialog.getByRole('button', { name: 'Add' }).click();
    await expect(settings.dialog.getByRole('alert')).toContainText(
      'needs "Allow hosts other than this machine"',
    );
    await forwardTo.fill(target);
    await settings.dialog.getByRole('button', { name: 'Add' }).click();
    await expect(settings.dialog.getByText(target)).toBeVisible();
    await expect(settings.dialog.getByTestId('journal-usage')).toContainText(
      /Verified deliveries: \d+/,
    );
    await expectNoViolationsInBothThemes(page, 'Settings → Developer');
    await settings.close();

    const customer = await live.customer('forward.e2e');
    await customer.sends('Please forward me to the handler');
    await expect.poll(() => received.length).toBe(1);
    const [forwarded] = received;
    expect(forwarded?.body.toString()).toContain('Please forward me to the handler');
    expect(forwarded?.signature).toBe(signBody(forwarded?.body ?? '', APP_SECRET));

    await page.getByRole('searchbox', { name: 'Search the bodies' }).fill('forward me to');
    const list = page.getByRole('list', { name: 'Deliveries, newest first' });
    // Forwarding results are written a moment after the forward: Refresh until it is there.
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(list.getByRole('button')).toContainText(`forwarded to ${target}: 200`, {
        timeout: 1000,
      });
    }).toPass();

    const again = await inbox.openSettings();
    await again.dialog.getByRole('button', { name: `Remove ${target}` }).click();
    await expect(again.dialog.getByText(/No handlers/)).toBeVisible();
  } finally {
    await handler.stop();
  }
});
