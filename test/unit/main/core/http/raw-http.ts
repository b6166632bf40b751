import { connect } from 'node:net';
import { expect } from 'vitest';

export type RawAnswer = { status: number | null; head: string; closed: boolean };

/** Sends raw bytes (malformed on purpose) and reads until the server closes or answers in full. */
export function rawExchange(port: number, bytes: string | Buffer): Promise<RawAnswer> {
  return openRawSender(port, bytes).answer;
}

/**
 * A connection that has sent `firstBytes` and may send more later (a sender holding part of its
 * body back); `answer` settles when the server closes the connection.
 */
export function openRawSender(
  port: number,
  firstBytes: string | Buffer,
): { answer: Promise<RawAnswer>; send(bytes: string | Buffer): void } {
  const socket = connect(port, '127.0.0.1');
  const answer = new Promise<RawAnswer>((resolve) => {
    let text = '';
    const settle = (closed: boolean): void => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({
        status: match ? Number(match[1]) : null,
        head: text.split('\r\n\r\n')[0] ?? '',
        closed,
      });
    };
    let probed = false;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (probed) {
        // The probe was answered: the server kept the connection.
        if (text.indexOf('HTTP/1.1 ', end) > 0) {
          socket.destroy();
          settle(false);
        }
        return;
      }
      const head = text.slice(0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      // A complete answer that does not announce a close: ask again on the same connection; a
      // server that closes it anyway never answers the probe.
      if (text.length - end - 4 >= length && !/\r\nconnection: *close/i.test(head)) {
        probed = true;
        socket.write('GET / HTTP/1.1\r\nHost: probe\r\n\r\n', () => undefined);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => settle(true));
  });
  const send = (bytes: string | Buffer): void => {
    if (!socket.destroyed) socket.write(bytes, () => undefined);
  };
  send(firstBytes);
  return { answer, send };
}

/** A request no listener may die of, and the answer it must get (null: closed unanswered). */
export type HostileCase = { request: string | Buffer; status: number | null };

const CRLF = '\r\n';
const requestHead = (lines: string[]): string => `${lines.join(CRLF)}${CRLF}${CRLF}`;

/**
 * Requests every guarded listener refuses the same way, whatever its routes: Node's parser
 * (malformed lines, methods, headers, lengths and chunked encodings, oversized heads), or the
 * guard's target check (not origin-form, undecodable, NUL, backslashes, path climbing). `path` is
 * one of the listener's real routes and `host` a Host it accepts, so only the fault is refused.
 * Broken chunked bodies are only seen by a route that reads its body (`readsBody`); any other
 * answers before the parser reaches them.
 */
export function hostileRequests(path: string, host: string, readsBody: boolean): HostileCase[] {
  const get = (target: string, ...extra: string[]) =>
    requestHead([`GET ${target} HTTP/1.1`, `Host: ${host}`, ...extra, 'Connection: close']);
  const post = (headers: string[], body: string) =>
    `${requestHead([`POST ${path} HTTP/1.1`, `Host: ${host}`, 'Content-Type: application/json', ...headers])}${body}`;
  const brokenBodies: HostileCase[] = [
    {
      request: post(['Transfer-Encoding: chunked'], `zz${CRLF}abc${CRLF}0${CRLF}${CRLF}`),
      status: 400,
    },
    {
      request: post(['Transfer-Encoding: chunked'], `ffffffffffffffffffff${CRLF}abc${CRLF}`),
      status: 400,
    },
    { request: post(['Transfer-Encoding: chunked'], `-1${CRLF}${CRLF}`), status: 400 },
    {
      request: post(['Transfer-Encoding: chunked'], `3${CRLF}abcXX${CRLF}0${CRLF}${CRLF}`),
      status: 400,
    },
  ];
  return [
    ...(readsBody ? brokenBodies : []),
    // Targets the guard refuses before any handler runs.
    { request: get('*'), status: 400 },
    { request: get('http://evil.example/'), status: 400 },
    { request: get(`${path}/%zz`), status: 400 },
    { request: get(`${path}/a%00b`), status: 400 },
    { request: get(`${path}/a\0b`), status: 400 },
    { request: get('/..\\..\\etc\\passwd'), status: 400 },
    { request: get('/../../etc/passwd'), status: 400 },
    { request: get('/%2e%2e/%2e%2e/etc/passwd'), status: 400 },
    { request: get(`${path}/..%2f..%2fetc`), status: 400 },
    { request: requestHead(['OPTIONS * HTTP/1.1', `Host: ${host}`]), status: 400 },
    // Request lines and methods Node's parser refuses.
    { request: requestHead([`BREW ${path} HTTP/1.1`, `Host: ${host}`]), status: 400 },
    { request: requestHead([`get ${path} HTTP/1.1`, `Host: ${host}`]), status: 400 },
    { request: requestHead([`GET ${path} HTTP/9.9`]), status: 400 },
    { request: requestHead(['GARBAGE']), status: 400 },
    { request: requestHead([`GET ${path} HTTP/1.1`]), status: 400 }, // HTTP/1.1 without Host
    { request: requestHead(['CONNECT evil.example:443 HTTP/1.1', `Host: ${host}`]), status: null },
    // Headers.
    {
      request: requestHead([`GET ${path} HTTP/1.1`, `Host: ${host}`, 'no colon here']),
      status: 400,
    },
    { request: get(`/${'a'.repeat(20_000)}`), status: 431 },
    { request: get(path, `X-Big: ${'b'.repeat(20_000)}`), status: 431 },
    {
      request: get(path, ...Array.from({ length: 3000 }, (_, i) => `X-${i}: v`)),
      status: 431,
    },
    // Lengths and chunked encodings.
    { request: post(['Content-Length: 5', 'Content-Length: 6'], 'hello'), status: 400 },
    { request: post(['Content-Length: -1'], ''), status: 400 },
    { request: post(['Content-Length: 99999999999999999999999'], '{'), status: 400 },
    {
      request: post(['Content-Length: 3', 'Transfer-Encoding: chunked'], `0${CRLF}${CRLF}`),
      status: 400,
    },
    { request: post(['Transfer-Encoding: chunked, gzip'], `0${CRLF}${CRLF}`), status: 400 },
    {
      request: post(
        ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'],
        `0${CRLF}${CRLF}`,
      ),
      status: 400,
    },
    {
      request: requestHead([
        'DELETE /%zz HTTP/1.1',
        `Host: ${host}`,
        'Content-Length: 10737418240',
      ]),
      status: 400,
    },
  ];
}

/**
 * Sends each hostile request on its own connection and checks its exact answer, and that the
 * connection was closed rather than kept for more.
 */
export async function expectHostileRequestsRefused(
  port: number,
  path: string,
  host: string,
  options: { readsBody: boolean },
): Promise<void> {
  for (const { request, status } of hostileRequests(path, host, options.readsBody)) {
    const answer = await rawExchange(port, request);
    const label = request.toString('latin1').slice(0, 60);
    expect(answer.status, label).toBe(status);
    expect(answer.closed, label).toBe(true);
  }
}

/**
 * Slow senders against a listener started with short deadlines: one that never finishes its
 * headers, and (where a route reads its body) one that never finishes the body it declared. Each
 * must get 408 and a closed connection (the test waits on that, not on a clock).
 */
export async function expectSlowSendersCut(
  port: number,
  path: string,
  host: string,
  options: { readsBody: boolean },
): Promise<void> {
  const partials = [`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n`];
  if (options.readsBody)
    partials.push(
      `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
    );
  for (const partial of partials) {
    const answer = await rawExchange(port, partial);
    expect(answer.status).toBe(408);
    expect(answer.closed).toBe(true);
  }
}
