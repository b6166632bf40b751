import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import {
  MAX_WEBHOOK_BYTES,
  PUBLIC_LISTENER_LIMITS,
  WebhookServer,
  type PublicListenerLimits,
} from '../../../../../main/core/webhook/webhook-server';
import { signBody } from '../../../../../main/core/webhook/signature';
import { TIMEOUT_CHECK_INTERVAL_MS } from '../../../../../main/core/http/guarded-server';
import { memoryLogger } from '../../../../fakes/logger';
import {
  expectHostileRequestsRefused,
  expectSlowSendersCut,
  openRawSender,
  rawExchange,
} from './raw-http';

const SECRET = 'app-secret';
let server: WebhookServer | null = null;
const stored: string[] = [];

async function start(limits: Partial<PublicListenerLimits> = {}) {
  stored.length = 0;
  server = new WebhookServer({
    port: 0,
    secrets: () => [SECRET],
    verifyToken: () => 'verify-me',
    onDelivery: (body) => void stored.push(Buffer.from(body).toString()),
    logger: memoryLogger(),
    limits,
  });
  server.mount('/broken', () => Promise.reject(new Error('boom')));
  await server.start();
  return server.port ?? 0;
}

afterEach(async () => {
  await server?.stop();
  server = null;
});

async function stillServes(port: number): Promise<void> {
  const body = '{"object":"instagram","entry":[]}';
  const response = await fetch(`http://127.0.0.1:${port}/webhook`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, SECRET) },
  });
  expect(response.status).toBe(200);
}

describe('the public listener under hostile input', () => {
  it('answers every malformed request (or closes) and keeps serving, storing nothing', async () => {
    const port = await start();
    await expectHostileRequestsRefused(port, '/webhook', 'a', { readsBody: true });
    for (const target of ['//x:99999/', '//[']) {
      const answer = await rawExchange(
        port,
        `GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
      );
      // A path like any other (no such route), never read as a host.
      expect(answer.status).toBe(404);
    }
    expect(stored).toEqual([]);
    await stillServes(port);
    expect(stored).toHaveLength(1);
  });

  it('turns a failing route into a 500, not an exit', async () => {
    const port = await start();
    expect((await fetch(`http://127.0.0.1:${port}/broken`)).status).toBe(500);
    await stillServes(port);
  });

  it('survives seeded random mutations of a valid delivery', async () => {
    const port = await start({ headersTimeoutMs: 500, requestTimeoutMs: 500 });
    const body = '{"object":"instagram","entry":[]}';
    const valid = `POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 80; i += 1) {
      const bytes = Buffer.from(valid);
      for (let j = 0; j < 3; j += 1)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      await rawExchange(port, bytes);
    }
    expect(stored).toEqual([]); // unsigned, so never stored
    await stillServes(port);
  });

  it('checks header and request deadlines well within a second, answering a slow sender 408', async () => {
    expect(TIMEOUT_CHECK_INTERVAL_MS).toBeLessThanOrEqual(1000);
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    await expectSlowSendersCut(port, '/webhook', 'a', { readsBody: true });
    expect(stored).toEqual([]);
    await stillServes(port);
  });

  it('answers 413 and 415 at once and closes, without reading a declared 10 GiB body', async () => {
    const port = await start();
    for (const type of ['application/json', 'text/plain']) {
      const answer = await rawExchange(
        port,
        `POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: ${type}\r\nContent-Length: 10737418240\r\n\r\n`,
      );
      expect(answer.status).toBe(type === 'text/plain' ? 415 : 413);
      expect(answer.head).toMatch(/Connection: close/i);
      expect(answer.closed).toBe(true);
    }
    await stillServes(port);
  });

  it('refuses a body behind Expect: 100-continue without inviting it, and invites one it reads', async () => {
    const port = await start();
    const refused = await rawExchange(
      port,
      'POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 10737418240\r\n\r\n',
    );
    expect(refused.status).toBe(413);
    expect(refused.closed).toBe(true);
    const body = '{"object":"instagram","entry":[]}';
    const sender = openRawSender(
      port,
      `POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nX-Hub-Signature-256: ${signBody(body, SECRET)}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    sender.send(body);
    const accepted = await sender.answer;
    expect(accepted.status).toBe(100);
    expect(accepted.closed).toBe(true);
    expect(stored).toEqual([body]);
  });

  it('answers 503 with Retry-After beyond the connection cap', async () => {
    const port = await start({ maxConnections: 2 });
    const idle = [connect(port, '127.0.0.1'), connect(port, '127.0.0.1')];
    await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
    const answer = await rawExchange(port, 'GET /webhook HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(answer.status).toBe(503);
    expect(answer.head).toMatch(/Retry-After: \d+/i);
    idle.forEach((s) => s.destroy());
    await new Promise((r) => setTimeout(r, 50));
    await stillServes(port);
  });

  it('holds at most its budget of unverified bytes under 64 concurrent unsigned 4 MiB bodies', async () => {
    const port = await start();
    const body = Buffer.alloc(MAX_WEBHOOK_BYTES, 0x7b);
    const half = body.length / 2;
    const head = `POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    // Every sender holds back half its body, so none can finish while the others are arriving:
    // 64 half bodies are four times the budget, which must refuse some of them on its own.
    const senders = Array.from({ length: 64 }, () =>
      openRawSender(port, Buffer.concat([Buffer.from(head), body.subarray(0, half)])),
    );
    // Wait for the budget to refuse someone, then let everyone finish.
    await Promise.race(senders.map((sender) => sender.answer));
    for (const sender of senders) sender.send(body.subarray(half));
    const answers = await Promise.all(senders.map((sender) => sender.answer));

    const load = server!.load;
    expect(load.peakUnverifiedBytes).toBeGreaterThan(0);
    expect(load.peakUnverifiedBytes).toBeLessThanOrEqual(PUBLIC_LISTENER_LIMITS.unverifiedBytes);
    expect(load.unverifiedBytes).toBe(0);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer.head).toMatch(/Retry-After: \d+/i);
    for (const answer of answers) {
      // Null: a refused sender still writing can get the reset before it reads the 503.
      expect([401, 503, null]).toContain(answer.status);
      // A body read to its end may keep its connection; a refused one may not.
      expect(answer.closed).toBe(answer.status !== 401);
    }
    expect(stored).toEqual([]);
    await stillServes(port);
    expect(stored).toEqual(['{"object":"instagram","entry":[]}']);
  });
});
