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
import { INBOX_WEBHOOK_FIELDS, subscribeAccount } from '../auth/oauth-flow';
import type { LoopTest } from './loop-test';

export type HealthMonitorOptions = CheckDeps & {
  accounts: () => Promise<HealthAccount[]>;
  /** Drops and reopens the tunnel; absent where there is none (the sandbox). */
  restartTunnel?: () => void;
  onChange: (report: HealthReport) => void;
  /** Re-subscribe a dropped subscription on its own; off, it waits for `fix`. Default on. */
  autoRepair?: boolean;
  /** Tells the owner once of a repair Inlet made on its own. */
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
/** How often the wall clock is compared with the timer, to notice a machine that slept. */
const WAKE_TICK_MS = 60_000;
/** A tick this much later than due means the machine slept (timers stop while it does). */
const WAKE_JUMP_MS = 2 * 60_000;

/**
 * Runs the health checks at start, every 15 minutes, after a sleep, when the tunnel reconnects and
 * on demand. One run at a time, so no account is ever checked twice at once; a run asked for while
 * one is going joins it. Each run makes three Graph calls per account. A subscription found
 * incomplete is subscribed again and the owner told.
 */
export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  #checks: HealthCheck[] = [];
  /** The last self-test per account: on demand only, it sends a message, so no run repeats it. */
  readonly #loopChecks = new Map<string, HealthCheck>();
  #running: Promise<HealthReport> | null = null;
  #again = false;
  #interval: ReturnType<typeof setInterval> | null = null;
  #wakeTick: ReturnType<typeof setInterval> | null = null;
  #lastTick = 0;
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
    this.#lastTick = this.#options.now();
    this.#wakeTick = setInterval(() => this.#tick(), WAKE_TICK_MS);
    this.#interval.unref?.();
    this.#wakeTick.unref?.();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#interval) clearInterval(this.#interval);
    if (this.#wakeTick) clearInterval(this.#wakeTick);
    this.#interval = this.#wakeTick = null;
  }

  /** The machine woke or was unlocked (desktop: `powerMonitor`; headless: a wall-clock jump). */
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
    this.#loopChecks.set(igUserId, await loopTest.run(account));
    this.#options.kv?.set(LOOP_CHECKS_KEY, [...this.#loopChecks.values()]);
    const report = this.report;
    this.#options.onChange(report);
    return report;
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
        this.#options.restartTunnel();
        break;
      case 'reconnect-account':
        throw new AppError(
          'INVALID_INPUT',
          'Connecting an account again needs the owner’s login: use Reconnect.',
        );
    }
    return this.runNow();
  }

  #tick(): void {
    const now = this.#options.now();
    const late = now - this.#lastTick - WAKE_TICK_MS;
    this.#lastTick = now;
    if (late > WAKE_JUMP_MS) void this.woke();
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
      const found = await checkAccount(account, this.#options).catch((error: unknown) => {
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
    this.#options.kv?.set(LOOP_CHECKS_KEY, [...this.#loopChecks.values()]);
  }

  async #resubscribe(igUserId: string, token: string): Promise<readonly string[]> {
    const fields = await subscribeAccount(this.#options.graph, token, igUserId);
    this.#options.logger.info('account subscribed again', { igUserId, fields: fields.join(',') });
    return fields;
  }
}
