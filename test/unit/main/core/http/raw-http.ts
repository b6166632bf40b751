import { connect } from 'node:net';

export type RawAnswer = { status: number | null; head: string; closed: boolean };

/** Sends raw bytes (malformed on purpose) and reads until the server closes or answers in full. */
export function rawExchange(port: number, bytes: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (closed: boolean) => {
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({
        status: match ? Number(match[1]) : null,
        head: text.split('\r\n\r\n')[0] ?? '',
        closed,
      });
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done(true));
    socket.write(bytes, () => undefined);
  });
}

/** Requests no listener may die of: bad targets, methods, headers and chunked encodings. */
export const MALFORMED_REQUESTS: string[] = [
  'GET //x:99999/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  'GET //[ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  'GET * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  'GET http://evil.example/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  'GET /%zz%00 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
  `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`,
  'BREW /webhook HTTP/1.1\r\nHost: a\r\n\r\n',
  'get /webhook HTTP/1.1\r\nHost: a\r\n\r\n',
  'GET /webhook HTTP/9.9\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'GET /webhook HTTP/1.1\r\nno colon here\r\n\r\n',
  `GET /webhook HTTP/1.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{',
  'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 10737418240\r\n\r\n{',
  'DELETE //[ HTTP/1.1\r\nHost: a\r\nContent-Length: 10737418240\r\n\r\n',
];
