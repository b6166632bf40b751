import type { AppStatus } from '../../../../shared/domain/schemas';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type {
  HealthCheck,
  HealthCheckId,
  HealthReport,
} from '../../../../shared/ipc/health-contract';

/**
 * The first connection, in the order it can be done. Entering the app id and secret comes right
 * after the dashboard shows them: only then does Inlet run against the owner's app and have the
 * real redirect URI, callback URL and verify token to paste into the dashboard.
 */
export const SETUP_STEPS = [
  'create-app',
  'instagram-login',
  'credentials',
  'tester-role',
  'redirect-uri',
  'webhook',
  'fields',
  'publish',
  'connect',
  'subscription',
  'test-message',
  'first-delivery',
] as const;
export type SetupStepId = (typeof SETUP_STEPS)[number];

/**
 * `checked`: Inlet saw it done. `shown`: a later check could not have passed without it (a login
 * that worked proves the redirect URI). `open`: nothing Inlet can see says it is done yet.
 */
export type StepState = 'checked' | 'shown' | 'open';

export type SetupFacts = {
  status: AppStatus | null;
  settings: Settings | null;
  health: HealthReport;
  /**
   * The accounts with a customer's message in the inbox. The store may still hold the sandbox's
   * conversations after a switch, so only those of a connected account count.
   */
  accountsWithCustomerMessage: readonly string[];
};

/** The health check that speaks for a step, when one does; the assistant shows what it found. */
export const STEP_CHECK: Partial<Record<SetupStepId, HealthCheckId>> = {
  'tester-role': 'token-accepted',
  webhook: 'callback-verified',
  subscription: 'subscription-complete',
  'test-message': 'loop-proven',
};

function checksOf(health: HealthReport, id: HealthCheckId, accounts: readonly string[]) {
  return health.checks.filter(
    (check) => check.id === id && (check.account === null || accounts.includes(check.account)),
  );
}

/**
 * What Inlet knows of each step, from what it checks anyway (the status, the settings, the health
 * report and the archive), so nothing is stored: closing the assistant or restarting Inlet loses
 * no progress.
 */
export function setupProgress(facts: SetupFacts): Record<SetupStepId, StepState> {
  const { status, settings, health } = facts;
  const isLive = status?.mode === 'live';
  const connected = (status?.accounts ?? [])
    .filter((account) => account.state === 'connected')
    .map((account) => account.igUserId);
  const allOk = (id: HealthCheckId) => {
    const found = checksOf(health, id, connected);
    return found.length > 0 && found.every((check) => check.state === 'ok');
  };
  const anyOk = (id: HealthCheckId) =>
    checksOf(health, id, connected).some((check) => check.state === 'ok');

  const credentials =
    isLive && settings !== null && settings.appId !== null && settings.hasAppSecret;
  const accountConnected = isLive && connected.length > 0;
  const loggedInThroughInlet =
    isLive &&
    (status?.accounts ?? []).some(
      (account) => account.state === 'connected' && account.source === 'oauth',
    );
  const loopProven = accountConnected && anyOk('loop-proven');
  const delivered =
    isLive && facts.accountsWithCustomerMessage.some((id) => connected.includes(id));
  const metaDelivers = loopProven || delivered;

  const checked = (isChecked: boolean): StepState => (isChecked ? 'checked' : 'open');
  const shown = (isShown: boolean): StepState => (isShown ? 'shown' : 'open');
  return {
    'create-app': shown(credentials),
    'instagram-login': shown(credentials),
    credentials: checked(credentials),
    'tester-role': shown(accountConnected && anyOk('token-accepted')),
    'redirect-uri': shown(loggedInThroughInlet),
    webhook: checked(isLive && allOk('callback-verified')),
    fields: shown(metaDelivers),
    publish: shown(metaDelivers),
    connect: checked(accountConnected),
    subscription: checked(accountConnected && allOk('subscription-complete')),
    'test-message': checked(loopProven),
    'first-delivery': checked(delivered),
  };
}

/** What the step's own health check found, per connected account: health's own sentences. */
export function findingsOf(
  step: SetupStepId,
  health: HealthReport,
  status: AppStatus | null,
): HealthCheck[] {
  const id = STEP_CHECK[step];
  if (id === undefined || status?.mode !== 'live') return [];
  const connected = status.accounts
    .filter((account) => account.state === 'connected')
    .map((account) => account.igUserId);
  return checksOf(health, id, connected);
}

/**
 * Where the assistant opens: the step the owner left it on, unless Inlet has since seen it done;
 * then the next step not done; without a bookmark, the first step not done.
 */
export function resumeStep(
  progress: Record<SetupStepId, StepState>,
  bookmark: SetupStepId | null,
): SetupStepId {
  const from = bookmark === null ? 0 : SETUP_STEPS.indexOf(bookmark);
  const isOpen = (step: SetupStepId) => progress[step] === 'open';
  return SETUP_STEPS.slice(from).find(isOpen) ?? SETUP_STEPS.find(isOpen) ?? 'first-delivery';
}

export function isSetupStep(value: unknown): value is SetupStepId {
  return typeof value === 'string' && (SETUP_STEPS as readonly string[]).includes(value);
}
