import { expectNoViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';

/**
 * The health light and panel of a real `inlet serve` against the emulator, with an account from
 * the environment and no tunnel: the light says messages may not arrive, and the panel says which
 * check failed, which could not run, and what fixes each.
 */

test('the health light opens a panel of checks with their fixes, axe-clean', async ({
  inbox,
  page,
}) => {
  await inbox.open();
  // Without a tunnel Instagram cannot reach this Inlet: that is the owner's one sentence.
  await expect(page.getByTestId('health-light')).toHaveText('Messages may not be arriving');
  const panel = await inbox.openHealth();
  await expect(panel.getByTestId('health-check-token-accepted')).toHaveAttribute(
    'data-state',
    'ok',
  );
  const tunnel = panel.getByTestId('health-check-tunnel-up');
  await expect(tunnel).toHaveAttribute('data-state', 'failing');
  // --no-tunnel: the developer brings their own address, so Inlet offers no restart.
  await expect(tunnel.getByRole('button', { name: 'Reconnect' })).toHaveCount(0);
  await expect(panel.getByTestId('health-check-public-url-reachable')).toHaveAttribute(
    'data-state',
    'unknown',
  );
  await expectNoViolations(page, 'the health panel');
  await panel.getByRole('button', { name: 'Check now' }).click();
  await expect(panel.getByRole('button', { name: 'Check now' })).toBeEnabled();
  await expect(panel.getByTestId('health-check-token-accepted')).toHaveAttribute(
    'data-state',
    'ok',
  );
});
