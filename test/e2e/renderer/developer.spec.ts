import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

/**
 * The Developer section (issue #18): a customer's message reaches Inlet as a signed webhook; the
 * owner switches Developer on, opens the delivery behind the bubble, replays it (nothing changes:
 * the message is already stored) and replays an edited copy (which creates the edited message).
 */
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

  await bubble.hover();
  await bubble.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'View webhook' }).click();
  const detail = page.getByRole('region', { name: /^Delivery \d+$/ });
  await expect(detail).toContainText('signature valid');
  await expect(detail).toContainText('understood');
  await expect(detail.getByLabel('Exactly as received')).toContainText('Is the shirt in stock?');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoViolations(page, `the Deliveries view (${colorScheme})`);
  }

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
