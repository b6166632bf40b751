import type { Page } from '@playwright/test';
import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import type { Inbox } from '../support/inbox';

/**
 * The owner's main screen (issue "owner-grade design", parts 1–3): the inbox without the plumbing,
 * a thread whose per-message actions wait for hover or focus, and a compact triage header whose
 * Snooze offers a localized date picker instead of a native date-time field.
 */

/** What the inbox shows with a conversation open, outside dialogs and the reply box. */
async function mainScreenText(page: Page): Promise<string> {
  const parts = page.locator('.rail, .conversation-list, .thread__header, .message-log');
  await expect(parts).toHaveCount(4);
  return (await parts.allInnerTexts()).join('\n');
}

test('live: the plumbing lives in Settings → Connection, not on the main screen', async ({
  customerWrites,
  inbox,
  page,
}) => {
  await customerWrites('plumb.ing', 'Is the blue mug back?');
  const settings = await inbox.openSettings();
  const connection = settings.dialog.getByTestId('connection-details');
  const webhookUrl = (await connection.locator('code').first().textContent()) ?? '';
  expect(webhookUrl).toMatch(/^https?:\/\/.+\/webhook/);
  await expect(connection).toContainText('Tunnel');
  await expect(connection.getByRole('button', { name: 'Copy webhook URL' })).toBeVisible();
  await settings.close();

  await expect(page.getByTestId('rail').getByTestId('health-light')).toBeVisible();
  const text = await mainScreenText(page);
  for (const plumbing of [webhookUrl, '/webhook', 'Verify token', 'Tunnel', 'Graph', 'ngrok']) {
    expect(text).not.toContain(plumbing);
  }
  await expect(page.getByRole('button', { name: /Copy (webhook URL|verify token)/ })).toHaveCount(
    0,
  );
});

test('sandbox: no webhook address or tunnel on the main screen', async ({
  sandboxInbox: inbox,
  page,
}) => {
  await inbox.open();
  const { messages } = await inbox.openConversation('lena.k');
  await expect(messages.first()).toBeVisible();
  const text = await mainScreenText(page);
  for (const plumbing of ['/webhook', '127.0.0.1', 'Tunnel', 'Verify token', 'Graph']) {
    expect(text).not.toContain(plumbing);
  }
});

async function openLena(inbox: Inbox) {
  const thread = await inbox.openConversation('lena.k');
  const bubble = thread.message('linen shirt in size M');
  await expect(bubble).toBeVisible();
  return { thread, bubble, actions: bubble.getByRole('group', { name: 'Message actions' }) };
}

test('per-message actions appear on hover and focus, and work from the keyboard', async ({
  sandboxInbox: inbox,
  page,
}) => {
  await inbox.open();
  const { thread, bubble, actions } = await openLena(inbox);
  // Away from the bubble: nothing but the conversation.
  await page.mouse.move(0, 0);
  await expect(actions).toBeHidden();
  for (const button of await thread.log.getByRole('button', { name: 'Reply' }).all()) {
    await expect(button).toBeHidden();
  }

  // Hover: react, reply, copy and more float beside the bubble; leaving hides them again.
  await bubble.hover();
  await expect(actions).toBeVisible();
  await expect(actions.getByRole('button', { name: 'React ❤️' })).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Reply' })).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Copy text' })).toBeVisible();
  await expect(actions.getByRole('button', { name: 'More' })).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(actions).toBeHidden();

  // Keyboard: ↑ from the log lands on a message; its actions show and Tab reaches them.
  await thread.log.focus();
  const focused = thread.messages.and(page.locator(':focus'));
  while (!(await bubble.evaluate((element) => element === document.activeElement))) {
    await page.keyboard.press('ArrowUp');
    await expect(focused).toHaveCount(1);
  }
  await expect(actions).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(actions.getByRole('button', { name: 'React ❤️' })).toBeFocused();
  await expectNoViolations(page, 'a message with its actions shown by focus');

  // `.` on the focused message opens its menu; ↓ and Enter choose Reply.
  await bubble.focus();
  await page.keyboard.press('.');
  const menu = page.getByRole('menu', { name: 'More' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem')).toHaveText(['React ❤️', 'Reply', 'Copy text']);
  await expectNoViolations(page, 'the message menu');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(thread.composer).toBeFocused();
  await expect(page.getByText('Replying to “Hi! Do you still have the linen shirt')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel reply' }).click();

  // `r` on a focused message quotes it too.
  await bubble.focus();
  await page.keyboard.press('r');
  await expect(thread.composer).toBeFocused();
  await expect(page.getByText('Replying to “Hi! Do you still have the linen shirt')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel reply' }).click();

  // A right-click opens the same menu.
  await bubble.click({ button: 'right' });
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
});

// Snoozing changes the conversation: a customer of its own, not the shared sandbox's.
test('Snooze: a menu of times and a localized date picker, no native date-time field', async ({
  customerWrites,
  inbox,
  page,
}) => {
  await customerWrites('snooze.me', 'Can I pick it up on Friday?');
  const header = page.locator('.thread__header');
  await expect(header.locator('input[type="datetime-local"], input[type="date"]')).toHaveCount(0);
  await expect(header.getByRole('button', { name: 'Done' })).toBeVisible();

  await header.getByRole('button', { name: 'Snooze…' }).click();
  const menu = page.getByRole('menu', { name: 'Snooze…' });
  await expect(menu.getByRole('menuitem')).toHaveText([
    'For 1 hour',
    'For 3 hours',
    'Until tomorrow, 9:00',
    'Until Monday, 9:00',
    'Pick a date…',
  ]);
  await expectNoViolations(page, 'the snooze menu');
  await menu.getByRole('menuitem', { name: 'Pick a date…' }).click();

  const picker = page.getByRole('dialog', { name: 'Snooze until a day and time' });
  await expect(picker).toBeVisible();
  await expect(page.locator('input[type="datetime-local"], input[type="date"]')).toHaveCount(0);
  // Tomorrow is chosen and focused; → moves to the day after, Enter picks it; 9:00 stays.
  const calendar = picker.getByRole('application');
  await expect(calendar).toBeVisible();
  const inTwoDays = await page.evaluate(() => {
    const date = new Date();
    date.setDate(date.getDate() + 2);
    date.setHours(9, 0, 0, 0);
    return date.getTime();
  });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(picker.getByRole('group', { name: 'Time' })).toContainText('9');
  await expectNoViolations(page, 'the snooze date picker');
  await picker.getByRole('button', { name: 'Snooze until' }).click();
  await expect(picker).toBeHidden();

  const expected = await page.evaluate(
    (at) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(at),
    inTwoDays,
  );
  await expect(header.getByRole('button', { name: /^Snoozed until/ })).toHaveText(
    `Snoozed until ${expected}. Wake now`,
  );
  await expect(inbox.conversation('snooze.me')).toHaveCount(0);

  // "More": Mark unread and Labels, which opens the customer's labels.
  await header.getByRole('button', { name: 'More actions' }).click();
  const more = page.getByRole('menu', { name: 'More actions' });
  await expect(more.getByRole('menuitem')).toHaveText(['Mark unread', 'Labels…']);
  await more.getByRole('menuitem', { name: 'Labels…' }).click();
  await expect(page.getByRole('textbox', { name: 'New label' })).toBeFocused();
});

test.describe('German', () => {
  test.use({ locale: 'de' });

  test('the date picker speaks German', async ({ sandboxInbox: inbox, page }) => {
    await inbox.open();
    await inbox.openConversation('lena.k', { messages: 'Nachrichten', composer: 'Nachricht' });
    await page.getByRole('button', { name: 'Zurückstellen…' }).click();
    await page.getByRole('menuitem', { name: 'Datum wählen…' }).click();
    const picker = page.getByRole('dialog', {
      name: 'Bis zu einem Tag und einer Uhrzeit zurückstellen',
    });
    const month = await page.evaluate(() => {
      const date = new Date();
      date.setDate(date.getDate() + 1);
      return new Intl.DateTimeFormat('de', { month: 'long' }).format(date);
    });
    await expect(picker.getByRole('heading')).toContainText(month);
    await expect(picker.getByRole('button', { name: 'Nächster Monat' })).toBeVisible();
    await expect(picker.getByRole('group', { name: 'Uhrzeit' })).toBeVisible();
  });
});

test.describe('a window 800 × 700', () => {
  test.use({ viewport: { width: 800, height: 700 } });

  test('the messages keep most of the height; the customer panel is a drawer', async ({
    sandboxInbox: inbox,
    page,
  }) => {
    await inbox.open();
    const { thread } = await openLena(inbox);
    const log = await thread.log.boundingBox();
    const composer = await page.locator('.composer').boundingBox();
    const header = await page.locator('.thread__header').boundingBox();
    const threadHeight = (log?.height ?? 0) + (composer?.height ?? 0) + (header?.height ?? 0);
    // More of the thread's height goes to messages than to its header and composer together.
    expect(log?.height ?? 0).toBeGreaterThan(threadHeight / 2);
    await expect(inbox.conversation('lena.k')).toBeVisible();
    const panel = page.getByRole('complementary', { name: 'Customer', exact: true });
    await expect(panel).toBeHidden();
    await page.getByRole('button', { name: 'Customer details' }).click();
    await expect(panel).toBeVisible();
    await expectNoViolations(page, 'the customer drawer at 800 × 700');
  });
});
