import { detail } from '../../../shared/domain/localized-text';
import type { AppStatus } from '../../../shared/domain/schemas';
import type { InletConfig } from '../config';
import type { Clock, Logger, TunnelProvider } from '../ports';
import { TunnelKeeper } from './tunnel-keeper';

export const TUNNEL_OFF: AppStatus['tunnel'] = {
  state: 'off',
  error: null,
  retryAt: null,
};

/** How long the checks after a wake wait for the tunnel; ngrok connects in a second or two. */
export const WAKE_TUNNEL_TIMEOUT_MS = 20_000;

export type PublicAddressOptions = {
  provider: TunnelProvider;
  clock: Clock;
  logger: Logger;
  /** The tunnel's state or URL changed: the status strip should hear of it. */
  onChange: () => void;
  /**
   * Online after being offline (connecting at start, a drop, a failed connect): Meta could not
   * deliver in between.
   */
  onBackOnline: () => void;
};

/**
 * Meta's way in to this machine: the tunnel to the local webhook listener, its state as the status
 * strip shows it, and the public https URL while it is up.
 */
export class PublicAddress {
  readonly #options: PublicAddressOptions;
  #keeper: TunnelKeeper | null = null;
  #status: AppStatus['tunnel'] = TUNNEL_OFF;
  #url: string | null = null;

  constructor(options: PublicAddressOptions) {
    this.#options = options;
  }

  /** The public https base URL, null while the tunnel is not online. */
  get url(): string | null {
    return this.#url;
  }

  get status(): AppStatus['tunnel'] {
    return this.#status;
  }

  /** Opens the tunnel to `localPort`, or says why there is none (no ngrok authtoken). */
  start(ngrok: InletConfig['ngrok'], localPort: number | null): void {
    const { provider, clock, logger, onChange, onBackOnline } = this.#options;
    if (!ngrok || localPort === null) {
      this.#status = {
        state: 'off',
        error: {
          text: 'No ngrok authtoken configured (INLET_NGROK_AUTHTOKEN): Meta cannot reach this machine.',
          detail: detail('tunnelNotConfigured'),
        },
        retryAt: null,
      };
      onChange();
      return;
    }
    let wasOffline = false;
    this.#keeper = new TunnelKeeper({
      provider,
      localPort,
      authtoken: ngrok.authtoken,
      domain: ngrok.domain,
      logger,
      now: () => clock.now(),
      onChange: (state) => {
        if (state.state === 'online' && wasOffline) onBackOnline();
        wasOffline = state.state !== 'online';
        const { error, retryAt } = state;
        this.#status = { state: state.state, error, retryAt };
        this.#url = state.url;
        onChange();
      },
    });
    this.#keeper.start();
  }

  /**
   * The machine woke: reconnect now if the tunnel was waiting to retry; resolves once it is
   * online, failed again or `timeoutMs` passed (at once where there is no tunnel).
   */
  async woke(timeoutMs = WAKE_TUNNEL_TIMEOUT_MS): Promise<void> {
    await this.#keeper?.woke(timeoutMs);
  }

  /**
   * Drops the tunnel and opens it again (the health checks' repair for a tunnel gone wrong);
   * resolves once it is online or has failed again, so the report that follows says which.
   */
  async restart(ngrok: InletConfig['ngrok'], localPort: number | null): Promise<void> {
    await this.stop();
    this.start(ngrok, localPort);
    await this.woke();
  }

  /** Closes the tunnel; the state reads "off" again. */
  async stop(): Promise<void> {
    const keeper = this.#keeper;
    this.#keeper = null;
    await keeper?.stop();
    this.#status = TUNNEL_OFF;
    this.#url = null;
  }
}
