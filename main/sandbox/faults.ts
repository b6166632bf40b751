/**
 * Failures a test (or a curious user) can inject through `POST /_emulator/faults`. Each counter is
 * consumed by the next matching request or delivery, so a test states exactly what goes wrong.
 */
export type SendFailure = {
  code: number;
  subcode?: number;
  httpStatus?: number;
  message?: string;
  /**
   * The BUC header's `estimated_time_to_regain_access` on rate limits (minutes,
   * docs/platform.md#usage-headers); default 5.
   */
  regainAccessMinutes?: number;
};

export type FaultSettings = {
  sendFailures?: SendFailure & { count: number };
  /** Added before every Graph and OAuth answer (not the admin API). */
  latencyMs?: number;
  /** The next n webhook deliveries are never sent (the gaps of docs/platform.md#delivery). */
  dropDeliveries?: number;
  /**
   * The next n delivery attempts (retries included) fail without reaching the callback, as when
   * the machine behind it sleeps: Meta retries them and counts them towards dropping the
   * subscription (docs/platform.md#delivery).
   */
  unreachableDeliveries?: number;
  /**
   * The next n webhook deliveries are sent twice (duplicates are expected,
   * docs/platform.md#delivery).
   */
  duplicateDeliveries?: number;
  /**
   * The next n sends are accepted (stored, echoed) but the connection is cut before any answer:
   * the "request left, no answer came back" case of docs/platform.md#idempotency.
   */
  timeoutSends?: number;
  /**
   * The next n sends reach the emulator but the connection is cut before it processes them: nothing
   * is stored or echoed. From Inlet's side this looks exactly like `timeoutSends`
   * (docs/platform.md#idempotency), which is why a send of unknown outcome must be checked, not
   * assumed delivered.
   */
  lostSends?: number;
};

export class Faults {
  private settings: Required<Omit<FaultSettings, 'sendFailures'>> & {
    sendFailures: FaultSettings['sendFailures'];
  } = Faults.none();

  private static none() {
    return {
      sendFailures: undefined,
      latencyMs: 0,
      dropDeliveries: 0,
      unreachableDeliveries: 0,
      duplicateDeliveries: 0,
      timeoutSends: 0,
      lostSends: 0,
    };
  }

  /** Replaces every fault: what you post is the whole new fault set. */
  set(next: FaultSettings): void {
    this.settings = { ...Faults.none(), ...next };
  }

  snapshot(): FaultSettings {
    return { ...this.settings };
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  takeSendFailure(): SendFailure | null {
    const failure = this.settings.sendFailures;
    if (!failure || failure.count <= 0) return null;
    failure.count -= 1;
    return failure;
  }

  takeDrop(): boolean {
    return this.take('dropDeliveries');
  }

  takeUnreachable(): boolean {
    return this.take('unreachableDeliveries');
  }

  takeDuplicate(): boolean {
    return this.take('duplicateDeliveries');
  }

  takeTimeout(): boolean {
    return this.take('timeoutSends');
  }

  takeLostSend(): boolean {
    return this.take('lostSends');
  }

  private take(
    key:
      | 'dropDeliveries'
      | 'unreachableDeliveries'
      | 'duplicateDeliveries'
      | 'timeoutSends'
      | 'lostSends',
  ): boolean {
    if (this.settings[key] <= 0) return false;
    this.settings[key] -= 1;
    return true;
  }
}
