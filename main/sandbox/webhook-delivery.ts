import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Fetch, Logger } from '../core/ports';
import type { EmulatorClock } from './emulator-clock';
import type { Faults } from './faults';
import { metaJson } from './meta-json';
import { signBody } from './signing';
import type { World } from './world';

/**
 * One event for one account, before it is wrapped in Meta's envelope (docs/platform.md#envelope).
 */
export type WebhookEvent = {
  accountId: string;
  /**
   * Dashboard field the event belongs to (docs/platform.md#webhook-fields); undelivered unless the
   * account subscribed it.
   */
  field: string;
  container: 'messaging' | 'standby' | 'changes';
  item: Record<string, unknown>;
};

export type DeliveryAttempt = { at: number; status: number | null; error: string | null };

export type Delivery = {
  id: string;
  at: number;
  /** The exact string POSTed; its bytes are what the signature covers. */
  body: string;
  signature: string;
  attempts: DeliveryAttempt[];
  state: 'pending' | 'delivered' | 'retrying' | 'failed' | 'dropped';
  nextAttemptAt: number | null;
  duplicateOf: string | null;
  /** The business accounts whose events it carries: their subscriptions suffer its failures. */
  accountIds: string[];
};

export type DispatchResult = {
  delivery: Delivery | null;
  status: number | null;
  error: string | null;
};

/**
 * Meta retries "immediately, then with decreasing frequency for up to 36 hours"
 * (docs/platform.md#delivery).
 */
const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000];
const LAST_RETRY_DELAY_MS = 12 * 60 * 60_000;
const GIVE_UP_AFTER_MS = 36 * 60 * 60_000;
/** Meta's call times out after 20 s (docs/platform.md#delivery). */
const DELIVERY_TIMEOUT_MS = 20_000;

export class WebhookDispatcher {
  private target: { callbackUrl: string; verifyToken: string } | null = null;
  private readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  /** Per account, when the current run of failed attempts began. */
  private readonly failingSince = new Map<string, number>();

  constructor(
    private readonly deps: {
      world: World;
      clock: EmulatorClock;
      fetch: Fetch;
      logger: Logger;
      faults: Faults;
    },
  ) {}

  /**
   * Meta's verification GET (docs/platform.md#verification): the endpoint must answer 200 with the
   * challenge echoed byte for byte. Only a verified endpoint receives deliveries.
   */
  async verify(
    callbackUrl: string,
    verifyToken: string,
  ): Promise<{ verified: true } | { error: string }> {
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      return { error: `not a URL: ${callbackUrl}` };
    }
    const challenge = String(randomInt(1_000_000_000, 2_000_000_000));
    url.searchParams.set('hub.mode', 'subscribe');
    url.searchParams.set('hub.challenge', challenge);
    url.searchParams.set('hub.verify_token', verifyToken);
    try {
      const response = await this.deps.fetch(url, {
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status !== 200)
        return { error: `verification answered HTTP ${response.status}` };
      if (text !== challenge) return { error: 'verification did not echo hub.challenge exactly' };
    } catch (error) {
      return { error: `verification request failed: ${describe(error)}` };
    }
    this.target = { callbackUrl, verifyToken };
    this.deps.logger.info('emulator webhook verified', { callbackUrl });
    return { verified: true };
  }

  /**
   * Wraps the events in one POST (docs/platform.md#delivery batching) and waits for its first
   * attempt.
   */
  async dispatch(
    events: WebhookEvent[],
    layout: 'grouped' | 'separate' = 'grouped',
  ): Promise<DispatchResult> {
    if (!this.target)
      return { delivery: null, status: null, error: 'no webhook callback registered' };
    const subscribed = events.filter((event) =>
      this.deps.world.accounts.get(event.accountId)?.subscribedFields.includes(event.field),
    );
    if (subscribed.length === 0) {
      return { delivery: null, status: null, error: 'the account is not subscribed to this field' };
    }
    const withheld = subscribed.map((event) => this.withheldBecause(event));
    const sent = subscribed.filter((_, i) => withheld[i] === null);
    if (sent.length === 0) {
      // Meta says nothing to anyone; only the emulator's caller learns why.
      return { delivery: null, status: null, error: `withheld: ${withheld[0]}` };
    }
    return this.send(sent, layout);
  }

  /**
   * The dashboard's "Test" button: a Page-style wrapper with fake ids and entry id "0"
   * (docs/platform.md#envelope), signed like any delivery. Sent whatever the app's mode and the
   * accounts' subscriptions, as long as the callback is verified.
   */
  async dispatchDashboardTest(): Promise<DispatchResult> {
    if (!this.target)
      return { delivery: null, status: null, error: 'no webhook callback registered' };
    const seconds = Math.floor(this.deps.clock.now() / 1000);
    const body = metaJson({
      object: 'instagram',
      entry: [
        {
          id: '0',
          time: seconds,
          changes: [
            {
              field: 'messages',
              value: {
                sender: { id: '12334' },
                recipient: { id: '23245' },
                timestamp: String(seconds),
                message: { mid: 'random_mid', text: 'random_text' },
              },
            },
          ],
        },
      ],
    });
    const delivery = this.record(body, null, []);
    await this.track(this.attempt(delivery));
    const last = delivery.attempts.at(-1)!;
    return { delivery, status: last.status, error: last.error };
  }

  /**
   * Why Meta would not send this event at all (docs/platform.md#app-modes), or null. Development
   * mode serves the people with a role on the app: the business itself and its testers.
   */
  private withheldBecause(event: WebhookEvent): string | null {
    const { world } = this.deps;
    if (!world.app.published) return 'the app is not published';
    if (world.app.mode === 'live') return null;
    const stranger = peopleIn(event).find(
      (id) => id !== event.accountId && world.customers.get(id)?.hasRole !== true,
    );
    return stranger === undefined
      ? null
      : `the app is in Development mode and ${stranger} has no role on it`;
  }

  private async send(
    events: WebhookEvent[],
    layout: 'grouped' | 'separate',
  ): Promise<DispatchResult> {
    const body = buildEnvelope(events, layout, this.deps.clock.now());
    const accountIds = [...new Set(events.map((event) => event.accountId))];
    const delivery = this.record(body, null, accountIds);
    if (this.deps.faults.takeDrop()) {
      delivery.state = 'dropped';
      return { delivery, status: null, error: 'dropped by fault injection' };
    }
    if (this.deps.faults.takeDuplicate()) {
      const copy = this.record(body, delivery.id, accountIds);
      void this.track(this.attempt(copy));
    }
    await this.track(this.attempt(delivery));
    const last = delivery.attempts.at(-1)!;
    return { delivery, status: last.status, error: last.error };
  }

  list(): Delivery[] {
    return this.deliveries;
  }

  /** Waits for deliveries in flight, then runs every retry that is due by the emulator's clock. */
  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
    await Promise.all(this.runDueRetries());
  }

  /** Retries also happen on their own, checked once a second against the emulator's clock. */
  start(): void {
    this.timer ??= setInterval(() => void Promise.all(this.runDueRetries()), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight);
  }

  /**
   * After failing for `dropSubscriptionAfterMs`, Meta unsubscribes the accounts and stops
   * retrying their deliveries (docs/platform.md#delivery). True when this attempt did that.
   */
  private dropSubscriptions(delivery: Delivery, at: number): boolean {
    const { world, logger } = this.deps;
    const dropped = delivery.accountIds.filter((id) => {
      const since = this.failingSince.get(id) ?? at;
      this.failingSince.set(id, since);
      return at - since >= world.app.dropSubscriptionAfterMs;
    });
    if (dropped.length === 0) return false;
    for (const id of dropped) {
      const account = world.accounts.get(id);
      if (account) account.subscribedFields = [];
      this.failingSince.delete(id);
      logger.warn('emulator unsubscribed an account after failed deliveries', { igUserId: id });
    }
    for (const other of this.deliveries) {
      if (other.state !== 'retrying' && other !== delivery) continue;
      if (!other.accountIds.some((id) => dropped.includes(id))) continue;
      other.state = 'failed';
      other.nextAttemptAt = null;
    }
    return true;
  }

  private runDueRetries(): Promise<void>[] {
    const now = this.deps.clock.now();
    return this.deliveries
      .filter((d) => d.state === 'retrying' && d.nextAttemptAt !== null && d.nextAttemptAt <= now)
      .map((d) => {
        d.nextAttemptAt = null;
        return this.track(this.attempt(d));
      });
  }

  private record(body: string, duplicateOf: string | null, accountIds: string[]): Delivery {
    const delivery: Delivery = {
      id: `d${this.nextId++}`,
      at: this.deps.clock.now(),
      body,
      signature: signBody(body, this.deps.world.app.appSecret),
      attempts: [],
      state: 'pending',
      nextAttemptAt: null,
      duplicateOf,
      accountIds,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  private track(task: Promise<void>): Promise<void> {
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    return task;
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const target = this.target;
    const at = this.deps.clock.now();
    let status: number | null = null;
    let error: string | null = null;
    if (!target) {
      error = 'no webhook callback registered';
    } else if (this.deps.faults.takeUnreachable()) {
      error = 'the callback could not be reached (fault injection)';
    } else {
      try {
        const response = await this.deps.fetch(target.callbackUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'facebookexternalua',
            'X-Hub-Signature-256': delivery.signature,
            // The legacy header is still sent; receivers must not rely on it
            // (docs/platform.md#signatures).
            'X-Hub-Signature': `sha1=${createHmac('sha1', this.deps.world.app.appSecret).update(delivery.body).digest('hex')}`,
            'X-Emulator-Delivery': `${delivery.id}-${randomBytes(3).toString('hex')}`,
          },
          body: delivery.body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        status = response.status;
        await response.arrayBuffer();
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (cause) {
        error = describe(cause);
      }
    }
    delivery.attempts.push({ at, status, error });
    if (error === null) {
      delivery.state = 'delivered';
      for (const id of delivery.accountIds) this.failingSince.delete(id);
      return;
    }
    if (this.dropSubscriptions(delivery, at)) return;
    const retryIndex = delivery.attempts.length - 1;
    const nextAt = at + (RETRY_DELAYS_MS[retryIndex] ?? LAST_RETRY_DELAY_MS);
    if (nextAt - delivery.at > GIVE_UP_AFTER_MS) {
      delivery.state = 'failed';
      delivery.nextAttemptAt = null;
      this.deps.logger.warn('emulator gave up on a webhook delivery', { id: delivery.id, error });
    } else {
      delivery.state = 'retrying';
      delivery.nextAttemptAt = nextAt;
    }
  }
}

/**
 * Everyone an event is about besides the business: sender and recipient of a messaging item, the
 * author of a comment.
 */
function peopleIn(event: WebhookEvent): string[] {
  const item = event.item as {
    sender?: { id?: unknown };
    recipient?: { id?: unknown };
    value?: { from?: { id?: unknown } };
  };
  return [item.sender?.id, item.recipient?.id, item.value?.from?.id].filter(
    (id): id is string => typeof id === 'string',
  );
}

/**
 * Meta's envelope around events (docs/platform.md#envelope): one entry per account (grouped) or per
 * event (separate).
 */
export function buildEnvelope(
  events: WebhookEvent[],
  layout: 'grouped' | 'separate',
  now: number,
): string {
  const entries: Record<string, unknown>[] = [];
  for (const event of events) {
    // Comment entries carry `time` in seconds, messaging entries in milliseconds
    // (docs/platform.md#envelope).
    const time = event.container === 'changes' ? Math.floor(now / 1000) : now;
    const open =
      layout === 'grouped'
        ? entries.find((entry) => entry.id === event.accountId && entry.time === time)
        : undefined;
    const entry = open ?? { time, id: event.accountId };
    if (!open) entries.push(entry);
    const list = (entry[event.container] as unknown[] | undefined) ?? [];
    list.push(event.item);
    entry[event.container] = list;
  }
  const onlyComments = events.every((event) => event.container === 'changes');
  // Comment bodies have been captured spaced and with `entry` first (docs/platform.md#signatures,
  // docs/platform.md#comments-field).
  return onlyComments
    ? metaJson({ entry: entries, object: 'instagram' }, { spaced: true })
    : metaJson({ object: 'instagram', entry: entries });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
