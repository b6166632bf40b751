/**
 * The ingest bench's load: `connections` keep-alive HTTP/1.1 sockets on loopback, each sending a
 * POST, waiting for its whole response, then sending the next (a closed loop, as Meta's delivery
 * does per connection), until `seconds` have passed or, if given, `requests` have been sent.
 *
 * Why not autocannon (used before): every delivery must be distinct — a fresh mid, signed — so that
 * lost and duplicated events can be counted, and autocannon rebuilds such a request through its
 * generic builder each time, ~25 µs of CPU here. On 2 cores that capped the measurable rate near
 * 40k req/s even against a receiver that stores nothing: the very region the 1.5× target lies in.
 * Here a request costs a string concatenation (and the caller's HMAC), so the load generator stays
 * out of the measurement. Responses must carry Content-Length (every receiver measured does).
 */
import { connect } from 'node:net';

export type LoadRequest = {
  body: string;
  headers: Readonly<Record<string, string>>;
  /** Told the status of this request's response. */
  onStatus: (status: number) => void;
};

export type LoadResult = {
  requests: number;
  seconds: number;
  /** From writing a request to reading the last byte of its response. */
  latencyMs: { p50: number; p99: number };
  /** Responses by status code. */
  statuses: Map<number, number>;
  /** Connections that failed (refused, reset, or a response that could not be read). */
  errors: number;
};

const HEADER_END = Buffer.from('\r\n\r\n');

export async function runLoad(options: {
  port: number;
  connections: number;
  seconds: number;
  /** Stops sending after this many requests in all (a fixed burst); default: no limit. */
  requests?: number;
  next: () => LoadRequest;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let left = options.requests ?? Infinity;
  const next = () => (left-- > 0 ? options.next() : null);
  const record = (status: number, latencyMs: number) => {
    latencies.push(latencyMs);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };
  await Promise.all(
    Array.from({ length: options.connections }, () =>
      connection(options.port, deadline, next, record).catch(() => {
        errors += 1;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (quantile: number) => latencies[Math.floor((latencies.length - 1) * quantile)] ?? 0;
  return {
    requests: latencies.length,
    seconds,
    latencyMs: { p50: at(0.5), p99: at(0.99) },
    statuses,
    errors,
  };
}

/** One connection's loop: resolves at the deadline, rejects if the exchange breaks. */
function connection(
  port: number,
  deadline: number,
  next: () => LoadRequest | null,
  record: (status: number, latencyMs: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let received: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let current: LoadRequest | null = null;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const send = () => {
      current = performance.now() < deadline ? next() : null;
      if (!current) {
        socket.end(resolve);
        return;
      }
      const body = Buffer.from(current.body);
      let head = `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${body.length}\r\n`;
      for (const [name, value] of Object.entries(current.headers)) head += `${name}: ${value}\r\n`;
      sentAt = performance.now();
      socket.write(Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]));
    };
    socket.once('connect', send);
    socket.on('error', fail);
    socket.on('close', () => {
      if (current) fail(new Error('the receiver closed the connection mid-request'));
    });
    socket.on('data', (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const head = received.subarray(0, headerEnd).toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (length === undefined) return fail(new Error('a response without Content-Length'));
      const end = headerEnd + HEADER_END.length + Number(length);
      if (received.length < end) return;
      if (received.length > end) return fail(new Error('bytes after a response nobody asked for'));
      received = Buffer.alloc(0);
      const status = Number(head.slice('HTTP/1.1 '.length, 'HTTP/1.1 '.length + 3));
      record(status, performance.now() - sentAt);
      current?.onStatus(status);
      send();
    });
  });
}
