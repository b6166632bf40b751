import { afterEach, describe, expect, it } from 'vitest';
import {
  Forwarder,
  commandLineTargets,
  parseForwardTarget,
  type ForwardResult,
} from '../../../../../main/core/deliveries/forwarder';
import { matchSignature, signBody } from '../../../../../main/core/webhook/signature';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { startWebhookHandler } from '../../../../fakes/webhook-handler';
import { memoryLogger } from '../../../../fakes/logger';
import { textMessageBody } from '../../../../fakes/webhook-bodies';

const SECRET = 'app-secret';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The developer's handler, stopped after the test. */
async function handler(port = 0, answer = () => 200) {
  const target = await startWebhookHandler({ port, answer });
  cleanups.push(target.stop);
  return target;
}

function forwarderTo(url: string, results: ForwardResult[], queueLimit?: number) {
  const forwarder = new Forwarder([new URL(url)], {
    fetch,
    logger: memoryLogger(),
    now: Date.now,
    onResult: (result) => results.push(result),
    backoff: { firstMs: 10, maxMs: 50 },
    queueLimit,
  });
  cleanups.push(async () => forwarder.stop());
  return forwarder;
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('forwarding verified deliveries to the developer’s handler', () => {
  it('posts the exact bytes with Meta’s signature, and never a refused request', async () => {
    const target = await handler();
    const results: ForwardResult[] = [];
    const forwarder = forwarderTo(target.url, results);
    let nextId = 1;
    const listener = new WebhookServer({
      port: 0,
      secrets: () => [SECRET],
      verifyToken: () => 'verify',
      onDelivery: (body, headers) => {
        const id = nextId++;
        forwarder.forward({ id, body, headers });
        return id;
      },
      logger: memoryLogger(),
    });
    await listener.start();
    cleanups.push(() => listener.stop());
    // Meta's escapes (\/ and \uXXXX) must survive byte for byte, or the signature breaks.
    const body = textMessageBody({ mid: 'm-1', text: 'caf\\u00e9 \\/ ✨' });
    const post = (headers: Record<string, string>) =>
      fetch(listener.url ?? '', {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', ...headers },
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'X-Hub-Signature-256': signBody(body, 'wrong') })).status).toBe(401);
    expect((await post({ 'X-Hub-Signature-256': signBody(body, SECRET) })).status).toBe(200);
    await forwarder.idle();
    expect(target.received).toHaveLength(1);
    const [forwarded] = target.received;
    expect(forwarded?.body.equals(Buffer.from(body))).toBe(true);
    expect(forwarded?.contentType).toBe('application/json');
    expect(matchSignature(forwarded!.body, forwarded?.signature, [SECRET])).toBe(0);
    expect(results).toMatchObject([{ deliveryId: 1, status: 200, error: null, attempts: 1 }]);
  });

  it('keeps the order through the handler going down and coming back', async () => {
    const target = await handler();
    const results: ForwardResult[] = [];
    const forwarder = forwarderTo(target.url, results);
    const bodies = Array.from({ length: 6 }, (_, n) => Buffer.from(`{"n":${n}}`));
    const send = (n: number) =>
      forwarder.forward({
        id: n,
        body: bodies[n]!,
        headers: { 'x-hub-signature-256': signBody(bodies[n]!, SECRET) },
      });
    send(0);
    send(1);
    await forwarder.idle();
    await target.stop();
    for (const n of [2, 3, 4]) send(n);
    await until(() => forwarder.state[0]!.queued === 3 && results.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 60)); // a few failed attempts
    expect(target.received).toHaveLength(2);
    await target.restart();
    send(5);
    await forwarder.idle();
    expect(target.received.map((received) => received.body.toString())).toEqual(
      bodies.map((body) => body.toString()),
    );
    for (const received of target.received)
      expect(matchSignature(received.body, received.signature, [SECRET])).toBe(0);
    const retried = results.find((result) => result.deliveryId === 2);
    expect(retried?.status).toBe(200);
    expect(retried?.attempts).toBeGreaterThan(1);
    expect(forwarder.state[0]).toMatchObject({ queued: 0, dropped: 0 });
  });

  it('drops the oldest waiting beyond the queue cap, counted and reported, and does not retry a 4xx', async () => {
    const target = await handler(0, () => 400);
    await target.stop();
    const results: ForwardResult[] = [];
    const forwarder = forwarderTo(target.url, results, 2);
    // 0 is being posted at once, so it is kept; the oldest waiting ones make room.
    for (let n = 0; n < 5; n++)
      forwarder.forward({ id: n, body: Buffer.from(`{"n":${n}}`), headers: {} });
    expect(forwarder.state[0]).toMatchObject({ queued: 2, dropped: 3 });
    expect(results.map((result) => [result.deliveryId, result.error])).toEqual([
      [1, 'dropped: the forwarding queue was full'],
      [2, 'dropped: the forwarding queue was full'],
      [3, 'dropped: the forwarding queue was full'],
    ]);
    await target.restart();
    await forwarder.idle();
    expect(target.received.map((received) => received.body.toString())).toEqual([
      '{"n":0}',
      '{"n":4}',
    ]);
    expect(results.slice(3)).toMatchObject([
      { deliveryId: 0, status: 400, error: 'HTTP 400' },
      { deliveryId: 4, status: 400, error: 'HTTP 400', attempts: 1 },
    ]);
  });

  it('takes new targets while running: a kept target keeps its queue, a removed one stops', async () => {
    const kept = await handler();
    const removed = await handler();
    await kept.stop();
    await removed.stop();
    const results: ForwardResult[] = [];
    const forwarder = forwarderTo(kept.url, results);
    forwarder.setTargets([new URL(kept.url), new URL(removed.url)]);
    forwarder.forward({ id: 1, body: Buffer.from('{"n":1}'), headers: {} });
    forwarder.forward({ id: 2, body: Buffer.from('{"n":2}'), headers: {} });
    await until(() => forwarder.state.every((queue) => queue.queued === 2));

    forwarder.setTargets([new URL(kept.url)]);
    expect(forwarder.state).toEqual([{ target: kept.url, queued: 2, dropped: 0 }]);
    await kept.restart();
    await removed.restart();
    await forwarder.idle();
    expect(kept.received.map((received) => received.body.toString())).toEqual([
      '{"n":1}',
      '{"n":2}',
    ]);
    expect(removed.received).toEqual([]);

    forwarder.setTargets([]);
    forwarder.forward({ id: 3, body: Buffer.from('{"n":3}'), headers: {} });
    await forwarder.idle();
    expect(kept.received).toHaveLength(2);
  });

  it('accepts http(s) loopback targets, and another host only when asked', () => {
    expect(parseForwardTarget('http://localhost:3000/hook', false).port).toBe('3000');
    expect(parseForwardTarget('https://127.0.0.2/hook', false).hostname).toBe('127.0.0.2');
    expect(parseForwardTarget('http://[::1]:8080/', false).hostname).toBe('[::1]');
    expect(() => parseForwardTarget('ftp://localhost/x', false)).toThrow(/not http\(s\)/);
    expect(() => parseForwardTarget('localhost:3000', false)).toThrow(/not http\(s\)/);
    expect(() => parseForwardTarget('not a url', false)).toThrow(/is not a URL/);
    expect(() => parseForwardTarget('https://hooks.example.com/x', false)).toThrow(
      /--forward-remote/,
    );
    expect(() => parseForwardTarget('https://hooks.example.com/x', false, 'the opt-in')).toThrow(
      /needs the opt-in$/,
    );
    expect(parseForwardTarget('https://hooks.example.com/x', true).hostname).toBe(
      'hooks.example.com',
    );
  });

  it('reads the command line targets, and refuses one it may not send to', () => {
    expect(commandLineTargets(undefined)).toEqual([]);
    expect(commandLineTargets({ forwardTo: [] })).toEqual([]);
    expect(() => commandLineTargets({ forwardTo: ['https://hooks.example.com/x'] })).toThrow(
      /--forward-remote/,
    );
    expect(
      commandLineTargets({ forwardTo: ['https://hooks.example.com/x'], forwardRemote: true }).map(
        (target) => target.href,
      ),
    ).toEqual(['https://hooks.example.com/x']);
    expect(
      commandLineTargets({ forwardTo: ['http://127.0.0.1:4000/hook'] }).map(
        (target) => target.href,
      ),
    ).toEqual(['http://127.0.0.1:4000/hook']);
  });
});
