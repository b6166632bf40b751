import { expect, test } from '../support/fixtures';
import { Inbox } from '../support/inbox';
import { startInletAgainstEmulator, type LiveSetup } from '../support/inlet-against-emulator';
import { START_BUDGET_MS } from '../support/processes';

/**
 * A laptop that slept through Meta's patience: while `inlet serve` is suspended, Meta's deliveries
 * fail, the emulator (strict, with its drop window shortened for the test) unsubscribes the
 * account, and the next message is never sent. On wake Inlet notices the wall clock jumped, runs
 * its wake sequence, finds the subscription gone, re-subscribes and catches up the gap.
 */

/** How often `inlet serve` compares the wall clock with its timers (INLET_WAKE_CHECK_MS). */
const WAKE_CHECK_MS = 500;
/** A sleep comfortably longer than the two late ticks that count as one. */
const SLEEP_MS = 6 * WAKE_CHECK_MS;

let live: LiveSetup;

test.beforeAll(async () => {
  test.setTimeout(START_BUDGET_MS);
  live = await startInletAgainstEmulator({ env: { INLET_WAKE_CHECK_MS: String(WAKE_CHECK_MS) } });
});
test.afterAll(() => live?.close());

test('a subscription dropped while asleep is found on wake and repaired; the gap is caught up', async ({
  page,
}) => {
  const lena = await live.customer('lena.k');
  const inbox = new Inbox(page, () => live.uiUrl);
  await inbox.open();
  await page.getByTestId('health-light').click();
  const panel = page.getByRole('dialog', { name: 'Connection health' });
  const subscription = panel.getByTestId('health-check-subscription-complete');
  // The account from the environment was subscribed at start.
  await expect(subscription).toHaveAttribute('data-state', 'ok');
  await panel.getByRole('button', { name: 'Close' }).click();

  await live.sleep(SLEEP_MS, async () => {
    // Meta's window, shortened: ten seconds of failures instead of about an hour.
    await live.emulator.configureApp({ dropSubscriptionAfterMs: 10_000 });
    await live.emulator.setFaults({ unreachableDeliveries: 2 });
    const first = await lena.sends('are you open tomorrow?');
    expect(first.delivery.error).toBe('the callback could not be reached (fault injection)');
    // Meta retries ten seconds later, fails again, and gives up on the account.
    await live.emulator.advanceClock(10_000);
    await live.emulator.flushDeliveries();
    expect((await live.emulator.subscription(live.account.igUserId)).subscribedFields).toEqual([]);
    const second = await lena.sends('hello? anyone?');
    expect(second.delivery.error).toBe('the account is not subscribed to this field');
  });

  // Woken by the wall clock, not by a check the owner asked for.
  await expect.poll(() => live.inlet.stderr()).toContain('the wall clock jumped');
  await expect
    .poll(async () => (await live.emulator.subscription(live.account.igUserId)).subscribedFields, {
      timeout: 30_000,
    })
    .toContain('messages');
  const thread = await inbox.openConversation('lena.k');
  await expect(thread.message('are you open tomorrow?')).toBeVisible({ timeout: 30_000 });
  await expect(thread.message('hello? anyone?')).toBeVisible();

  await page.getByTestId('health-light').click();
  await expect(subscription).toHaveAttribute('data-state', 'ok');
  await expect(subscription).toContainText('Inlet asked for them again');
  // Subscribed again, new messages arrive on their own.
  await panel.getByRole('button', { name: 'Close' }).click();
  await lena.sends('great, see you then');
  await expect(thread.message('great, see you then')).toBeVisible();
});
