import { expect, type Locator, type Page, type Response } from '@playwright/test';

/** The accessible names the thread is found by; the tour passes each language's own. */
export type ThreadWords = { messages: string; composer: string };
const ENGLISH: ThreadWords = { messages: 'Messages', composer: 'Message' };

/**
 * Waits until Inlet's UI in `page` (a browser tab on `inlet serve`, or the desktop app's window)
 * shows its first data.
 */
export async function expectReady(page: Page): Promise<void> {
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
}

/** Inlet's UI in a page, as the owner sees it: the conversation list and what it opens. */
export class Inbox {
  constructor(
    readonly page: Page,
    /** Read at each `open`, since a restarted `inlet serve` listens on a new port. */
    private readonly url: () => string,
  ) {}

  /**
   * Loads the UI and waits until it shows its first data. Resolves with the page's response, whose
   * headers carry the page policy.
   */
  async open(): Promise<Response | null> {
    const response = await this.page.goto(this.url());
    await expectReady(this.page);
    return response;
  }

  /** Reloads the UI as the owner would (F5) and waits until it shows its data again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await expectReady(this.page);
  }

  /** Every row of the conversation list. */
  get conversations(): Locator {
    return this.page.getByTestId('conversation');
  }

  /** The conversation's row in the list. */
  conversation(customer: string): Locator {
    return this.conversations.filter({ hasText: customer });
  }

  /** Clicks the conversation's row; its thread is then the open one. */
  async openConversation(customer: string, words: ThreadWords = ENGLISH): Promise<Thread> {
    await this.conversation(customer).click();
    return this.thread(words);
  }

  /** The open conversation's thread. */
  thread(words: ThreadWords = ENGLISH): Thread {
    return new Thread(this.page, words);
  }

  async openComments(): Promise<void> {
    await this.page.getByRole('button', { name: 'Comments' }).click();
  }

  /** Clicks the health light; resolves with the panel of checks it opens. */
  async openHealth(): Promise<Locator> {
    await this.page.getByTestId('health-light').click();
    return this.page.getByRole('dialog', { name: 'Connection health' });
  }

  async openSettings(): Promise<SettingsDialog> {
    await this.page
      .getByTestId('rail')
      .getByRole('button', { name: /Settings/ })
      .click();
    return new SettingsDialog(this.page.getByRole('dialog', { name: 'Settings' }));
  }
}

/** The open conversation: its message log and the composer under it. */
export class Thread {
  readonly log: Locator;
  readonly messages: Locator;
  readonly composer: Locator;

  constructor(page: Page, words: ThreadWords = ENGLISH) {
    this.log = page.getByRole('log', { name: words.messages });
    this.messages = this.log.getByTestId('message');
    this.composer = page.getByRole('textbox', { name: words.composer });
  }

  /** The bubble of the message whose text contains `text`. */
  message(text: string): Locator {
    return this.messages.filter({ hasText: text });
  }

  /** Types `text` into the composer and sends it with Enter. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }
}

/** Settings, where the owner connects Instagram accounts. */
export class SettingsDialog {
  constructor(readonly dialog: Locator) {}

  /** The row of a connected (or once connected) account. */
  account(username: string): Locator {
    return this.dialog.getByTestId('account').filter({ hasText: `@${username}` });
  }

  /** The redirect URI Settings tells the developer to enter in Meta's dashboard. */
  async redirectUri(): Promise<string> {
    return (await this.dialog.getByTestId('redirect-uri').textContent()) ?? '';
  }

  /**
   * Opens the Instagram login from Settings (after "Connect an account" or "Log in again") and
   * lets `username` in on the consent page. Resolves with the consent window, once it says
   * Connected; the caller closes it.
   */
  async allowOnInstagram(username: string): Promise<Page> {
    const popupOpened = this.dialog.page().waitForEvent('popup');
    await this.dialog.getByRole('link', { name: 'Open the Instagram login' }).click();
    const consent = await popupOpened;
    await expect(consent.getByRole('heading', { level: 1 })).toContainText('wants to access');
    await consent.getByLabel(`@${username}`).check();
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect(consent.getByRole('heading', { name: 'Connected' })).toBeVisible();
    return consent;
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).click();
  }
}
