import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../support/fixtures';
import { midOf } from '../support/inlet-against-emulator';
import { saveScreenshot } from '../support/screenshots';

/**
 * A tour of the main screens in each of the four languages, taking the screenshots the README
 * shows (docs/screenshots/tour-*.png, refreshed with UPDATE_SCREENSHOTS=1). The inbox, search and
 * shortcuts run on the sandbox; triage, the reply window, saved replies, every message kind,
 * delivery states, Settings, notifications and keyboard navigation run against the emulator, whose
 * admin API plays the customers. Selectors are language-neutral (test ids, roles) or built from
 * the catalogue; each screen is checked against the language's own catalogue, and dates and
 * numbers against `Intl` in that language (the page's clock is fixed, its time zone UTC).
 */
const LANGUAGES = ['en', 'pt-BR', 'es', 'de'] as const;

type Catalogue = {
  conversations: { title: string; unread_one: string };
  thread: { messages: string; edited: string; unsent: string };
  search: { title: string };
  shortcuts: { title: string; close: string };
  triage: {
    views: string;
    view: { open: string; endingSoon: string; snoozed: string; done: string };
    labelFilter: string;
    anyLabel: string;
    windowLeft: string;
    windowLeftMinutes: string;
    snooze: string;
    snoozeFor: { inOneHour: string };
    wakeNow: string;
    reopen: string;
  };
  customer: {
    title: string;
    newLabel: string;
    addLabel: string;
    note: string;
    saveNote: string;
    noteSaved: string;
  };
  replies: { open: string; title: string; shortcut: string; body: string; create: string };
  composer: { label: string };
  viewer: { open: string; close: string };
  attachment: { unsupported: string; openInBrowser: string; audio: string };
  story: { reply: string };
  quote: { label: string };
  reactions: { customer: string };
  delivery: { sent: string; seen: string; failed: string; retry: string };
  sendError: { recipientUnavailable: string };
  settings: { open: string; title: string; close: string; accounts: { title: string } };
  notifications: { open: string; title: string; account: string };
};
const catalogue = (language: string): Catalogue =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, `../../../renderer/src/i18n/${language}.json`), 'utf8'),
  ) as Catalogue;

/**
 * A catalogue string with its `{{name}}` / `{{name, number}}` variables filled in the way i18next
 * does for `language`, so the screen can be compared with the catalogue word for word.
 */
function fill(template: string, language: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)(\s*,\s*number)?\s*\}\}/g, (_, name: string, isNumber) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`no value for {{${name}}} in "${template}"`);
    return isNumber ? new Intl.NumberFormat(language).format(Number(value)) : String(value);
  });
}

/** The catalogue text before its first variable: what a message with a variable part starts with. */
const prefix = (template: string): string => template.split('{{')[0] ?? template;

const threadWords = (words: Catalogue) => ({
  messages: words.thread.messages,
  composer: words.composer.label,
});

for (const language of LANGUAGES) {
  test.describe(`tour in ${language}`, () => {
    test.use({ locale: language, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });

    test(`inbox, thread, search and shortcuts in ${language}`, async ({
      sandboxInbox: inbox,
      page,
    }) => {
      const words = catalogue(language);
      await page.emulateMedia({ colorScheme: 'light' });
      await inbox.open();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await expect(page.getByRole('heading', { name: words.conversations.title })).toBeVisible();

      const { log: thread, messages } = await inbox.openConversation('lena.k', threadWords(words));
      await expect(messages.first()).toBeVisible();
      await expect(page.getByTestId('reply-window').first()).toBeVisible();
      await saveScreenshot(page, `tour-${language}-inbox`);

      await page.keyboard.press('Control+k');
      await page
        .getByRole('dialog', { name: words.search.title })
        .getByRole('combobox')
        .fill('linen');
      await expect(page.getByTestId('search-hit').first()).toBeVisible();
      if (language === 'en') await saveScreenshot(page, 'tour-en-search');
      await page.getByTestId('search-hit').first().click();
      await expect(page.getByRole('dialog')).toHaveCount(0);

      await thread.focus();
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: words.shortcuts.title })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
    });
  });
}

/** Per language: its own customers (usernames must differ), first names and words. */
const PEOPLE = {
  en: { tag: 'en', first: 'Ana', hello: 'Hi' },
  'pt-BR': { tag: 'pt', first: 'Bruna', hello: 'Olá' },
  es: { tag: 'es', first: 'Carmen', hello: 'Hola' },
  de: { tag: 'de', first: 'Dora', hello: 'Hallo' },
} as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

for (const language of LANGUAGES) {
  test.describe(`triage tour in ${language}`, () => {
    test.use({ locale: language, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });

    test(`triage, reply window, saved replies, message kinds, settings and keyboard in ${language}`, async ({
      live,
      inbox,
      page,
    }) => {
      const words = catalogue(language);
      const { tag, first, hello } = PEOPLE[language];
      const { emulator, account } = live;
      // The page's clock stands still at NOW, so count-downs and snooze times are exact; every
      // message is stamped at or after NOW (or at a fixed distance before it).
      const NOW = Date.now();
      await page.clock.setFixedTime(NOW);

      // Two customers: one who wrote 23½ hours ago (30 minutes left: "ending soon"), and one who
      // sends every kind of message.
      const late = await live.customer(`late.${tag}`, { name: `Late ${tag}` });
      await late.sends({
        text: `Still open? (${tag})`,
        timestamp: NOW - 23 * HOUR - 30 * MINUTE,
      });
      const shopper = await live.customer(`shopper.${tag}`, { name: `${first} Lima` });
      const question = midOf(await shopper.sends(`Is the linen dress back? (${tag})`));
      const answer = midOf(await shopper.does('echo', { text: 'Yes, in three colours.' }));
      await shopper.does('react', { mid: answer, reaction: 'love', emoji: '❤️' });
      await shopper.sends({ attachments: [{ type: 'image' }] });
      await shopper.sends({ attachments: [{ type: 'audio' }] });
      await shopper.sends({ text: 'So pretty!', replyToStory: {} });
      await shopper.sends({ text: 'This one', replyToMid: question });
      const typo = midOf(await shopper.sends('Size M pls'));
      await shopper.does('edit', { mid: typo, text: 'Size M please', numEdit: 1 });
      const oops = midOf(await shopper.sends('wrong chat'));
      await shopper.does('unsend', { mid: oops });
      await shopper.sends({ isUnsupported: true });

      await page.emulateMedia({ colorScheme: 'light' });
      await inbox.open();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      const lateRow = inbox.conversation(`late.${tag}`);
      const shopperRow = inbox.conversation(`shopper.${tag}`);
      const views = page.getByRole('group', { name: words.triage.views });
      const view = (name: keyof Catalogue['triage']['view']) =>
        views.getByRole('button', { name: words.triage.view[name], exact: true });

      // The list shows the 24-hour window only where it is short; "ending soon" keeps that one.
      // In short on the row ("30 min left"), the whole wording for screen readers.
      const latePill = lateRow.getByTestId('reply-window');
      await expect(latePill.locator('[aria-hidden="true"]')).toHaveText(
        fill(words.triage.windowLeftMinutes, language, { minutes: 30 }),
      );
      await expect(latePill).toContainText(
        fill(words.triage.windowLeft, language, { hours: 0, minutes: 30 }),
      );
      await expect(shopperRow.getByTestId('reply-window')).toHaveCount(0);
      // How long ago, in this language's words ("23 hr. ago", "há 23 h", "vor 23 Std.").
      await expect(lateRow.locator('.conversation__time')).toHaveText(
        new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' }).format(
          -23,
          'hour',
        ),
      );
      await expect(lateRow.locator('.conversation__time')).toHaveAttribute(
        'title',
        new Intl.DateTimeFormat(language, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: 'UTC',
        }).format(NOW - 23 * HOUR - 30 * MINUTE),
      );
      await view('endingSoon').click();
      await expect(lateRow).toBeVisible();
      await expect(shopperRow).toHaveCount(0);
      if (language === 'en') await saveScreenshot(page, 'tour-en-ending-soon');
      await view('open').click();

      // Message kinds in one thread.
      const shopperThread = await inbox.openConversation(`shopper.${tag}`, threadWords(words));
      const { log: thread, composer } = shopperThread;
      const bubble = (text: string) => shopperThread.message(text);
      await expect(
        bubble('Yes, in three colours.').getByLabel(
          fill(words.reactions.customer, language, { emoji: '❤️' }),
        ),
      ).toBeVisible();
      await expect(bubble('So pretty!')).toContainText(words.story.reply);
      await expect(bubble('This one')).toContainText(`Is the linen dress back? (${tag})`);
      await expect(bubble('Size M please')).toContainText(words.thread.edited);
      await expect(thread.getByText('wrong chat')).toHaveCount(0);
      await expect(thread.getByText(words.thread.unsent, { exact: true })).toBeVisible();
      await expect(thread.getByText(words.attachment.unsupported)).toBeVisible();
      // Today's day separator, as this language says "today".
      const today = new Intl.RelativeTimeFormat(language, {
        numeric: 'auto',
        style: 'short',
      }).format(0, 'day');
      await expect(thread.locator('.day__label').last()).toHaveText(
        today.charAt(0).toLocaleUpperCase(language) + today.slice(1),
      );

      // Older in the (virtualized) thread: the voice note and the photo, which opens in a viewer
      // that Escape closes.
      await thread.evaluate((log) => log.scrollTo(0, 0));
      // A player, or (where this browser cannot decode the emulator's clip) the link to open it.
      const audioFallback = fill(words.attachment.openInBrowser, language, {
        kind: words.attachment.audio,
      });
      await expect(
        thread.locator('audio').or(thread.getByRole('link', { name: audioFallback })),
      ).toBeVisible();
      await thread.locator(`button[title="${words.viewer.open}"]`).first().click();
      const viewer = page.getByRole('dialog');
      await expect(viewer.getByRole('button', { name: words.viewer.close })).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);

      // Saved replies: one with {first_name}, inserted with "/"; the byte counter's numbers are
      // formatted for the language (1,000 / 1.000).
      await page.getByRole('button', { name: words.replies.open }).click();
      const replies = page.getByRole('dialog', { name: words.replies.title });
      await replies.getByRole('textbox', { name: words.replies.shortcut }).fill(`hello-${tag}`);
      await replies
        .getByRole('textbox', { name: words.replies.body })
        .fill(`${hello} {first_name}!`);
      await replies.getByRole('button', { name: words.replies.create }).click();
      await expect(replies.getByTestId('saved-reply')).toContainText([`/hello-${tag}`]);
      await replies.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await composer.fill(`/hello-${tag}`);
      await expect(page.getByTestId('saved-reply-option')).toHaveCount(1);
      await composer.press('Enter');
      const greeting = `${hello} ${first}!`;
      await expect(composer).toHaveValue(greeting);
      // A short reply shows no count: it appears only near Instagram's limit.
      await expect(page.locator('.composer__counter')).toBeEmpty();

      // Delivery states: sent, then seen; a refused send says why and goes out after Retry.
      await composer.press('Enter');
      const greeted = bubble(greeting);
      await expect(greeted).toHaveDeliveryStatus('sent');
      const [sent] = (await live.sent()).slice(-1);
      await shopper.does('seen', {
        mid: (sent?.response.body as { message_id: string }).message_id,
      });
      await expect(greeted).toContainText(words.delivery.seen);
      await emulator.setFaults({ sendFailures: { count: 1, code: 551, subcode: 1545041 } });
      await shopperThread.send('Shall I reserve one?');
      const refused = bubble('Shall I reserve one?');
      await expect(refused).toHaveDeliveryStatus('failed');
      // The reason in the tour's language, not the core's English.
      await expect(refused).toContainText(
        words.delivery.failed.replace('{{reason}}', words.sendError.recipientUnavailable),
      );
      await refused.scrollIntoViewIfNeeded(); // the log was scrolled up to the photo above
      await saveScreenshot(page, `tour-${language}-thread`);
      await refused.getByRole('button', { name: words.delivery.retry }).click();
      await expect(refused).toHaveDeliveryStatus('sent');

      // Triage: a label and its filter, a private note, snooze, done.
      const panel = page.getByRole('complementary', { name: words.customer.title });
      await panel.getByRole('textbox', { name: words.customer.newLabel }).fill(`vip-${tag}`);
      await panel.getByRole('button', { name: words.customer.addLabel, exact: true }).click();
      await panel.getByRole('textbox', { name: words.customer.note }).fill('Size M, navy');
      await panel.getByRole('button', { name: words.customer.saveNote }).click();
      await expect(panel.getByText(words.customer.noteSaved)).toBeVisible();
      const labelFilter = page.getByRole('group', { name: words.triage.labelFilter });
      await labelFilter.getByRole('button', { name: `vip-${tag}` }).click();
      await expect(shopperRow).toBeVisible();
      await expect(lateRow).toHaveCount(0);
      await labelFilter.getByRole('button', { name: words.triage.anyLabel }).click();
      await expect(lateRow).toBeVisible();

      await lateRow.click();
      await page.getByRole('button', { name: words.triage.snooze }).click();
      await page.getByRole('menuitem', { name: words.triage.snoozeFor.inOneHour }).click();
      await expect(lateRow).toHaveCount(0);
      await view('snoozed').click();
      const until = new Intl.DateTimeFormat(language, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'UTC',
      }).format(NOW + HOUR);
      const wake = page.getByRole('button', { name: prefix(words.triage.wakeNow).trim() });
      await expect(wake).toHaveText(fill(words.triage.wakeNow, language, { time: until }));
      await wake.click();
      await view('open').click();
      await expect(lateRow).toBeVisible();

      // Keyboard only: j / k move between conversations, e marks done.
      await shopperRow.click();
      await shopperRow.focus();
      await page.keyboard.press('j');
      await expect(shopperRow).not.toHaveAttribute('aria-current', 'true');
      await expect(page.locator('[data-testid="conversation"][aria-current="true"]')).toBeFocused();
      await page.keyboard.press('k');
      await expect(shopperRow).toHaveAttribute('aria-current', 'true');
      await expect(shopperRow).toBeFocused();
      await page.keyboard.press('r');
      await expect(composer).toBeFocused();
      await thread.focus();
      await page.keyboard.press('ArrowUp'); // into the log: the newest message, then older ones
      await expect(refused).toBeFocused();
      await page.keyboard.press('ArrowUp');
      await expect(greeted).toBeFocused();
      await expect(bubble('Size M please')).toBeVisible();
      await page.keyboard.press('u');
      await expect(shopperRow).toContainText(
        fill(words.conversations.unread_one, language, { count: 1 }),
      );
      // Marking it unread leaves the conversation; j opens the first one again, the newest: it.
      await page.keyboard.press('j');
      await expect(shopperRow).toHaveAttribute('aria-current', 'true');
      await expect(shopperRow).toBeFocused();
      await page.keyboard.press('e');
      await expect(shopperRow).toHaveCount(0);
      await view('done').click();
      await expect(shopperRow).toBeVisible();
      await view('open').click();

      // Settings, and notifications muted and unmuted for the account.
      await page.getByRole('button', { name: words.settings.open }).click();
      const settings = page.getByRole('dialog', { name: words.settings.title });
      await expect(
        settings.getByRole('heading', { name: words.settings.accounts.title }),
      ).toBeVisible();
      if (language === 'en') await saveScreenshot(page, 'tour-en-settings');
      await settings.getByRole('button', { name: words.settings.close }).first().click();
      await expect(page.getByRole('dialog')).toHaveCount(0);

      await page.getByRole('button', { name: words.notifications.open }).click();
      const notifications = page.getByRole('dialog', { name: words.notifications.title });
      const toggle = notifications.getByRole('checkbox', {
        name: fill(words.notifications.account, language, { username: account.username }),
      });
      await expect(toggle).toBeChecked();
      await toggle.click(); // controlled: it changes once Inlet has saved the choice
      await expect(toggle).not.toBeChecked();
      if (language === 'en') await saveScreenshot(page, 'tour-en-notifications');
      await toggle.click();
      await expect(toggle).toBeChecked();
      await notifications.getByRole('button', { name: words.shortcuts.close }).click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await emulator.setFaults({});
    });
  });
}

test.describe('dark theme in a narrow window', () => {
  test.use({ locale: 'en', viewport: { width: 700, height: 640 } });

  test('follows the OS dark theme and shows one pane at a time, the thread with most of the height', async ({
    sandboxInbox: inbox,
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await inbox.open();
    const { messages, log } = await inbox.openConversation('lena.k');
    await expect(messages.first()).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [red = 255, green = 255, blue = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(red + green + blue, `body background ${background} is dark`).toBeLessThan(3 * 80);
    // One pane: the thread replaces the list, and its messages keep most of the height; the
    // customer panel waits in a drawer that does not cover the composer until asked for.
    await expect(inbox.conversation('lena.k')).toBeHidden();
    const logBox = await log.boundingBox();
    expect(logBox?.height ?? 0).toBeGreaterThan(640 * 0.4);
    const panel = page.getByRole('complementary', { name: 'Customer', exact: true });
    await expect(panel).toBeHidden();
    await page.getByRole('button', { name: 'Customer details' }).click();
    await expect(panel).toBeVisible();
    await panel.getByRole('textbox', { name: 'New label' }).press('Escape');
    await expect(panel).toBeHidden();
    // Nothing spills sideways: the page does not scroll horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      700,
    );
    await saveScreenshot(page, 'tour-en-dark-narrow');
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await expect(inbox.conversation('lena.k')).toBeVisible();
    await expect(log).toBeHidden();
  });
});
