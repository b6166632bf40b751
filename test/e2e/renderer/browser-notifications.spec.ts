import { expect, test } from '../support/fixtures';

type Shown = { title: string; body: string | undefined };

test('the browser UI raises desktop notifications and shows the unread count in the tab', async ({
  live,
  inbox,
  page,
  context,
}) => {
  await context.grantPermissions(['notifications']);
  // The real Notification API, recorded: what the page shows is what the owner would see.
  await page.addInitScript(() => {
    const shown: Shown[] = [];
    Object.assign(window, { shownNotifications: shown });
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body });
      }
    };
  });
  const shown = () =>
    page.evaluate(() => (window as unknown as { shownNotifications: Shown[] }).shownNotifications);

  const nina = await live.customer('nina.notify', { name: 'Nina' });
  await nina.sends('Is the blue bowl still there?');
  await inbox.open();
  await expect(page).toHaveTitle('(1) Inlet');
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon-unread.svg');

  // Nina's conversation is on screen: her next message raises nothing; Omar's does.
  await inbox.openConversation('nina.notify');
  await expect(page).toHaveTitle('Inlet');
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon.svg');
  await nina.sends('Or the green one?');
  const omar = await live.customer('omar.notify', { name: 'Omar' });
  await omar.sends('Hello, do you do gift wrapping?');
  await expect(page).toHaveTitle('(1) Inlet');
  // Titled with who wrote (a new customer's name may not be known yet); only Omar's message.
  await expect
    .poll(async () => (await shown()).map((notification) => notification.body))
    .toEqual(['Hello, do you do gift wrapping?']);
});
