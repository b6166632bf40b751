import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_BYTES, WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { signBody } from '../../../../../main/core/webhook/signature';
import { memoryLogger } from '../../../../fakes/logger';
import { textMessageBody } from '../../../../fakes/webhook-bodies';

const SECRET = 'app-secret';
let server: WebhookServer | null = null;

function webhookServer(
  onDelivery: (body: Uint8Array) => Promise<void> | void = () => undefined,
  secrets: readonly string[] = [SECRET],
  logger = memoryLogger(),
) {
  return new WebhookServer({
    port: 0,
    secrets: () => secrets,
    verifyToken: () => 'verify-me',
    onDelivery,
    logger,
  });
}

async function startServer(onDelivery?: (body: Uint8Array) => Promise<void> | void) {
  const logger = memoryLogger();
  server = webhookServer(onDelivery, [SECRET], logger);
  await server.start();
  return { url: server.url ?? '', logger };
}

afterEach(async () => {
  await server?.stop();
  server = null;
});

function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body, headers });
}

describe('WebhookServer', () => {
  it('listens on loopback only', async () => {
    const { url } = await startServer();
    expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('gives replays its own URL and first secret, and none before it listens or without a secret', async () => {
    expect(webhookServer().replayTarget).toBeNull();
    const { url } = await startServer();
    expect(server?.replayTarget).toEqual({ url, secret: SECRET });

    const unsigned = webhookServer(undefined, ['', 'meta-app-secret']);
    await unsigned.start();
    expect(unsigned.replayTarget).toBeNull();
    await unsigned.stop();
  });

  it('answers the verification handshake with the raw challenge', async () => {
    const { url } = await startServer();
    const ok = await fetch(
      `${url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${url}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope`);
    expect(wrong.status).toBe(403);
    const noMode = await fetch(`${url}?hub.challenge=1&hub.verify_token=verify-me`);
    expect(noMode.status).toBe(403);
  });

  it('refuses a handshake without a query, and treats a query on a POST like the bare path', async () => {
    const stored: string[] = [];
    const { url } = await startServer((body) => void stored.push(Buffer.from(body).toString()));
    expect((await fetch(url)).status).toBe(403);
    const body = '{"object":"instagram","entry":[]}';
    const headers = { 'Content-Type': 'application/json' };
    const unsigned = await post(`${url}?from=meta`, body, headers);
    expect(unsigned.status).toBe(401);
    const signed = await post(`${url}?from=meta`, body, {
      ...headers,
      'X-Hub-Signature-256': signBody(body, SECRET),
    });
    expect(signed.status).toBe(200);
    expect(stored).toEqual([body]);
  });

  it('stores a correctly signed delivery before answering 200', async () => {
    const stored: string[] = [];
    let storedBeforeAck = false;
    const { url } = await startServer(async (body) => {
      await new Promise((resolve) => setImmediate(resolve));
      stored.push(Buffer.from(body).toString());
      storedBeforeAck = true;
    });
    const body = textMessageBody({ mid: 'm1', text: 'Hi ✨' });
    const response = await post(url, body, {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(body, SECRET),
    });
    expect(storedBeforeAck).toBe(true);
    expect(response.status).toBe(200);
    expect(stored).toEqual([body]);
    // A declared length, not chunked: the whole reply is one small write.
    expect(response.headers.get('content-length')).toBe('14');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(await response.text()).toBe('EVENT_RECEIVED');
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const stored: Uint8Array[] = [];
    const { url, logger } = await startServer((body) => void stored.push(body));
    const body = textMessageBody({ mid: 'm1', text: 'Hi' });
    const response = await post(url, body, {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(body, 'wrong-secret'),
    });
    expect(response.status).toBe(401);
    const unsigned = await post(url, body, { 'Content-Type': 'application/json' });
    expect(unsigned.status).toBe(401);
    expect(stored).toEqual([]);
    expect(JSON.stringify(logger.lines)).not.toContain(signBody(body, 'wrong-secret'));
  });

  it('answers 503 when the delivery cannot be stored, so Meta retries', async () => {
    const { url } = await startServer(() => {
      throw new Error('disk full');
    });
    const body = textMessageBody({ mid: 'm1', text: 'Hi' });
    const response = await post(url, body, {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(body, SECRET),
    });
    expect(response.status).toBe(503);
  });

  it('refuses wrong content types, methods and paths', async () => {
    const { url } = await startServer();
    const body = textMessageBody({ mid: 'm1', text: 'Hi' });
    const form = await post(url, body, {
      'Content-Type': 'text/plain',
      'X-Hub-Signature-256': signBody(body, SECRET),
    });
    expect(form.status).toBe(415);
    expect((await fetch(url, { method: 'PUT', body })).status).toBe(405);
    expect((await fetch(url.replace('/webhook', '/other'))).status).toBe(404);
  });

  it('refuses an oversized body with 413 without storing it', async () => {
    const stored: Uint8Array[] = [];
    const { url } = await startServer((body) => void stored.push(body));
    const big = Buffer.alloc(MAX_WEBHOOK_BYTES + 10, 'a');
    const declared = await post(url, big, {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': signBody(big, SECRET),
    });
    expect(declared.status).toBe(413);
    // Chunked upload without a Content-Length: the limit is enforced while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i += 1) req.write(Buffer.alloc(MAX_WEBHOOK_BYTES / 4, 'b'));
      req.end();
    });
    expect(status).toBe(413);
    expect(stored).toEqual([]);
  });

  it('start and stop are idempotent, and a busy port gets a clear error', async () => {
    const { url } = await startServer();
    await server?.start();
    const port = Number(new URL(url).port);
    const second = new WebhookServer({
      port,
      secrets: () => [],
      verifyToken: () => 'x',
      onDelivery: () => undefined,
      logger: memoryLogger(),
    });
    await expect(second.start()).rejects.toThrow(/already in use.*--webhook-port/);
    await server?.stop();
    await server?.stop();
    expect(server?.url).toBeNull();
  });

  it('serves mounted public routes, exact or by prefix, and nothing else', async () => {
    const { url, logger } = await startServer();
    const base = url.replace('/webhook', '');
    const unmountCallback = server!.mount('/oauth/callback', (_request, response, parsed) => {
      response.end(`callback ${parsed.searchParams.get('code')}`);
    });
    server!.mount('/media/out/', (_request, response, parsed) => {
      response.end(`file ${parsed.pathname}`);
    });
    server!.mount('/broken', () => {
      throw new Error('boom');
    });

    expect(await (await fetch(`${base}/oauth/callback?code=c1`)).text()).toBe('callback c1');
    expect((await fetch(`${base}/oauth/callback/extra`)).status).toBe(404);
    expect(await (await fetch(`${base}/media/out/abc`)).text()).toBe('file /media/out/abc');
    expect((await fetch(`${base}/media/other`)).status).toBe(404);
    const broken = await fetch(`${base}/broken`);
    expect(broken.status).toBe(500);
    expect(logger.lines.some((line) => line.message === 'webhook listener: a request failed')).toBe(
      true,
    );

    unmountCallback();
    expect((await fetch(`${base}/oauth/callback?code=c1`)).status).toBe(404);
    expect(() => server!.mount('/webhook', () => undefined)).toThrow(/Cannot mount/);
    expect(() => server!.mount('/media/out/', () => undefined)).toThrow(/Cannot mount/);
    expect(() => server!.mount('relative', () => undefined)).toThrow(/Cannot mount/);
  });
});
