import { isIP } from 'node:net';
import type { Fetch, Logger } from '../ports';

/** What one verified delivery's forward to one target came to. */
export type ForwardResult = {
  deliveryId: number;
  target: string;
  /** The handler's HTTP status, or null when it could not be reached / the forward was dropped. */
  status: number | null;
  error: string | null;
  attempts: number;
  at: number;
};

export type ForwardedDelivery = {
  id: number;
  body: Uint8Array;
  /** Meta's headers as received, so the signature verifies at the handler (same bytes, same secret). */
  headers: Record<string, string>;
};

/** Deliveries waiting per target at most; beyond it the oldest is dropped, and counted. */
export const FORWARD_QUEUE_LIMIT = 1000;
/** Back-off between attempts at a target that is down: doubling from the first, capped. */
export const FORWARD_BACKOFF = { firstMs: 500, maxMs: 30_000 };
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The headers of Meta's that a handler may look at; nothing of the hop (host, length) is copied. */
const META_HEADERS = ['content-type', 'user-agent', 'x-hub-signature', 'x-hub-signature-256'];

/**
 * Checks a forwarding target: http(s) only, and a loopback host unless `allowRemote` (the bodies
 * hold customers' messages, so sending them off this machine must be asked for). Throws with the
 * reason, naming `optIn`, the way to allow other hosts where the target was given.
 */
export function parseForwardTarget(
  text: string,
  allowRemote: boolean,
  optIn = '--forward-remote',
): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${text} is not http(s): deliveries are forwarded with an HTTP POST`);
  if (!allowRemote && !isLoopback(url.hostname))
    throw new Error(
      `${url.hostname} is not this machine; forwarding customers' messages elsewhere needs ${optIn}`,
    );
  return url;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export type ForwarderDeps = {
  fetch: Fetch;
  logger: Logger;
  now: () => number;
  onResult: (result: ForwardResult) => void;
  /** Told when the targets change (the receiver then starts or stops passing bodies along). */
  onTargetsChanged?: () => void;
  backoff?: { firstMs: number; maxMs: number };
  queueLimit?: number;
};

/**
 * The targets `inlet serve --forward-to` names (`--forward-remote` allows other hosts). A target
 * not allowed throws, saying why, so Inlet does not start without it.
 */
export function commandLineTargets(
  options: { forwardTo?: readonly string[]; forwardRemote?: boolean } | undefined,
): URL[] {
  return (options?.forwardTo ?? []).map((text) =>
    parseForwardTarget(text, options?.forwardRemote === true),
  );
}

/**
 * Forwards verified deliveries to the developer's handlers: the original bytes and Meta's headers,
 * one target's deliveries strictly in arrival order, retried with back-off while the target is
 * down or failing (5xx, 429). Enqueuing never waits, so Inlet's acknowledgement never does either.
 */
export class Forwarder {
  #targets: TargetQueue[] = [];
  readonly #deps: ForwarderDeps;

  constructor(targets: readonly URL[], deps: ForwarderDeps) {
    this.#deps = deps;
    this.setTargets(targets);
  }

  /**
   * Forwards to these targets from now on (Settings changed them): a target kept keeps its queue,
   * a target removed stops and its waiting deliveries are not forwarded.
   */
  setTargets(targets: readonly URL[]): void {
    const hrefs = [...new Set(targets.map((target) => target.href))];
    for (const queue of this.#targets) if (!hrefs.includes(queue.target)) queue.stop();
    this.#targets = hrefs.map(
      (href) =>
        this.#targets.find((queue) => queue.target === href) ?? new TargetQueue(href, this.#deps),
    );
    this.#deps.onTargetsChanged?.();
  }

  forward(delivery: ForwardedDelivery): void {
    const headers: Record<string, string> = {};
    for (const name of META_HEADERS) {
      const value = delivery.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    for (const target of this.#targets) target.push({ ...delivery, headers });
  }

  /** Per target: deliveries waiting, and how many the capped queue dropped. */
  get state(): { target: string; queued: number; dropped: number }[] {
    return this.#targets.map((target) => target.state);
  }

  /** Resolves once every queue is empty (tests, and a graceful stop). */
  idle(): Promise<void> {
    return Promise.all(this.#targets.map((target) => target.idle())).then(() => undefined);
  }

  /** Stops retrying; whatever is still queued is not forwarded. */
  stop(): void {
    for (const target of this.#targets) target.stop();
  }
}

class TargetQueue {
  readonly #queue: ForwardedDelivery[] = [];
  #dropped = 0;
  #running: Promise<void> | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  /** The delivery being posted right now: never dropped, since it may already have arrived. */
  #posting: ForwardedDelivery | null = null;

  constructor(
    readonly target: string,
    readonly deps: ForwarderDeps,
  ) {}

  get state() {
    return { target: this.target, queued: this.#queue.length, dropped: this.#dropped };
  }

  push(delivery: ForwardedDelivery): void {
    if (this.#stopped) return;
    this.#queue.push(delivery);
    const limit = this.deps.queueLimit ?? FORWARD_QUEUE_LIMIT;
    while (this.#queue.length > limit) {
      const [dropped] = this.#queue.splice(this.#queue[0] === this.#posting ? 1 : 0, 1);
      this.#dropped++;
      if (dropped) this.#report(dropped, null, 'dropped: the forwarding queue was full', 0);
      this.deps.logger.warn('forwarding queue full; oldest delivery dropped', {
        target: this.target,
        dropped: this.#dropped,
      });
    }
    this.#running ??= this.#drain().finally(() => (this.#running = null));
  }

  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#wake?.();
  }

  async #drain(): Promise<void> {
    const backoff = this.deps.backoff ?? FORWARD_BACKOFF;
    while (!this.#stopped) {
      const delivery = this.#queue[0];
      if (!delivery) return;
      let attempts = 0;
      // A head dropped while it waited was already reported; the loop goes on with the new head.
      while (this.#queue[0] === delivery) {
        attempts++;
        this.#posting = delivery;
        const outcome = await this.#attempt(delivery);
        this.#posting = null;
        if (this.#stopped) return;
        if (this.#queue[0] !== delivery) break;
        if (!outcome.retry) {
          this.#queue.shift();
          this.#report(delivery, outcome.status, outcome.error, attempts);
          break;
        }
        if (attempts === 1)
          this.deps.logger.warn('forwarding target failing; retrying', {
            target: this.target,
            error: outcome.error,
          });
        const delay = Math.min(backoff.maxMs, backoff.firstMs * 2 ** (attempts - 1));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    }
  }

  async #attempt(
    delivery: ForwardedDelivery,
  ): Promise<{ retry: boolean; status: number | null; error: string | null }> {
    try {
      const response = await this.deps.fetch(this.target, {
        method: 'POST',
        headers: delivery.headers,
        // A copy on an ArrayBuffer of its own, as fetch's body types want; the bytes are the same.
        body: Uint8Array.from(delivery.body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      const retry = response.status >= 500 || response.status === 429;
      const error = response.ok ? null : `HTTP ${response.status}`;
      return { retry, status: response.status, error };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { retry: true, status: null, error: cause ?? String(error) };
    }
  }

  #report(
    delivery: ForwardedDelivery,
    status: number | null,
    error: string | null,
    attempts: number,
  ) {
    this.deps.onResult({
      deliveryId: delivery.id,
      target: this.target,
      status,
      error,
      attempts,
      at: this.deps.now(),
    });
  }
}
