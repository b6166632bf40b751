import { expect, it } from 'vitest';
import { sandboxCorePerTest } from '../sandbox-core';

const sandbox = sandboxCorePerTest('inlet-health-core-');

/** The checks run against the embedded emulator through the real Graph client and listener. */
it('runs every check against the sandbox and reports each by id, and health:changed hears of it', async () => {
  const heard: string[] = [];
  sandbox.core.events.on('health:changed', (report) => heard.push(report.overall));
  const report = await sandbox.core.handlers['health:runNow']();
  const states = Object.fromEntries(
    report.checks.map((check) => [`${check.id}${check.account ? '@account' : ''}`, check.state]),
  );
  expect(states).toEqual({
    'tunnel-up': 'ok',
    'public-url-reachable': 'ok',
    // The emulator verifies the callback when Inlet attaches, as Meta does on "Verify and save".
    'callback-verified': 'ok',
    'signatures-accepted': 'ok',
    'clock-sane': 'ok',
    'token-accepted@account': 'ok',
    // The sandbox shop's token comes from the emulator's dashboard, which says what it grants.
    'permissions-granted@account': 'ok',
    'subscription-complete@account': 'ok',
    'deliveries-arriving@account': 'ok',
  });
  // An owner exploring the sandbox sees a green light, not "checking" for ever.
  expect(report.overall).toBe('ok');
  expect(heard.length).toBeGreaterThan(0);
  expect(await sandbox.core.handlers['health:get']()).toEqual(report);
  const account = report.checks.find((check) => check.account !== null)?.account ?? null;
  const fixed = await sandbox.core.handlers['health:fix']({ repair: 'resubscribe', account });
  expect(fixed.checks.find((c) => c.id === 'subscription-complete')?.state).toBe('ok');
  await expect(
    sandbox.core.handlers['health:fix']({ repair: 'restart-tunnel', account: null }),
  ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
});
