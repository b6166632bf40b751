import type { Fetch } from '../../../../../main/core/ports';

/** What the Graph side observes of one request. */
export type SeenRequest = { method: string; url: URL; headers: Headers; body: string | null };

type Responder = (request: SeenRequest) => Response | Promise<Response>;

/** A `fetch` that records every request and answers with the next responder (the last one repeats). */
export function fakeFetch(...responders: Responder[]): { fetch: Fetch; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const fetch: Fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init?.body;
    const seen: SeenRequest = {
      method: init?.method ?? 'GET',
      url,
      headers: new Headers(init?.headers),
      body: typeof body === 'string' ? body : body == null ? null : '<non-string body>',
    };
    const responder = responders[Math.min(requests.length, responders.length - 1)];
    requests.push(seen);
    if (responder === undefined) throw new Error('fakeFetch has no responder');
    return responder(seen);
  };
  return { fetch, requests };
}

/** A JSON response; pass a string to send raw text (byte-exact Meta bodies, non-JSON errors). */
export function reply(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Responder {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return () =>
    new Response(text, {
      status: init.status ?? 200,
      headers: { 'content-type': 'application/json', ...init.headers },
    });
}

/** A fetch rejection as undici produces it: `TypeError('fetch failed')` with a coded cause. */
export function fetchFailed(code: string): Responder {
  return () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
  };
}
