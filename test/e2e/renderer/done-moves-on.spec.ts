import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

test('Done (e) moves on to the next conversation; "/" without saved replies says what to do', async ({
  live,
  inbox,
  page,
}) => {
  const older = await live.customer('first.done', { name: 'First Done' });
  await older.sends('Do you have it in red?');
  const newer = await live.customer('second.done', { name: 'Second Done' });
  await newer.sends('When do you open?');
  await inbox.open();

  // The newest is on top; done with it, the owner lands on the one below.
  const thread = await inbox.openConversation('second.done');
  await thread.log.focus();
  await page.keyboard.press('e');
  await expect(inbox.conversation('second.done')).toHaveCount(0);
  await expect(inbox.conversation('first.done')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('heading', { level: 2, name: 'First Done' })).toBeVisible();
  await expect(thread.message('Do you have it in red?')).toBeVisible();

  // No saved replies yet: "/" explains where they come from; Esc puts it away.
  await thread.composer.fill('/');
  const hint = page.getByTestId('saved-reply-empty');
  await expect(hint).toContainText('No saved replies yet');
  await expectNoViolations(page, 'the saved-reply hint');
  await thread.composer.press('Escape');
  await expect(hint).toHaveCount(0);
  await expect(thread.composer).toHaveValue('/');
});
