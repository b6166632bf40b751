import { SIGNATURE_WINDOW_MS } from './checks';

/** Which secret signed the deliveries: the order `secrets()` gives them to the listener. */
export const SIGNING_SECRETS = ['instagram', 'meta'] as const;
export type SigningSecret = (typeof SIGNING_SECRETS)[number];

/**
 * What the listener's signature checks found, for the health check: deliveries refused in the
 * last hour, and which secret the last accepted one matched.
 */
export class SignatureLog {
  readonly #now: () => number;
  #refusedAt: number[] = [];
  #lastMatched: SigningSecret | null = null;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** `matched` is the index of the secret that matched, or -1 for a refused delivery. */
  record(matched: number): void {
    if (matched >= 0) {
      this.#lastMatched = SIGNING_SECRETS[matched] ?? null;
      return;
    }
    const now = this.#now();
    this.#refusedAt = this.#refusedAt.filter((at) => at > now - SIGNATURE_WINDOW_MS);
    this.#refusedAt.push(now);
  }

  refusalsSince(since: number): number {
    return this.#refusedAt.filter((at) => at >= since).length;
  }

  get lastMatched(): SigningSecret | null {
    return this.#lastMatched;
  }
}
