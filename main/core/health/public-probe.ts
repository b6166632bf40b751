import { randomUUID } from 'node:crypto';
import type { Fetch } from '../ports';
import type { PublicRouteHandler } from '../webhook/webhook-server';

export const PROBE_PATH = '/inlet-health/';
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Proves the way in from the internet: a request sent to the public address must come back to
 * this listener carrying a nonce only this run knows. Unknown nonces are a 404, so the route tells
 * a stranger nothing.
 */
export class PublicProbe {
  readonly #fetch: Fetch;
  readonly #pending = new Set<string>();

  constructor(fetch: Fetch) {
    this.#fetch = fetch;
  }

  readonly handler: PublicRouteHandler = (_request, response, url) => {
    const nonce = url.pathname.slice(PROBE_PATH.length);
    const known = this.#pending.has(nonce);
    response.writeHead(known ? 200 : 404, { 'Content-Type': 'text/plain' });
    response.end(known ? nonce : 'Not found');
  };

  async reach(publicUrl: string): Promise<boolean> {
    const nonce = randomUUID();
    this.#pending.add(nonce);
    try {
      const response = await this.#fetch(`${publicUrl.replace(/\/+$/, '')}${PROBE_PATH}${nonce}`, {
        // ngrok's free tier puts a warning page before browser-like requests.
        headers: { 'ngrok-skip-browser-warning': '1' },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      return response.ok && (await response.text()) === nonce;
    } finally {
      this.#pending.delete(nonce);
    }
  }
}

/** Instagram's idea of now, from the `Date` header of its API host; null when it gave none. */
export async function remoteTime(fetch: Fetch, graphUrl: string): Promise<number | null> {
  const response = await fetch(graphUrl, {
    method: 'HEAD',
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? null : date;
}
