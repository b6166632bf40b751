import {
  UpdateSettingsSchema,
  type UpdateSettings,
  type UpdateState,
} from '../../../shared/ipc/updates-contract';
import { AppError, describeError } from '../errors';
import type { Clock, KeyValueStore, Logger } from '../ports';
import { classifyUpdateError, parseRelease, type Updater } from './updater';

export const CHECK_INTERVAL_MS = 6 * 60 * 60_000;
/** After a failure (offline, GitHub's hourly rate limit, a bad download) the next try comes sooner. */
export const RETRY_AFTER_PROBLEM_MS = 60 * 60_000;
/** How often a restart that waits for the outbox looks again. */
export const OUTBOX_POLL_MS = 2_000;

const SETTINGS_KEY = 'updates';
const DEFAULT_SETTINGS: UpdateSettings = { autoCheck: true, prereleases: false };

export type UpdatePolicyDeps = {
  /** Null where nothing can update Inlet (headless). */
  updater: Updater | null;
  /** This build's version, for About when there is no updater. */
  currentVersion: string;
  kv: KeyValueStore;
  clock: Clock;
  logger: Logger;
  /** Outgoing messages queued or on the wire. */
  pendingSends: () => number;
  /**
   * Stops the core as quitting does (listeners closed, sends on the wire and archive writes
   * finished), so the app is never replaced under a half-written archive.
   */
  stopCore: () => Promise<void>;
  /** Brings the core back when the install could not start after all. */
  startCore: () => Promise<void>;
  onChange: (state: UpdateState) => void;
};

/**
 * When Inlet looks for updates and when one may be installed: at start and every 6 hours (unless
 * the owner turned that off), downloaded in the background, then offered. It installs only when the
 * owner says "Restart to update", and then only once no message is going out (or the owner says
 * restart anyway). Failures are logged and shown calmly, and retried later.
 */
export class UpdatePolicy {
  readonly #deps: UpdatePolicyDeps;
  #phase: UpdateState['phase'] = 'idle';
  #update: UpdateState['update'] = null;
  #problem: UpdateState['problem'] = null;
  #lastCheckedAt: number | null = null;
  #nextCheckAt: number | null = null;
  #isStarted = false;
  #checkTimer: ReturnType<typeof setTimeout> | null = null;
  #outboxTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(deps: UpdatePolicyDeps) {
    this.#deps = deps;
  }

  get #settings(): UpdateSettings {
    const parsed = UpdateSettingsSchema.safeParse(this.#deps.kv.get(SETTINGS_KEY));
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  get #unsupported(): UpdateState['unsupported'] {
    return this.#deps.updater === null ? 'headless' : this.#deps.updater.unsupported;
  }

  state(): UpdateState {
    return {
      currentVersion: this.#deps.updater?.currentVersion ?? this.#deps.currentVersion,
      unsupported: this.#unsupported,
      phase: this.#phase,
      update: this.#update,
      releasesUrl: this.#deps.updater?.releasesUrl ?? null,
      lastCheckedAt: this.#lastCheckedAt,
      nextCheckAt: this.#nextCheckAt,
      problem: this.#problem,
      pendingSends: this.#deps.pendingSends(),
      settings: this.#settings,
    };
  }

  /** The first automatic check; idempotent (the core restarts when its settings change). */
  start(): void {
    if (this.#isStarted || this.#unsupported !== null) return;
    this.#isStarted = true;
    if (this.#settings.autoCheck && this.#phase === 'idle') void this.check();
  }

  stop(): void {
    this.#isStarted = false;
    this.#clearTimers();
    this.#nextCheckAt = null;
  }

  /** Looks for a newer version and downloads it; never installs it. */
  async check(): Promise<UpdateState> {
    const updater = this.#deps.updater;
    if (updater === null || updater.unsupported !== null || this.#phase !== 'idle') {
      return this.state();
    }
    this.#clearCheckTimer();
    this.#set('checking');
    try {
      const found = await updater.check({ allowPrerelease: this.#settings.prereleases });
      this.#lastCheckedAt = this.#deps.clock.now();
      if (found === null) {
        this.#update = null;
        this.#problem = null;
        this.#scheduleCheck(CHECK_INTERVAL_MS);
        this.#set('idle');
        return this.state();
      }
      this.#update = parseRelease(found);
      this.#set('downloading');
      await updater.download();
      this.#problem = null;
      this.#deps.logger.info('update downloaded', { version: this.#update.version });
      this.#set('ready'); // waits for the owner: no further checks until it is installed
    } catch (error) {
      this.#problem = classifyUpdateError(error);
      this.#deps.logger.warn('update check failed; trying again later', {
        problem: this.#problem,
        error: describeError(error),
      });
      this.#update = null;
      this.#scheduleCheck(RETRY_AFTER_PROBLEM_MS);
      this.#set('idle');
    }
    return this.state();
  }

  /** "Restart to update", asked by the owner: the only way an update is ever installed. */
  async restart({ now }: { now: boolean }): Promise<UpdateState> {
    if (this.#phase !== 'ready' && this.#phase !== 'waiting-for-outbox') {
      throw new AppError('INVALID_INPUT', 'No update is ready to install');
    }
    if (now || this.#deps.pendingSends() === 0) {
      await this.#install();
    } else {
      this.#set('waiting-for-outbox');
      this.#watchOutbox();
    }
    return this.state();
  }

  cancelRestart(): UpdateState {
    if (this.#phase === 'waiting-for-outbox') {
      this.#clearOutboxTimer();
      this.#set('ready');
    }
    return this.state();
  }

  setSettings(change: Partial<UpdateSettings>): UpdateState {
    const before = this.#settings;
    const after = { ...before, ...change };
    this.#deps.kv.set(SETTINGS_KEY, after);
    if (!after.autoCheck) {
      this.#clearCheckTimer();
      this.#nextCheckAt = null;
      this.#emit();
    } else if (
      this.#isStarted &&
      (!before.autoCheck || (after.prereleases && !before.prereleases))
    ) {
      void this.check(); // turned on: look now rather than in 6 hours
    } else {
      this.#emit();
    }
    return this.state();
  }

  #watchOutbox(): void {
    this.#clearOutboxTimer();
    this.#outboxTimer = setTimeout(() => {
      this.#outboxTimer = null;
      if (this.#phase !== 'waiting-for-outbox') return;
      if (this.#deps.pendingSends() === 0) {
        void this.#install();
      } else {
        this.#emit(); // the count of messages still going out changed, maybe
        this.#watchOutbox();
      }
    }, OUTBOX_POLL_MS);
  }

  async #install(): Promise<void> {
    const updater = this.#deps.updater;
    if (updater === null) return;
    this.#clearTimers();
    this.#set('installing');
    const version = this.#update?.version;
    this.#deps.logger.info('stopping the core to install an update', { version });
    try {
      await this.#deps.stopCore();
      updater.install();
    } catch (error) {
      this.#deps.logger.error('the update could not be installed', {
        version,
        error: describeError(error),
      });
      this.#problem = 'install-failed';
      this.#set('ready');
      await this.#deps.startCore().catch((startError: unknown) =>
        this.#deps.logger.error('the core did not come back after a failed install', {
          error: describeError(startError),
        }),
      );
    }
  }

  #scheduleCheck(delayMs: number): void {
    this.#clearCheckTimer();
    if (!this.#isStarted || !this.#settings.autoCheck) {
      this.#nextCheckAt = null;
      return;
    }
    this.#nextCheckAt = this.#deps.clock.now() + delayMs;
    this.#checkTimer = setTimeout(() => {
      this.#checkTimer = null;
      void this.check();
    }, delayMs);
    this.#checkTimer.unref(); // a pending check never keeps the process alive
  }

  #clearCheckTimer(): void {
    if (this.#checkTimer !== null) clearTimeout(this.#checkTimer);
    this.#checkTimer = null;
  }

  #clearOutboxTimer(): void {
    if (this.#outboxTimer !== null) clearTimeout(this.#outboxTimer);
    this.#outboxTimer = null;
  }

  #clearTimers(): void {
    this.#clearCheckTimer();
    this.#clearOutboxTimer();
  }

  #set(phase: UpdateState['phase']): void {
    this.#phase = phase;
    this.#emit();
  }

  #emit(): void {
    this.#deps.onChange(this.state());
  }
}
