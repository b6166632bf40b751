import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { answerPage } from '../http/answer-page';

/**
 * Forwards a request that reached the public listener (through the tunnel) to the one-shot login
 * listener on 127.0.0.1, unchanged: same path, query and Host header. Keeping the Host is what
 * keeps the login listener's Host check meaningful; a request for another host is still refused
 * there.
 */
export function forwardToLogin(
  request: IncomingMessage,
  response: ServerResponse,
  localCallbackUrl: string,
): Promise<void> {
  const target = new URL(localCallbackUrl);
  return new Promise((resolve) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        // Either side may hang up mid-answer; pipeline ends both without an unhandled error.
        pipeline(answer, response).then(resolve, () => resolve());
      },
    );
    upstream.on('error', () => {
      // The login finished (and closed its listener) between the lookup and the request, or the
      // browser went away while its request was forwarded.
      if (!response.headersSent) noLoginPage(response);
      else response.destroy();
      resolve();
    });
    pipeline(request, upstream).catch(() => undefined); // its failure reaches upstream's 'error'
  });
}

/** What the browser shows when no login is waiting (finished, timed out, never started). */
export function noLoginPage(response: ServerResponse): void {
  answerPage(
    response,
    404,
    'No login is waiting',
    'Inlet is not waiting for an Instagram login right now. Start the connection again from Inlet.',
  );
}

/**
 * Hands a redirect caught by the login window to the one-shot listener as the browser would have
 * delivered it: same query, and the registered URI's Host, which the listener accepts. The `#_`
 * Instagram appends is a fragment and never sent (docs/platform.md#oauth).
 */
export function deliverCapturedRedirect(
  localCallbackUrl: string,
  capturedUrl: string,
): Promise<number> {
  const target = new URL(localCallbackUrl);
  const captured = new URL(capturedUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: 'GET',
        path: `${target.pathname}${captured.search}`,
        headers: { host: captured.host },
      },
      (answer) => {
        answer.resume();
        answer.on('end', () => resolve(answer.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end();
  });
}
