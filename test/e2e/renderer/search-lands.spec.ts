import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

test('a search result opens its message in view, highlighted; names and typos are found', async ({
  live,
  inbox,
  page,
}) => {
  const tom = await live.customer('tom.baker', { name: 'Tom Baker' });
  await tom.sends('Do you ship to Canada?');
  for (let index = 1; index <= 40; index += 1) {
    await tom.sends(`filler message ${index}`);
  }
  const ana = await live.customer('ana.s', { name: 'Ana Souza' });
  await ana.sends('Is the linen shirt back in stock?');
  await inbox.open();
  const thread = inbox.thread();
  const target = thread.message('Do you ship to Canada?');
  const search = page.getByRole('combobox', { name: 'Search all messages' });

  // A misspelt word finds its near match, marked, under its conversation.
  await page.keyboard.press('Control+k');
  await search.fill('canda');
  const hit = page.getByRole('group', { name: 'Tom Baker' }).getByTestId('search-hit');
  await expect(hit).toHaveCount(1);
  await expect(hit.locator('mark')).toHaveText(['Canada']);
  await expectNoViolations(page, 'search results grouped by conversation');

  // Opened before its thread ever loaded: it lands in view, focused, highlighted for a moment,
  // and the opening scroll to the newest message does not pull it away.
  await search.press('Enter');
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport({ ratio: 1 });
  await expect(target).toHaveAttribute('data-highlighted', 'true');
  await expect(target).not.toHaveAttribute('data-highlighted', 'true', { timeout: 5_000 });
  await expect(target).toBeInViewport({ ratio: 1 });
  await expect(thread.message('filler message 40')).not.toBeInViewport();

  // Again from another conversation, Tom's thread loaded by now.
  await inbox.openConversation('ana.s');
  await page.keyboard.press('Control+k');
  await search.fill('canda');
  await search.press('Enter');
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport({ ratio: 1 });

  // A name finds the customer's conversation.
  await inbox.openConversation('ana.s');
  await page.keyboard.press('Control+k');
  await search.fill('tom');
  const customer = page.getByTestId('search-customer');
  await expect(customer).toHaveCount(1);
  await expect(customer).toContainText('Tom Baker @tom.baker');
  await expect(customer.locator('mark')).toHaveText(['Tom', 'tom']);
  await search.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Search messages' })).toHaveCount(0);
  await expect(inbox.conversation('tom.baker')).toHaveAttribute('aria-current', 'true');
  await expect(thread.message('filler message 40')).toBeInViewport();

  // Input that is not a word, or far too long, gives an empty list, never an error.
  for (const query of ['"NEAR(', '👟', '你好', 'x'.repeat(500)]) {
    await page.keyboard.press('Control+k');
    await search.fill(query);
    const dialog = page.getByRole('dialog', { name: 'Search messages' });
    await expect(dialog.getByRole('status')).toHaveText('No matches');
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    await search.press('Escape');
  }
});
