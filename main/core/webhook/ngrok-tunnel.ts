import type { TunnelProvider, TunnelSession } from '../ports';

/** The SDK's forward() never times out against a silent server (TOOLCHAIN.md #6). */
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
      throw new Error('ngrok opened a tunnel without a public URL');
    }
    return { url, close: () => listener.close() };
  },
};

export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(
        new Error(
          `no answer from ngrok within ${Math.round(ms / 1000)} s (is this machine online?)`,
        ),
      );
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

/** ngrok reports every failure with code 'GenericFailure'; its message is the only clue (TOOLCHAIN #6). */
export function describeTunnelError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/authtoken|authentication|ERR_NGROK_10[0-9]{1}/i.test(message)) {
    return 'ngrok refused the authtoken. Check it in your ngrok dashboard.';
  }
  if (/failed to connect session|dns|resolve|connect/i.test(message)) {
    return `Could not reach ngrok: ${message}. Check the internet connection.`;
  }
  return `The tunnel failed: ${message}`;
}
