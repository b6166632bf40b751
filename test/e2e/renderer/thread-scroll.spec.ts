import type { Locator } from '@playwright/test';
import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import type { Inbox } from '../support/inbox';
import type { Customer, LiveSetup } from '../support/inlet-against-emulator';
import { START_BUDGET_MS } from '../support/processes';

/** The customer of the pill tests, whose thread grows as they run. */
let ines: Customer;

/** More than two of the thread's pages (50 messages each), so older history loads twice. */
const HISTORY = 120;
const label = (index: number) => `Message ${String(index).padStart(3, '0')}`;

/** A customer with a long conversation from the last two hours, a minute apart. */
async function customerWithHistory(live: LiveSetup, username: string): Promise<Customer> {
  const customer = await live.customer(username);
  const { now } = await live.emulator.now();
  for (let start = 1; start <= HISTORY; start += 40) {
    const events = Array.from({ length: Math.min(40, HISTORY - start + 1) }, (_, offset) => ({
      kind: 'message' as const,
      igsid: customer.igsid,
      text: label(start + offset),
      timestamp: now - (HISTORY - (start + offset) + 1) * 60_000,
    }));
    expect((await live.emulator.sendBatch({ events })).delivery.status).toBe(200);
  }
  return customer;
}

test.beforeAll(async ({ liveFor }, testInfo) => {
  test.setTimeout(START_BUDGET_MS);
  const live = await liveFor(testInfo.file);
  ines = await customerWithHistory(live, 'ines.ceramica');
  await customerWithHistory(live, 'ines.history');
  await live.emulator.flushDeliveries();
});

/** Opens the long conversation, scrolled (as it opens) to its newest message. */
async function openThread(inbox: Inbox, username = 'ines.ceramica'): Promise<Locator> {
  await inbox.open();
  const { log } = await inbox.openConversation(username);
  await expect(log.getByTestId('message').filter({ hasText: label(HISTORY) })).toHaveCount(1);
  // The opening scroll to the newest message has landed.
  await expect.poll(() => distanceFromBottom(log)).toBeLessThanOrEqual(1);
  return log;
}

const distanceFromBottom = (log: Locator) =>
  log.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);

/** Where a message's bubble sits below the top of the log's view, or null if not rendered. */
const offsetOf = (log: Locator, text: string) =>
  log.evaluate((element, wanted) => {
    const bubble = [...element.querySelectorAll('[data-testid="message"]')].find((candidate) =>
      candidate.textContent?.includes(wanted),
    );
    return bubble === undefined
      ? null
      : bubble.getBoundingClientRect().top - element.getBoundingClientRect().top;
  }, text);

/** Scrolls the log up to well above the newest message, but not near the top of what is loaded. */
async function scrollUpABit(log: Locator): Promise<number> {
  const top = await log.evaluate((element) => {
    element.scrollTop = element.scrollHeight - 2 * element.clientHeight;
    return element.scrollTop;
  });
  expect(top).toBeGreaterThan(await log.evaluate((element) => element.clientHeight));
  // The log has re-rendered the rows of that part of the thread.
  await expect(log.getByTestId('message').first()).not.toContainText(label(HISTORY));
  return top;
}

test('scrolled up, new messages wait on a pill instead of moving the thread', async ({
  inbox,
  page,
}) => {
  const log = await openThread(inbox);
  const top = await scrollUpABit(log);
  const reading = await log.evaluate((element) => {
    const view = element.getBoundingClientRect();
    const bubble = [...element.querySelectorAll<HTMLElement>('[data-testid="message"]')].find(
      (candidate) => candidate.getBoundingClientRect().top >= view.top,
    );
    return bubble?.textContent ?? '';
  });
  const anchor = /Message \d{3}/.exec(reading)?.[0] ?? '';
  expect(anchor).not.toBe('');
  const anchorOffset = await offsetOf(log, anchor);

  await ines.sends('Is the blue vase still there?');
  const pill = page.getByRole('button', { name: /new messages?/ });
  await expect(pill).toHaveAccessibleName('1 new message');
  // A reply the owner typed on their phone counts too.
  await ines.does('echo', { text: 'Let me check the shelf' });
  await expect(pill).toHaveAccessibleName('2 new messages');
  await expect(pill).toHaveText('2 new messages ↓');
  await expect(page.locator('[aria-live="polite"]').filter({ has: pill })).toHaveCount(1);
  // The thread stayed where the owner was reading.
  expect(await log.evaluate((element) => element.scrollTop)).toBe(top);
  expect(await offsetOf(log, anchor)).toBe(anchorOffset);
  await expectNoViolations(page, 'thread with the new-messages pill');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoViolations(page, 'thread with the new-messages pill (dark)');

  await pill.click();
  await expect(pill).toHaveCount(0);
  await expect.poll(() => distanceFromBottom(log)).toBeLessThanOrEqual(1);
  await expect(log.getByText('Let me check the shelf')).toBeInViewport();
  await expect(log).toBeFocused();

  // At the bottom, the next message is simply followed.
  await ines.sends('Thanks!');
  await expect(log.getByText('Thanks!')).toBeInViewport();
  await expect(pill).toHaveCount(0);
});

test('scrolling to the bottom by hand or with End clears the pill; an own reply always shows', async ({
  inbox,
  page,
}) => {
  const log = await openThread(inbox);
  await scrollUpABit(log);
  await ines.sends('One more question');
  const pill = page.getByRole('button', { name: /new messages?/ });
  await expect(pill).toHaveAccessibleName('1 new message');
  await log.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  await expect(pill).toHaveCount(0);

  // From the keyboard: End in the thread goes to the newest message, which clears it too.
  await scrollUpABit(log);
  await ines.sends('And the green one?');
  await expect(pill).toHaveAccessibleName('1 new message');
  await log.focus();
  await page.keyboard.press('End');
  await expect(log.getByTestId('message').filter({ hasText: 'And the green one?' })).toBeFocused();
  await expect(pill).toHaveCount(0);

  await scrollUpABit(log);
  await inbox.thread().send('Yes, it is!');
  await expect(log.getByText('Yes, it is!')).toBeInViewport();
  await expect.poll(() => distanceFromBottom(log)).toBeLessThanOrEqual(1);
  await expect(pill).toHaveCount(0);
});

test('older history loads near the top without moving what the owner is reading', async ({
  inbox,
  page,
}) => {
  const log = await openThread(inbox, 'ines.history');
  // The thread opens with its newest 50 messages; the oldest of them is the one read at the top.
  const anchor = label(HISTORY - 49);
  const pageAbove = label(HISTORY - 50);
  // Every frame from before the scroll to well after the page lands: where the anchor sits in the
  // view (null while it is not rendered), and whether the page above it is there yet.
  await log.evaluate(
    (element, { anchor, pageAbove }) => {
      const samples: { offset: number | null; hasLanded: boolean }[] = [];
      Object.assign(window, { anchorSamples: samples });
      const bubbles = () => [...element.querySelectorAll('[data-testid="message"]')];
      const sample = (): void => {
        const bubble = bubbles().find((candidate) => candidate.textContent?.includes(anchor));
        samples.push({
          offset:
            bubble === undefined
              ? null
              : bubble.getBoundingClientRect().top - element.getBoundingClientRect().top,
          hasLanded: bubbles().some((candidate) => candidate.textContent?.includes(pageAbove)),
        });
        requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
      element.scrollTop = 0;
    },
    { anchor, pageAbove },
  );

  // The page above landed without a click, and the anchor stayed where it was all along.
  await expect(log.getByTestId('message').filter({ hasText: pageAbove })).toHaveCount(1);
  const readSamples = () =>
    page.evaluate(
      () =>
        (window as unknown as { anchorSamples: { offset: number | null; hasLanded: boolean }[] })
          .anchorSamples,
    );
  // Half a second of frames after the landing (however slowly a loaded machine draws them), long
  // enough for anything the landing set in motion to have moved the anchor.
  await expect
    .poll(async () => (await readSamples()).filter((sample) => sample.hasLanded).length)
    .toBeGreaterThanOrEqual(30);
  const samples = await readSamples();
  const seen = samples.filter((sample) => sample.offset !== null);
  // Seen both before and after the page landed, always at the same place.
  expect(seen.some((sample) => !sample.hasLanded)).toBe(true);
  expect(seen.filter((sample) => sample.hasLanded).length).toBeGreaterThan(10);
  // Rows above get measured the frame after they render, which may nudge it by a pixel or two
  // for that one frame (below what anyone can see as a jump); then it is exactly where it was.
  const start = seen[0]!.offset!;
  for (const { offset } of seen) expect(Math.abs(offset! - start)).toBeLessThanOrEqual(3);
  for (const { offset } of seen.slice(-10)) expect(Math.abs(offset! - start)).toBeLessThan(0.5);

  // To the top again: the rest of the history lands above (the message just above the view is
  // rendered), then at the very top is the first message, with no button above it.
  await log.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(log.getByTestId('message').filter({ hasText: label(HISTORY - 100) })).toHaveCount(1);
  await log.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(log.getByTestId('message').first()).toContainText(label(1));
  await expect(log.getByRole('heading').first()).toBeInViewport();
  await expect(log.getByRole('button', { name: /earlier messages/ })).toHaveCount(0);
});
