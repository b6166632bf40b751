import { describe, expect, it } from 'vitest';
import type { HealthCheck, HealthReport } from '../../../../../shared/ipc/health-contract';
import {
  findingsOf,
  resumeStep,
  setupProgress,
  SETUP_STEPS,
  type SetupFacts,
  type SetupStepId,
  type StepState,
} from '../../../../../renderer/src/features/setup/setup-steps';
import { makeAccount, makeSettings, makeStatus, SHOP } from '../../fixtures';

function check(id: HealthCheck['id'], state: HealthCheck['state'], account: string | null) {
  return {
    id,
    account,
    state,
    ranAt: 0,
    reason: { text: id, detail: { key: 'health.reason.checkFailed', vars: null } },
    fix: null,
    technical: null,
  } satisfies HealthCheck;
}

const NOTHING: HealthReport = { overall: 'unknown', checks: [] };

/** A fresh installation: the sandbox, no app, nothing checked. */
const FRESH: SetupFacts = {
  status: makeStatus({ mode: 'sandbox', accounts: [] }),
  settings: makeSettings({ appId: null, hasAppSecret: false, redirectUri: null }),
  health: NOTHING,
  accountsWithCustomerMessage: [],
};

const open = (progress: Record<SetupStepId, StepState>) =>
  SETUP_STEPS.filter((step) => progress[step] === 'open');

describe('setupProgress', () => {
  it('has nothing done on a fresh installation, whatever the sandbox shows', () => {
    // The sandbox has its own simulated shop and conversations: they prove nothing.
    const progress = setupProgress({
      ...FRESH,
      status: makeStatus({ mode: 'sandbox', accounts: [makeAccount()] }),
      accountsWithCustomerMessage: [makeAccount().igUserId],
      health: { overall: 'ok', checks: [check('loop-proven', 'ok', SHOP)] },
    });
    expect(open(progress)).toEqual([...SETUP_STEPS]);
  });

  it('ticks the credentials, and the dashboard steps they came from, once Inlet runs live', () => {
    const progress = setupProgress({
      ...FRESH,
      status: makeStatus({ mode: 'live', accounts: [] }),
      settings: makeSettings(),
    });
    expect(progress.credentials).toBe('checked');
    expect(progress['create-app']).toBe('shown');
    expect(progress['instagram-login']).toBe('shown');
    expect(open(progress)[0]).toBe('tester-role');
  });

  it('ticks each later step from its own evidence in the health report and the archive', () => {
    const facts: SetupFacts = {
      status: makeStatus({ mode: 'live', accounts: [makeAccount({ igUserId: SHOP })] }),
      settings: makeSettings(),
      health: {
        overall: 'ok',
        checks: [
          check('token-accepted', 'ok', SHOP),
          check('callback-verified', 'ok', null),
          check('subscription-complete', 'ok', SHOP),
        ],
      },
      accountsWithCustomerMessage: [],
    };
    const connected = setupProgress(facts);
    expect(connected).toMatchObject({
      'tester-role': 'shown',
      'redirect-uri': 'shown',
      webhook: 'checked',
      connect: 'checked',
      subscription: 'checked',
    });
    expect(open(connected)).toEqual(['fields', 'publish', 'test-message', 'first-delivery']);

    const proven = setupProgress({
      ...facts,
      health: {
        ...facts.health,
        checks: [...facts.health.checks, check('loop-proven', 'ok', SHOP)],
      },
    });
    // Meta delivered the echo: the fields are subscribed and the app is published.
    expect(open(proven)).toEqual(['first-delivery']);
    expect(open(setupProgress({ ...facts, accountsWithCustomerMessage: [SHOP] }))).toEqual([
      'test-message',
    ]);
    // The sandbox's conversations, still in the inbox after the switch, prove nothing.
    expect(
      setupProgress({ ...facts, accountsWithCustomerMessage: ['17841400000000999'] })[
        'first-delivery'
      ],
    ).toBe('open');
  });

  it('leaves a step open while its check fails, and when only some accounts pass it', () => {
    const cafe = '17841400000000777';
    const progress = setupProgress({
      status: makeStatus({
        mode: 'live',
        accounts: [makeAccount({ igUserId: SHOP }), makeAccount({ igUserId: cafe })],
      }),
      settings: makeSettings(),
      health: {
        overall: 'failing',
        checks: [
          check('callback-verified', 'warning', null),
          check('subscription-complete', 'ok', SHOP),
          check('subscription-complete', 'failing', cafe),
        ],
      },
      accountsWithCustomerMessage: [],
    });
    expect(progress.webhook).toBe('open');
    expect(progress.subscription).toBe('open');
  });

  it('does not count an account that must log in again, nor one from the environment as a login', () => {
    const progress = setupProgress({
      ...FRESH,
      status: makeStatus({
        mode: 'live',
        accounts: [
          makeAccount({ state: 'reconnect-needed' }),
          makeAccount({ igUserId: SHOP, source: 'configured', state: 'reconnect-needed' }),
        ],
      }),
      settings: makeSettings(),
    });
    expect(progress.connect).toBe('open');
    expect(progress['redirect-uri']).toBe('open');
  });
});

describe('findingsOf', () => {
  it('gives the step its own check for the connected accounts, live only', () => {
    const status = makeStatus({ mode: 'live', accounts: [makeAccount({ igUserId: SHOP })] });
    const health: HealthReport = {
      overall: 'failing',
      checks: [
        check('loop-proven', 'failing', SHOP),
        check('loop-proven', 'ok', 'someone-gone'),
        check('tunnel-up', 'failing', null),
      ],
    };
    expect(findingsOf('test-message', health, status).map((c) => c.account)).toEqual([SHOP]);
    expect(findingsOf('publish', health, status)).toEqual([]);
    expect(findingsOf('test-message', health, makeStatus({ mode: 'sandbox' }))).toEqual([]);
  });
});

describe('resumeStep', () => {
  const progress = setupProgress({
    ...FRESH,
    status: makeStatus({ mode: 'live', accounts: [] }),
    settings: makeSettings(),
  });

  it('opens at the first step not done, without a bookmark', () => {
    expect(resumeStep(setupProgress(FRESH), null)).toBe('create-app');
    expect(resumeStep(progress, null)).toBe('tester-role');
  });

  it('opens where the owner left off, or past it once Inlet has seen that step done', () => {
    expect(resumeStep(progress, 'webhook')).toBe('webhook');
    expect(resumeStep(progress, 'credentials')).toBe('tester-role');
  });

  it('opens at the last step when everything is done', () => {
    const done = Object.fromEntries(SETUP_STEPS.map((step) => [step, 'checked'])) as Record<
      SetupStepId,
      StepState
    >;
    expect(resumeStep(done, 'webhook')).toBe('first-delivery');
  });
});
