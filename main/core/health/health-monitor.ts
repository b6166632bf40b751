import type { FailureReason } from '../../../shared/domain/failure-reason';
import { AppError } from '../errors';
import type { HandlersFor } from '../ipc/dispatch';
import type { KeyValueStore, Logger } from '../ports';
import { checkAccount, checkApp, checkOf, type CheckDeps, type HealthAccount } from './checks';
import {
  HealthCheckSchema,
  type HealthCheck,
  type HealthReport,
  type HealthRepair,
} from '../../../shared/ipc/health-contract';
import { healthReason, overallState } from './health-model';
import { INBOX_WEBHOOK_FIELDS, subscribeAccount } from '../auth/webhook-subscription';
import type { LoopTest } from './loop-test';

export type HealthMonitorOptions = CheckDeps & {
  accounts: () => Promise<HealthAccount[]>;
  /**
   * Drops and reopens the tunnel, resolving once it is online or failed again; absent where there
   * is none (the sandbox).
   */
  restartTunnel?: () => Promise<void>;
  onChange: (report: HealthReport) => void;
  /** Re-subscribe a dropped subscription on its own; off, it waits for `fix`. Default on. */
  autoRepair?: boolean;
  /** Told once of a repair Inlet made on its own (to fetch back what Meta did not send meanwhile). */
  onRepaired: (reason: FailureReason, igUserId: string) => void;
  logger: Logger;
  /** Default 15 minutes. */
  intervalMs?: number;
  /** "Send a test message"; absent, `health:testLoop` is refused. */
  loopTest?: LoopTest;
  /**
   * Keeps each account's last self-test across restarts: it costs a message, so it is never
   * repeated on its own, and the guided setup resumes from what it proved.
   */
  kv?: KeyValueStore;
};

const LOOP_CHECKS_KEY = 'health.loopChecks';

export const HEALTH_INTERVAL_MS = 15 * 60_000;

/**
 * Runs the health checks at start, every 15 minutes, after a sleep (as a step of the wake
 * sequence, wake-sequence.ts), when the tunnel reconnects, after a self-test that came back, and
 * on demand. One run at a time, so no account is ever checked twice at once; a run asked for while
 * one is going joins it. Each run makes three Graph calls per account. A subscription found
 * incomplete is subscribed again and the owner told.
 */
export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  #checks: HealthCheck[] = [];
  /** The last self-test per account: on demand only, it sends a message, so no run repeats it. */
  readonly #loopChecks = new Map<string, HealthCheck>();
  /** When each account's last successful self-test began (checks.ts `loopProvenAt`). */
  readonly #loopProvenAt = new Map<string, number>();
  #running: Promise<HealthReport> | null = null;
  #again = false;
  #interval: ReturnType<typeof setInterval> | null = null;
  #stopped = false;

  constructor(options: HealthMonitorOptions) {
    this.#options = options;
    const saved = HealthCheckSchema.array().safeParse(options.kv?.get(LOOP_CHECKS_KEY));
    // A value that does not parse (an older shape, a hand edit) only forgets the last self-test.
    if (saved.success) {
      for (const check of saved.data) {
        if (check.id === 'loop-proven' && check.account !== null)
          this.#loopChecks.set(check.account, check);
      }
    }
  }

  get report(): HealthReport {
    const checks = [...this.#checks, ...this.#loopChecks.values()];
    return { overall: overallState(checks), checks };
  }

  start(): void {
    this.#stopped = false;
    void this.runNow();
    this.#interval = setInterval(
      () => void this.runNow(),
      this.#options.intervalMs ?? HEALTH_INTERVAL_MS,
    );
    this.#interval.unref?.();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#interval) clearInterval(this.#interval);
    this.#interval = null;
  }

  /** The wake sequence's health step (wake-sequence.ts): the machine woke or was unlocked. */
  woke(): Promise<HealthReport> {
    this.#options.logger.info('health checks after wake');
    return this.runNow();
  }

  /**
   * Runs every check now; joins a run in progress, and runs once more after it when asked during
   * one (what changed may have come after the running checks looked).
   */
  runNow(): Promise<HealthReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run().finally(() => {
      this.#running = null;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.runNow();
      }
    });
    return this.#running;
  }

  /**
   * A run that starts after this call: one in progress looked before what just changed (a proven
   * loop, a repair), so it is waited out rather than joined.
   */
  async #runAfterNow(): Promise<HealthReport> {
    await this.#running?.catch(() => undefined);
    return this.runNow();
  }

  readonly handlers = {
    'health:get': async () => this.report,
    'health:runNow': () => this.runNow(),
    'health:fix': ({ repair, account }) => this.fix(repair, account),
    'health:testLoop': ({ account }) => this.testLoop(account),
  } satisfies HandlersFor<'health'>;

  /** Sends the account a message from itself and waits for its echo (loop-test.ts). */
  async testLoop(igUserId: string): Promise<HealthReport> {
    const { loopTest } = this.#options;
    if (!loopTest) throw new AppError('INVALID_INPUT', 'Inlet cannot send a test message here.');
    const account = (await this.#options.accounts()).find((a) => a.igUserId === igUserId);
    if (!account) throw new AppError('NOT_FOUND', 'That account is not connected.');
    const startedAt = this.#options.now();
    const loop = await loopTest.run(account);
    this.#loopChecks.set(igUserId, loop);
    this.#options.kv?.set(LOOP_CHECKS_KEY, [...this.#loopChecks.values()]);
    if (loop.state !== 'ok') {
      const report = this.report;
      this.#options.onChange(report);
      return report;
    }
    // Meta delivers to this app right now: a customer's thread that changed before the test and
    // never reached Inlet is now known to be missed (an app in Development mode, a customer
    // without a role), so the checks run again without waiting out the grace.
    this.#loopProvenAt.set(igUserId, startedAt);
    return this.#runAfterNow();
  }

  /** Applies a repair Inlet can make; `account` names the account for account repairs. */
  async fix(repair: HealthRepair, account: string | null): Promise<HealthReport> {
    switch (repair) {
      case 'resubscribe': {
        const target = (await this.#options.accounts()).find((a) => a.igUserId === account);
        if (!target?.token) throw new AppError('NOT_FOUND', 'That account is not connected.');
        await this.#resubscribe(target.igUserId, target.token);
        break;
      }
      case 'restart-tunnel':
        if (!this.#options.restartTunnel)
          throw new AppError('INVALID_INPUT', 'Inlet opens no public address here to restart.');
        // Waited for, so the report that answers the fix says whether it worked.
        await this.#options.restartTunnel();
        break;
      case 'reconnect-account':
        throw new AppError(
          'INVALID_INPUT',
          'Connecting an account again needs the owner’s login: use Reconnect.',
        );
    }
    return this.#runAfterNow();
  }

  async #run(): Promise<HealthReport> {
    const checks: HealthCheck[] = [];
    try {
      checks.push(...(await checkApp(this.#options)));
    } catch (error) {
      this.#options.logger.warn('app health checks failed', { error: String(error) });
    }
    const accounts = await this.#options.accounts();
    // A disconnected account's self-test no longer says anything about this Inlet.
    for (const igUserId of this.#loopChecks.keys()) {
      if (!accounts.some((account) => account.igUserId === igUserId)) this.#forgetLoop(igUserId);
    }
    for (const account of accounts) {
      if (this.#stopped) break;
      const deps = {
        ...this.#options,
        loopProvenAt: (id: string) => this.#loopProvenAt.get(id) ?? null,
      };
      const found = await checkAccount(account, deps).catch((error: unknown) => {
        this.#options.logger.warn('account health checks failed', {
          igUserId: account.igUserId,
          error: String(error),
        });
        return [];
      });
      checks.push(...(await this.#repairSubscription(account, found)));
    }
    this.#checks = checks;
    const report = this.report;
    this.#options.onChange(report);
    return report;
  }

  /** A failing subscription is repaired at once; the check then says what Inlet did. */
  async #repairSubscription(account: HealthAccount, found: HealthCheck[]): Promise<HealthCheck[]> {
    const index = found.findIndex(
      (check) => check.id === 'subscription-complete' && check.state === 'failing',
    );
    const failing = found[index];
    if (!failing || account.token === null || this.#options.autoRepair === false) return found;
    let fields: readonly string[];
    try {
      fields = await this.#resubscribe(account.igUserId, account.token);
    } catch (error) {
      this.#options.logger.warn('resubscribe failed', {
        igUserId: account.igUserId,
        error: String(error),
      });
      return found;
    }
    // A login without the comments permission only gets its messages back: the permissions
    // check already says what is missing, so this is not reported as a repair.
    if (fields.length < INBOX_WEBHOOK_FIELDS.length) return found;
    const names = fields.join(', ');
    const reason = healthReason(
      `Instagram had stopped sending some messages to @${account.username}; Inlet asked for them again.`,
      'subscriptionRepaired',
      { names: account.username },
    );
    this.#options.logger.info('health repair', { reason: reason.text });
    this.#options.onRepaired(reason, account.igUserId);
    const repaired = checkOf('subscription-complete', account.igUserId, this.#options.now(), {
      state: 'ok',
      reason,
      technical: `${failing.technical ?? ''}; re-subscribed: ${names}`,
    });
    return found.map((check, i) => (i === index ? repaired : check));
  }

  #forgetLoop(igUserId: string): void {
    this.#loopChecks.delete(igUserId);
    this.#loopProvenAt.delete(igUserId);
    this.#options.kv?.set(LOOP_CHECKS_KEY, [...this.#loopChecks.values()]);
  }

  async #resubscribe(igUserId: string, token: string): Promise<readonly string[]> {
    const fields = await subscribeAccount(this.#options.graph, token, igUserId);
    this.#options.logger.info('account subscribed again', { igUserId, fields: fields.join(',') });
    return fields;
  }
}
