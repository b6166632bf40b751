import type { FailureReason } from '../../../shared/domain/failure-reason';
import type { GraphClient } from '../graph/graph-client';
import { GraphError } from '../graph/graph-errors';
import type { TunnelState } from '../webhook/tunnel-keeper';
import type {
  HealthCheck,
  HealthCheckId,
  HealthFix,
  HealthState,
} from '../../../shared/ipc/health-contract';
import { healthReason, ownerSteps } from './health-model';
import { LOGIN_SCOPES } from '../auth/oauth-flow';
import { INBOX_WEBHOOK_FIELDS } from '../auth/webhook-subscription';

/** An account as the checks see it. */
export type HealthAccount = {
  igUserId: string;
  username: string;
  /** Null when the account must be connected again (its reason is `reconnectReason`). */
  token: string | null;
  reconnectReason: FailureReason | null;
  /** What the login granted; null when Meta did not say (an account from the environment). */
  permissions: readonly string[] | null;
};

export type HealthGraph = Pick<
  GraphClient,
  'getMe' | 'getSubscribedApps' | 'subscribeApp' | 'listConversations'
>;

export type CheckDeps = {
  graph: HealthGraph;
  /** Inlet's Meta app id, to find its entry in `subscribed_apps`; null in the sandbox. */
  appId: string | null;
  /** When the archive last heard of the conversation with this customer; null if never. */
  lastMessageAt: (igUserId: string, customerId: string) => number | null;
  /** The tunnel's state; null when deliveries need no tunnel (the sandbox delivers locally). */
  tunnel: () => TunnelState | null;
  /** False where Inlet opens no tunnel itself (`--no-tunnel`): then it offers no restart. */
  tunnelRestartable: boolean;
  /** True when a request sent to the public address came back to the local listener. */
  reachPublicUrl: (publicUrl: string) => Promise<boolean>;
  /** When Meta last called the webhook verification GET; null if never. */
  lastVerificationAt: () => number | null;
  /** Deliveries refused for their signature since this epoch ms. */
  signatureRefusalsSince: (since: number) => number;
  /** True when the owner gave the Meta app secret beside the Instagram app secret. */
  hasMetaAppSecret: () => boolean;
  /** Instagram's idea of now (its `Date` header); null when it could not be asked. */
  remoteTime: () => Promise<number | null>;
  now: () => number;
  /** When Inlet started listening: conversations updated before then are catch-up's business. */
  listeningSince: number;
  /**
   * When a test message last came back for this account (null if none did): Meta was delivering
   * within seconds then, so a thread updated before it needs no more grace.
   */
  loopProvenAt?: (igUserId: string) => number | null;
};

/** Meta delivers within seconds; a thread younger than this may still have its webhook on the way. */
export const DELIVERY_GRACE_MS = 2 * 60_000;
/** Meta's `updated_time` and the archive's message times come from different clocks. */
const DELIVERY_TOLERANCE_MS = 5_000;
export const SIGNATURE_WINDOW_MS = 60 * 60_000;
/** Beyond this, signed requests and token expiry go wrong; under a minute nothing notices. */
const CLOCK_FAILING_MS = 5 * 60_000;
const CLOCK_WARNING_MS = 60_000;
/** Threads compared per run: one Graph call, a sliver of the rate budget. */
const THREADS_COMPARED = 5;

type Finding = {
  state: HealthState;
  reason: FailureReason;
  fix?: HealthFix | null;
  technical?: string | null;
};

export function checkOf(
  id: HealthCheckId,
  account: string | null,
  ranAt: number,
  finding: Finding,
): HealthCheck {
  return {
    id,
    account,
    state: finding.state,
    ranAt,
    reason: finding.reason,
    fix: finding.fix ?? null,
    technical: finding.technical ?? null,
  };
}

const RECONNECT: HealthFix = { kind: 'repair', repair: 'reconnect-account' };

/**
 * A Graph error during a check, classified like any other: a refused token is failing with the
 * reconnect fix; a missing app role is failing with its explanation; throttling and everything
 * else leave the check unknown, never ok.
 */
export function graphFinding(error: unknown): Finding & { stopAccount: boolean } {
  if (!(error instanceof GraphError)) {
    return {
      state: 'unknown',
      reason: healthReason('Inlet could not run this check.', 'checkFailed'),
      technical: String(error),
      stopAccount: false,
    };
  }
  const { failure } = error;
  const technical = `${error.operation}: ${failure.explanation.text} (code ${String(failure.graphCode)}, subcode ${String(failure.subcode)}, trace ${String(failure.fbtraceId)})`;
  if (failure.kind === 'reauth') {
    return {
      state: 'failing',
      reason: healthReason(
        'Instagram no longer accepts this account’s login. Connect it again.',
        'tokenRefused',
      ),
      fix: RECONNECT,
      technical,
      stopAccount: true,
    };
  }
  if (failure.reason === 'app-role-missing') {
    const reason = healthReason(
      'Instagram refuses this account: the app is in Development mode and the account has no role on it. Give the account the Instagram Tester role in the Meta dashboard, or publish the app.',
      'appRoleMissing',
    );
    return {
      state: 'failing',
      reason,
      fix: { kind: 'owner', steps: reason },
      technical,
      stopAccount: true,
    };
  }
  if (failure.reason === 'rate-limited') {
    return {
      state: 'unknown',
      reason: healthReason(
        'Instagram asked Inlet to slow down, so this check waits for the next run.',
        'rateLimited',
      ),
      technical,
      stopAccount: true,
    };
  }
  return {
    state: 'unknown',
    reason: healthReason('Inlet could not run this check.', 'checkFailed'),
    technical,
    stopAccount: false,
  };
}

function missingFrom(required: readonly string[], present: readonly string[]): string[] {
  return required.filter((name) => !present.includes(name));
}

/** The account checks, one Graph call at a time; a refused token or throttling ends the run. */
export async function checkAccount(
  account: HealthAccount,
  deps: CheckDeps,
): Promise<HealthCheck[]> {
  const at = deps.now();
  const id = account.igUserId;
  const ids: HealthCheckId[] = [
    'token-accepted',
    'permissions-granted',
    'subscription-complete',
    'deliveries-arriving',
  ];
  if (account.token === null) {
    const reason =
      account.reconnectReason ??
      healthReason('Connect this account again to check it.', 'accountNeedsReconnect');
    return ids.map((checkId) =>
      checkOf(checkId, id, at, {
        state: checkId === 'token-accepted' ? 'failing' : 'unknown',
        reason:
          checkId === 'token-accepted'
            ? reason
            : healthReason('Connect this account again to check it.', 'accountNeedsReconnect'),
        fix: checkId === 'token-accepted' ? RECONNECT : null,
      }),
    );
  }
  const token = account.token;
  const results: HealthCheck[] = [];
  let stopped: Finding | null = null;
  const run = async (checkId: HealthCheckId, probe: () => Promise<Finding>) => {
    if (stopped) {
      results.push(checkOf(checkId, id, deps.now(), { ...stopped, fix: null }));
      return;
    }
    try {
      results.push(checkOf(checkId, id, deps.now(), await probe()));
    } catch (error) {
      const finding = graphFinding(error);
      results.push(checkOf(checkId, id, deps.now(), finding));
      if (finding.stopAccount) {
        stopped = {
          state: 'unknown',
          reason:
            finding.fix === RECONNECT
              ? healthReason('Connect this account again to check it.', 'accountNeedsReconnect')
              : finding.reason,
          technical: finding.technical ?? null,
        };
      }
    }
  };

  await run('token-accepted', async () => {
    const me = await deps.graph.getMe(token);
    return {
      state: 'ok',
      reason: healthReason('Instagram accepts this account’s login.', 'tokenOk'),
      technical: `/me answered for @${me.username} (user_id ${me.igUserId})`,
    };
  });
  await run('permissions-granted', () => Promise.resolve(permissionsFinding(account)));
  await run('subscription-complete', async () => {
    const apps = await deps.graph.getSubscribedApps(token, id);
    const ours = deps.appId === null ? apps : apps.filter((app) => app.appId === deps.appId);
    const missing = missingFrom(
      INBOX_WEBHOOK_FIELDS,
      ours.flatMap((app) => app.subscribedFields),
    );
    return subscriptionFinding(missing);
  });
  await run('deliveries-arriving', () => deliveriesFinding(account, token, deps));
  return results;
}

function permissionsFinding(account: HealthAccount): Finding {
  if (account.permissions === null) {
    return {
      state: 'unknown',
      reason: healthReason(
        'Instagram did not say which permissions this login granted. Connect the account through Inlet to check.',
        'permissionsUnknown',
      ),
      fix: RECONNECT,
    };
  }
  const missing = missingFrom(LOGIN_SCOPES, account.permissions);
  if (missing.length === 0) {
    return {
      state: 'ok',
      reason: healthReason('The login granted everything Inlet needs.', 'permissionsOk'),
    };
  }
  const names = missing.join(', ');
  return {
    state: 'failing',
    reason: healthReason(
      `The login did not grant: ${names}. Connect the account again and allow them.`,
      'permissionsMissing',
      { names },
    ),
    fix: RECONNECT,
    technical: `granted: ${account.permissions.join(', ')}`,
  };
}

export function subscriptionFinding(missing: readonly string[]): Finding {
  if (missing.length === 0) {
    return {
      state: 'ok',
      reason: healthReason('Instagram sends Inlet everything it needs.', 'subscriptionOk'),
    };
  }
  const names = missing.join(', ');
  return {
    state: 'failing',
    reason: healthReason(
      `Instagram is not sending Inlet some kinds of messages (${names}). Inlet can fix this.`,
      'subscriptionMissing',
      { names },
    ),
    fix: { kind: 'repair', repair: 'resubscribe' },
    technical: `subscribed_apps lacks: ${names}`,
  };
}

async function deliveriesFinding(
  account: HealthAccount,
  token: string,
  deps: CheckDeps,
): Promise<Finding> {
  const page = await deps.graph.listConversations(token, account.igUserId, {
    limit: THREADS_COMPARED,
  });
  const settled = Math.max(
    deps.now() - DELIVERY_GRACE_MS,
    deps.loopProvenAt?.(account.igUserId) ?? Number.NEGATIVE_INFINITY,
  );
  const missed = page.conversations.filter((thread) => {
    const updated = thread.updatedTime;
    if (updated === null || updated <= deps.listeningSince || updated > settled) return false;
    const customer = thread.participants.find((person) => person.id !== account.igUserId);
    if (!customer) return false;
    const heard = deps.lastMessageAt(account.igUserId, customer.id);
    return heard === null || updated > heard + DELIVERY_TOLERANCE_MS;
  });
  if (missed.length === 0) {
    return {
      state: 'ok',
      reason: healthReason('Every conversation that changed reached Inlet.', 'deliveriesOk'),
    };
  }
  return {
    state: 'failing',
    reason: healthReason(
      `Conversations changed on Instagram without Inlet hearing of them (${String(missed.length)}): new messages are not arriving.`,
      'deliveriesMissing',
      { count: missed.length },
    ),
    fix: ownerSteps(
      'In the Meta dashboard, publish the app (an app in Development mode only delivers for people with a role on it), and check that the callback URL is Inlet’s current public address.',
      'deliveriesSteps',
    ),
    technical: `updated after the last delivery: ${missed.map((thread) => thread.id).join(', ')}`,
  };
}

/** The checks of the app as a whole: the way in from the internet, the signatures, the clock. */
export async function checkApp(deps: CheckDeps): Promise<HealthCheck[]> {
  const tunnel = deps.tunnel();
  const restart: HealthFix | null = deps.tunnelRestartable
    ? { kind: 'repair', repair: 'restart-tunnel' }
    : null;
  const results: HealthCheck[] = [];
  const add = (id: HealthCheckId, finding: Finding) =>
    results.push(checkOf(id, null, deps.now(), finding));
  const notNeeded = healthReason(
    'The sandbox delivers on this computer; no public address is needed.',
    'tunnelNotNeeded',
  );

  if (tunnel === null) add('tunnel-up', { state: 'ok', reason: notNeeded });
  else if (tunnel.state === 'online')
    add('tunnel-up', {
      state: 'ok',
      reason: healthReason('Inlet’s public address is online.', 'tunnelOk'),
      technical: tunnel.url,
    });
  else
    add('tunnel-up', {
      state: tunnel.state === 'connecting' ? 'warning' : 'failing',
      reason: healthReason(
        'Inlet’s public address is offline: Instagram cannot reach this computer.',
        'tunnelDown',
      ),
      fix: restart,
      technical: `tunnel ${tunnel.state}: ${tunnel.error?.text ?? 'no error'}`,
    });

  if (tunnel === null) add('public-url-reachable', { state: 'ok', reason: notNeeded });
  else if (tunnel.state !== 'online' || tunnel.url === null)
    add('public-url-reachable', {
      state: 'unknown',
      reason: healthReason(
        'Inlet cannot test its public address while it is offline.',
        'publicUrlNoTunnel',
      ),
    });
  else {
    let reached = false;
    let technical = `probe through ${tunnel.url}`;
    try {
      reached = await deps.reachPublicUrl(tunnel.url);
    } catch (error) {
      technical += `: ${String(error)}`;
    }
    add(
      'public-url-reachable',
      reached
        ? {
            state: 'ok',
            reason: healthReason(
              'A test request through the internet reached Inlet.',
              'publicUrlOk',
            ),
            technical,
          }
        : {
            state: 'failing',
            reason: healthReason(
              'A test request through the internet did not reach Inlet.',
              'publicUrlUnreachable',
            ),
            fix: restart,
            technical,
          },
    );
  }

  const verifiedAt = deps.lastVerificationAt();
  add(
    'callback-verified',
    verifiedAt === null
      ? {
          state: 'warning',
          reason: healthReason('Meta has never checked Inlet’s address.', 'callbackNever'),
          fix: ownerSteps(
            'In the Meta dashboard, under Webhooks, paste Inlet’s callback URL and verify token and press “Verify and save”.',
            'callbackSteps',
          ),
        }
      : {
          state: 'ok',
          reason: healthReason('Meta checked Inlet’s address.', 'callbackVerified'),
          technical: `last verification ${new Date(verifiedAt).toISOString()}`,
        },
  );

  const refused = deps.signatureRefusalsSince(deps.now() - SIGNATURE_WINDOW_MS);
  if (refused === 0)
    add('signatures-accepted', {
      state: 'ok',
      reason: healthReason('No message was refused in the last hour.', 'signaturesOk'),
    });
  else
    add('signatures-accepted', {
      state: 'failing',
      reason: deps.hasMetaAppSecret()
        ? healthReason(
            `${deliveries(refused)} in the last hour ${refused === 1 ? 'was' : 'were'} signed with neither the Instagram app secret nor the Meta app secret Inlet has.`,
            'signaturesRefusedBothSecrets',
            { count: refused },
          )
        : healthReason(
            `${deliveries(refused)} in the last hour did not match the Instagram app secret. Check it, or also give Inlet the Meta app secret.`,
            'signaturesRefusedInstagramSecret',
            { count: refused },
          ),
      fix: ownerSteps(
        'Copy the app secrets from the Meta dashboard (App settings → Basic for the Meta app secret; Instagram → API setup with Instagram login for the Instagram app secret) into Inlet’s Settings.',
        'signaturesSteps',
      ),
      technical: `${String(refused)} POSTs answered 401 (X-Hub-Signature-256 mismatch) in the last hour`,
    });

  let remote: number | null = null;
  let clockError = '';
  try {
    remote = await deps.remoteTime();
  } catch (error) {
    clockError = String(error);
  }
  if (remote === null) {
    add('clock-sane', {
      state: 'unknown',
      reason: healthReason('Inlet could not run this check.', 'checkFailed'),
      technical: `Instagram's time could not be read ${clockError}`.trim(),
    });
  } else {
    const offMs = deps.now() - remote;
    const seconds = Math.round(Math.abs(offMs) / 1000);
    const off = Math.abs(offMs);
    add(
      'clock-sane',
      off < CLOCK_WARNING_MS
        ? { state: 'ok', reason: healthReason('This computer’s clock is right.', 'clockOk') }
        : {
            state: off < CLOCK_FAILING_MS ? 'warning' : 'failing',
            reason: healthReason(
              `This computer’s clock is ${String(seconds)} seconds off.`,
              'clockOff',
              { seconds },
            ),
            fix: ownerSteps(
              'Turn on automatic date and time in your computer’s settings.',
              'clockSteps',
            ),
            technical: `local ${new Date(deps.now()).toISOString()}, Instagram ${new Date(remote).toISOString()}`,
          },
    );
  }
  return results;
}

/** "1 delivery", "3 deliveries": the English sentence (the UI's languages have their plural forms). */
function deliveries(count: number): string {
  return `${String(count)} ${count === 1 ? 'delivery' : 'deliveries'}`;
}
