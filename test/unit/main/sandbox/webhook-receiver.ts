import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A tiny real webhook endpoint on 127.0.0.1:0 standing in for Inlet's listener: answers Meta's
 * verification GET, records every POST's raw bytes, and lets a test await a matching delivery.
 */
export type ReceivedPost = {
  raw: Buffer;
  text: string;
  headers: IncomingHttpHeaders;
  json: WebhookBody;
};
export type MessagingEvent = {
  sender?: { id: string };
  recipient?: { id: string };
  timestamp: number;
  message?: {
    mid: string;
    text?: string;
    is_echo?: boolean;
    is_deleted?: boolean;
    attachments?: { type: string; payload?: Record<string, unknown> }[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};
export type ChangeEvent = { field: string; value: Record<string, unknown> };
export type WebhookBody = {
  object: string;
  entry: {
    id: string;
    time: number;
    messaging?: MessagingEvent[];
    changes?: ChangeEvent[];
    standby?: MessagingEvent[];
  }[];
};

export async function startReceiver(options: { verifyToken: string }) {
  const posts: ReceivedPost[] = [];
  const waiters: {
    predicate: (post: ReceivedPost) => boolean;
    resolve: (post: ReceivedPost) => void;
  }[] = [];
  /** Statuses to answer the next POSTs with (then 200). */
  const statusQueue: number[] = [];
  let echoChallenge: (challenge: string) => string = (challenge) => challenge;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET') {
        const ok =
          url.searchParams.get('hub.mode') === 'subscribe' &&
          url.searchParams.get('hub.verify_token') === options.verifyToken;
        res.writeHead(ok ? 200 : 403, { 'Content-Type': 'text/plain' });
        res.end(ok ? echoChallenge(url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
        return;
      }
      const raw = Buffer.concat(chunks);
      const post: ReceivedPost = {
        raw,
        text: raw.toString('utf8'),
        headers: req.headers,
        json: JSON.parse(raw.toString('utf8')) as WebhookBody,
      };
      const status = statusQueue.shift() ?? 200;
      res.writeHead(status).end();
      if (status !== 200) return;
      posts.push(post);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(post)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(post);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    url,
    posts,
    statusQueue,
    setChallengeEcho(fn: (challenge: string) => string) {
      echoChallenge = fn;
    },
    /** Resolves with the first accepted POST (past or future) that matches. */
    waitFor(predicate: (post: ReceivedPost) => boolean): Promise<ReceivedPost> {
      const past = posts.find(predicate);
      if (past) return Promise.resolve(past);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Verifies X-Hub-Signature-256 independently of the emulator (docs/platform.md#signatures). */
export function hasValidSignature(post: ReceivedPost, secret: string): boolean {
  const header = String(post.headers['x-hub-signature-256'] ?? '');
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(post.raw).digest('hex')}`,
  );
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function manualClock(start = Date.UTC(2026, 2, 18, 14, 0, 0)) {
  let now = start;
  return { now: () => now, set: (ms: number) => void (now = ms) };
}

export function messagingOf(post: ReceivedPost): MessagingEvent[] {
  return post.json.entry.flatMap((entry) => entry.messaging ?? []);
}
