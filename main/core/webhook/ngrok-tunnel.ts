import type { FailureReason } from '../../../shared/domain/failure-reason';
import { detail } from '../../../shared/domain/localized-text';
import type { TunnelProvider, TunnelSession } from '../ports';

/** The SDK's forward() never times out against a silent server: it is still pending minutes later. */
export const TUNNEL_CONNECT_TIMEOUT_MS = 15_000;

/**
 * The real tunnel: @ngrok/ngrok forwarding to the loopback webhook listener. The native addon is
 * imported lazily so that nothing pays for it unless a tunnel is actually opened.
 */
export const ngrokTunnel: TunnelProvider = {
  async open({
    localPort,
    authtoken,
    domain,
    onDisconnected,
    onReconnected,
  }): Promise<TunnelSession> {
    const ngrok = await import('@ngrok/ngrok');
    const forwarding = ngrok.forward({
      addr: `127.0.0.1:${localPort}`,
      authtoken,
      ...(domain ? { domain } : {}),
      // The SDK restores dropped sessions itself and says so here ('closed' / 'connected').
      onStatusChange: (status: string) => {
        if (status === 'closed') onDisconnected?.('the session closed');
        else if (status === 'connected') onReconnected?.();
      },
    });
    const listener = await withTimeout(forwarding, TUNNEL_CONNECT_TIMEOUT_MS, () => {
      // If the SDK connects after we gave up, close that listener instead of leaking a public URL.
      void forwarding.then((late) => late.close()).catch(() => undefined);
    });
    const url = listener.url();
    if (url === null) {
      await listener.close();
      throw new TunnelNoPublicUrlError();
    }
    return { url, close: () => listener.close() };
  },
};

/** ngrok did not answer the connect in time; the keeper says so in the owner's words. */
export class TunnelTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`no answer from ngrok within ${seconds} s (is this machine online?)`);
  }
}

export class TunnelNoPublicUrlError extends Error {
  constructor() {
    super('ngrok opened a tunnel without a public URL');
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new TunnelTimeoutError(Math.round(ms / 1000)));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const DOMAIN_REFUSED =
  /ERR_NGROK_(313|314|320|354|7117|7118|15000)\b|domain is reserved|custom (sub)?domains?|custom hostname/i;

/**
 * Why a connect failed: the English sentence for logs and the CLI, and its catalogue key with
 * ngrok's own words as a separate technical detail (never the headline). ngrok reports every
 * failure with code 'GenericFailure', so its message and ERR_NGROK_ code are the only clues.
 * The order matters: ngrok's domain refusal (320) also mentions the authtoken, and
 * the session limit (108) arrives as an authentication failure.
 */
export function describeTunnelError(error: unknown, domain: string | null = null): FailureReason {
  if (error instanceof TunnelTimeoutError) {
    return {
      text: `Could not reach ngrok: ${error.message}. Check the internet connection.`,
      detail: detail('tunnelTimeout', { seconds: error.seconds }),
    };
  }
  if (error instanceof TunnelNoPublicUrlError) {
    return { text: `The tunnel failed: ${error.message}`, detail: detail('tunnelNoPublicUrl') };
  }
  const message = error instanceof Error ? error.message : String(error);
  const technical = { technical: message };
  if (/ERR_NGROK_108\b|simultaneous ngrok agent sessions/i.test(message)) {
    return {
      text: 'ngrok allows no more sessions for this authtoken: stop the other ngrok agent using it.',
      detail: detail('tunnelSessionLimit', technical),
    };
  }
  // Only a configured domain can be refused (another account's, or a plan without custom ones).
  if (domain !== null && DOMAIN_REFUSED.test(message)) {
    return {
      text: `ngrok refused the reserved domain ${domain}: check that it is reserved for the account of this authtoken.`,
      detail: detail('tunnelDomainRefused', { domain, ...technical }),
    };
  }
  if (/authtoken|authentication|ERR_NGROK_10[0-9]\b|ERR_NGROK_4018\b/i.test(message)) {
    return {
      text: 'ngrok refused the authtoken. Check it in your ngrok dashboard.',
      detail: detail('tunnelAuthtokenRefused', technical),
    };
  }
  if (/failed to connect session|dns|resolve|connect/i.test(message)) {
    return {
      text: `Could not reach ngrok: ${message}. Check the internet connection.`,
      detail: detail('tunnelUnreachable', technical),
    };
  }
  return { text: `The tunnel failed: ${message}`, detail: detail('tunnelFailed', technical) };
}
