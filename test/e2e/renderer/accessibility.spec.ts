import type { Page } from '@playwright/test';
import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import type { Inbox } from '../support/inbox';

/**
 * Each view and state of the sandbox inbox, scanned on its own: a violation names its view, and
 * one slow scan cannot use up the time of the others.
 */

/** The thread every state but the bare inbox is reached from, as the owner would. */
async function openThread(inbox: Inbox) {
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.messages.first()).toBeVisible();
  return thread;
}

const VIEWS: { name: string; reach: (inbox: Inbox, page: Page) => Promise<unknown> }[] = [
  {
    name: 'inbox',
    reach: async (inbox) => {
      await expect(inbox.conversations.first()).toBeVisible();
    },
  },
  { name: 'thread', reach: openThread },
  {
    name: 'search',
    reach: async (inbox, page) => {
      await openThread(inbox);
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox', { name: 'Search all messages' }).fill('linen');
      await expect(page.getByTestId('search-hit').first()).toBeVisible();
    },
  },
  {
    name: 'shortcut sheet',
    reach: async (inbox, page) => {
      const thread = await openThread(inbox);
      await thread.log.focus();
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    },
  },
  {
    name: 'saved replies',
    reach: async (inbox, page) => {
      await openThread(inbox);
      await page.getByRole('button', { name: 'Saved replies' }).click();
      await expect(page.getByRole('dialog', { name: 'Saved replies' })).toBeVisible();
    },
  },
  {
    name: 'notification settings',
    reach: async (inbox, page) => {
      await openThread(inbox);
      await page.getByRole('button', { name: 'Notifications' }).click();
      await expect(page.getByRole('dialog', { name: 'Notifications' })).toBeVisible();
    },
  },
  {
    name: 'snooze menu',
    reach: async (inbox, page) => {
      await openThread(inbox);
      await page.getByRole('button', { name: 'Snooze…' }).click();
      await expect(page.getByRole('menuitem', { name: 'Pick a date…' })).toBeVisible();
    },
  },
  {
    name: 'snooze date picker',
    reach: async (inbox, page) => {
      await openThread(inbox);
      await page.getByRole('button', { name: 'Snooze…' }).click();
      await page.getByRole('menuitem', { name: 'Pick a date…' }).click();
      await expect(page.getByRole('dialog', { name: 'Snooze until a day and time' })).toBeVisible();
    },
  },
  {
    // A message's actions shown by the pointer, its menu open.
    name: 'message actions',
    reach: async (inbox, page) => {
      const thread = await openThread(inbox);
      const bubble = thread.messages.first();
      await bubble.hover();
      await bubble.getByRole('button', { name: 'More' }).click();
      await expect(page.getByRole('menu', { name: 'More' })).toBeVisible();
    },
  },
  {
    // Your Meta app (the secrets, Instagram's and the Meta app's, and the tunnel settings) and the
    // connection details moved off the main screen.
    name: 'settings',
    reach: async (inbox) => {
      await openThread(inbox);
      const { dialog } = await inbox.openSettings();
      await expect(dialog.getByLabel('Meta app secret (optional)')).toBeVisible();
      await expect(dialog.getByTestId('connection-details')).toBeVisible();
    },
  },
  {
    // The rail with one of its tooltips showing (React Aria shows them once the pointer is used).
    name: 'rail tooltip',
    reach: async (inbox, page) => {
      await openThread(inbox);
      const rail = page.getByRole('navigation', { name: 'Inbox navigation' });
      await rail.getByRole('button', { name: 'Snoozed' }).hover();
      await expect(page.getByRole('tooltip', { name: 'Snoozed' })).toBeVisible();
    },
  },
  {
    // The sandbox seeds two comments; one with its private-reply composer open.
    name: 'comments view',
    reach: async (inbox, page) => {
      await openThread(inbox);
      await inbox.openComments();
      await page.getByRole('article', { name: '@noor.designs' }).getByRole('button').click();
      await expect(
        page.getByRole('textbox', { name: 'Private reply to @noor.designs' }),
      ).toBeFocused();
    },
  },
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    for (const view of VIEWS) {
      test(`axe finds no violations on the ${view.name} (${colorScheme})`, async ({
        sandboxInbox: inbox,
        page,
      }) => {
        await inbox.open();
        await view.reach(inbox, page);
        await expectNoViolations(page, `the ${view.name} (${colorScheme})`);
      });
    }
  });
}
