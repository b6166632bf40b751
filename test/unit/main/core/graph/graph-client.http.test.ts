import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../../../main/core/graph/graph-client';
import { GraphError } from '../../../../../main/core/graph/graph-errors';
import { memoryLogger } from '../../../../fakes/logger';

/**
 * The same client over real sockets: what a Graph server on 127.0.0.1 observes, and what a request
 * that reached it but got no answer becomes (docs/platform.md#idempotency).
 */

const TOKEN = 'IGAAhttptesttoken123456';
const IG_ID = '17841405309211844';
const IGSID = '1284973601758392';

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string };
type Handler = (seen: Seen, res: ServerResponse) => void;

let server: Server | null = null;

async function startServer(handle: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      handle(request, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, seen };
}

afterEach(async () => {
  if (server === null) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = null;
});

function graphAt(baseUrl: string, timeoutMs = 300) {
  return createGraphClient({
    fetch: globalThis.fetch,
    graphUrl: baseUrl,
    tokenUrl: baseUrl,
    version: 'v24.0',
    timeoutMs,
    logger: memoryLogger(),
  });
}

const text = { kind: 'text', recipientId: IGSID, text: 'Yes! We have M in beige.' } as const;

describe('graph client over real HTTP', () => {
  it('sends the token in the header, JSON in the body, the version in the path', async () => {
    const { baseUrl, seen } = await startServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"recipient_id":"${IGSID}","message_id":"aWdfZAG1f"}`);
    });
    const result = await graphAt(baseUrl).sendMessage(TOKEN, IG_ID, text);
    expect(result).toEqual({ recipientId: IGSID, messageId: 'aWdfZAG1f' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: `/v24.0/${IG_ID}/messages` });
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body)).toEqual({
      recipient: { id: IGSID },
      message: { text: text.text },
    });
  });

  it('a send that reached the server but got no answer in time is outcome-unknown', async () => {
    const { baseUrl, seen } = await startServer(() => {
      // Accept the request and never answer, like Meta stalling after it took the message.
    });
    const started = Date.now();
    const error = await graphAt(baseUrl, 250)
      .sendMessage(TOKEN, IG_ID, text)
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(GraphError);
    const graphError = error as GraphError;
    expect(graphError.failure).toMatchObject({
      kind: 'outcome-unknown',
      reason: 'no-answer',
      requestSent: true,
    });
    expect(graphError.isRetryable).toBe(false);
    // The server did get the whole message: a blind resend would duplicate it.
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ message: { text: text.text } });
  });

  it('a body that stalls after the headers is outcome-unknown too', async () => {
    const { baseUrl } = await startServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"recipient_id":');
    });
    const error = await graphAt(baseUrl, 250)
      .sendMessage(TOKEN, IG_ID, text)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).failure).toMatchObject({
      kind: 'outcome-unknown',
      requestSent: true,
    });
  });

  it('a read that timed out may be repeated', async () => {
    const { baseUrl } = await startServer(() => {});
    const error = await graphAt(baseUrl, 200)
      .getMe(TOKEN)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).isRetryable).toBe(true);
  });

  it('a refused connection never sent anything: retryable even for a send', async () => {
    const { baseUrl } = await startServer(() => {});
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    const error = await graphAt(baseUrl)
      .sendMessage(TOKEN, IG_ID, text)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).failure).toMatchObject({
      kind: 'retryable',
      reason: 'network-unreachable',
      requestSent: false,
    });
  });

  it('posts the code exchange as a form to the token URL', async () => {
    const { baseUrl, seen } = await startServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        '{"access_token":"IGAAshort","user_id":26893745620197403,"permissions":"instagram_business_basic"}',
      );
    });
    const result = await graphAt(baseUrl).exchangeCode({
      appId: '99',
      appSecret: 's3cret',
      redirectUri: 'https://x.test/cb',
      code: 'AQB#_',
    });
    expect(result.userId).toBe('26893745620197403');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/oauth/access_token' });
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(seen[0]!.body).get('code')).toBe('AQB');
  });
});
