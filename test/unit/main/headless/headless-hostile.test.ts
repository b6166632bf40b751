import { connect as netConnect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeadlessServer } from '../../../../main/headless/headless-server';
import { expectHostileRequestsRefused, rawExchange, type RawAnswer } from '../core/http/raw-http';
import { connect, rawRequest, startTestServer, TOKEN } from './headless-kit';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

let dirs: Awaited<ReturnType<typeof startTestServer>>['dirs'];
let core: Awaited<ReturnType<typeof startTestServer>>['core'];
let server: HeadlessServer;
let host: string;

beforeEach(async () => {
  ({ dirs, core, server } = await startTestServer({
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 300 },
  }));
  host = `127.0.0.1:${server.port}`;
});

afterEach(async () => {
  await server.stop();
  dirs.cleanup();
});

/** The page still loads, and a fresh socket still runs a command. */
async function stillServes(): Promise<void> {
  const page = await rawRequest(server.port, '/');
  expect(page.status).toBe(200);
  expect(page.body).toContain('<title>Inlet</title>');
  const client = await connect(server.port, TOKEN);
  expect(await client.invoke('app:getStatus')).toMatchObject({ ok: true });
  client.ws.close();
}

function upgradeRequest(
  target: string,
  overrides: Record<string, string | null> = {},
  method = 'GET',
): string {
  const headers: Record<string, string | null> = {
    Host: host,
    Origin: `http://${host}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': KEY,
    'Sec-WebSocket-Version': '13',
    ...overrides,
  };
  const lines = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** A client frame as a browser would send it: FIN, the opcode, masked with a zero mask. */
function maskedFrame(opcode: number, payload: Buffer, firstByte = 0x80 | opcode): Buffer {
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([firstByte]), length, Buffer.alloc(4), payload]);
}

/**
 * Opens a socket by hand, sends `frame` after the 101, and resolves with the close code of the
 * server's close frame (null when the connection ended without one).
 */
function closeCodeAfter(frame: Buffer): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const socket: Socket = netConnect(server.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(null));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!received.subarray(0, 12).toString().includes('101')) {
          reject(new Error(`upgrade refused: ${received.subarray(0, end).toString()}`));
          return;
        }
        upgraded = true;
        received = received.subarray(end + 4);
        socket.write(frame);
      }
      if (received.length >= 4 && (received[0]! & 0x0f) === 0x8) {
        resolve(received.readUInt16BE(2));
        socket.destroy();
      }
    });
    socket.write(upgradeRequest(`/ipc?token=${TOKEN}`));
  });
}

describe('the headless UI server under hostile HTTP', () => {
  it('refuses every malformed request with its exact status, closes, and keeps serving', async () => {
    await expectHostileRequestsRefused(server.port, '/assets/app-abc123.js', host, {
      readsBody: false,
    });
    await stillServes();
  });

  it('reads `//host`-looking targets as app routes, never as hosts', async () => {
    for (const target of ['//x:99999/', '//[', '//evil']) {
      const answer = await rawRequest(server.port, target);
      expect(answer.status, target).toBe(200);
      expect(answer.body).toContain('<title>Inlet</title>');
    }
    // A last segment with an extension is a file the build does not have.
    expect((await rawRequest(server.port, '//evil.example/')).status).toBe(404);
    await stillServes();
  });

  it('serves nothing outside the renderer, however the path climbs', async () => {
    for (const target of [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5cpackage.json',
      '/assets\\..\\..\\package.json',
      '/assets/app-abc123.js%00.html',
    ]) {
      const answer = await rawRequest(server.port, target);
      expect(answer.status, target).toBe(400);
      expect(answer.body).not.toContain('OUTSIDE-THE-RENDERER');
    }
    await stillServes();
  });

  it('answers odd methods 405 with Allow, closing when a body was left unread', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'OPTIONS']) {
      const answer = await rawExchange(
        server.port,
        `${method} / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 10737418240\r\n\r\n{`,
      );
      expect(answer.status, method).toBe(405);
      expect(answer.head).toMatch(/\r\nAllow: GET, HEAD/i);
      expect(answer.closed, method).toBe(true);
    }
    await stillServes();
  });

  it('refuses a foreign Host, also when it comes first of two', async () => {
    const answer = await rawExchange(
      server.port,
      `GET / HTTP/1.1\r\nHost: evil.example\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.status).toBe(403);
    await stillServes();
  });

  it('cuts a sender too slow with its headers with 408 and a close, on a plain request and an upgrade', async () => {
    for (const partial of [
      `GET / HTTP/1.1\r\nHost: ${host}\r\n`,
      upgradeRequest(`/ipc?token=${TOKEN}`).replace(/\r\n$/, ''),
    ]) {
      const answer: RawAnswer = await rawExchange(server.port, partial);
      expect(answer.status).toBe(408);
      expect(answer.closed).toBe(true);
    }
    await stillServes();
  });
});

describe('the headless WebSocket under hostile upgrades and frames', () => {
  it('refuses bad upgrades with their exact status and closes each', async () => {
    const port = (): number => server.port;
    const cases: { request: string; status: number }[] = [
      { request: upgradeRequest('/ipc?token=wrong-token-0123456789'), status: 401 },
      { request: upgradeRequest('/ipc'), status: 401 },
      { request: upgradeRequest(`/ipc?token=${TOKEN}`, { Host: 'evil.example' }), status: 403 },
      { request: upgradeRequest(`/ipc?token=${TOKEN}`, { Host: null }), status: 403 },
      {
        request: upgradeRequest(`/ipc?token=${TOKEN}`, { Origin: 'http://evil.example' }),
        status: 403,
      },
      { request: upgradeRequest(`/ipc?token=${TOKEN}`, { Origin: null }), status: 403 },
      { request: upgradeRequest(`/ipc?token=${TOKEN}`, { Origin: 'null' }), status: 403 },
      { request: upgradeRequest(`//x:99999/?token=${TOKEN}`), status: 404 },
      { request: upgradeRequest('//['), status: 404 },
      { request: upgradeRequest(`/ipc/%zz?token=${TOKEN}`), status: 400 },
      { request: upgradeRequest(`/../ipc?token=${TOKEN}`), status: 400 },
      {
        request: upgradeRequest(`/ipc?token=${TOKEN}`, { 'Sec-WebSocket-Key': null }),
        status: 400,
      },
      {
        request: upgradeRequest(`/ipc?token=${TOKEN}`, { 'Sec-WebSocket-Key': '!!' }),
        status: 400,
      },
      {
        request: upgradeRequest(`/ipc?token=${TOKEN}`, { 'Sec-WebSocket-Version': '99' }),
        status: 400,
      },
      { request: upgradeRequest(`/ipc?token=${TOKEN}`, { Upgrade: 'h2c' }), status: 400 },
      { request: upgradeRequest(`/ipc?token=${TOKEN}`, {}, 'POST'), status: 405 },
    ];
    for (const { request, status } of cases) {
      const answer = await rawExchange(port(), request);
      expect(answer.status, request.split('\r\n')[0]).toBe(status);
      expect(answer.closed, request.split('\r\n')[0]).toBe(true);
    }
    expect(core.handlers['app:getStatus']).not.toHaveBeenCalled();
    await stillServes();
  });

  it('closes a socket that sends a malformed frame with the matching code, dispatching nothing', async () => {
    const invoke = Buffer.from(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:getStatus' }));
    const cases: { name: string; frame: Buffer; code: number }[] = [
      { name: 'binary', frame: maskedFrame(0x2, invoke), code: 1003 },
      { name: 'not JSON', frame: maskedFrame(0x1, Buffer.from('{"type":')), code: 1003 },
      {
        name: 'not a client frame',
        frame: maskedFrame(0x1, Buffer.from('{"type":"invoke","id":"x"}')),
        code: 1003,
      },
      {
        name: 'invalid UTF-8',
        frame: maskedFrame(0x1, Buffer.from([0xc3, 0x28])),
        code: 1007,
      },
      {
        name: 'unmasked',
        frame: Buffer.concat([Buffer.from([0x81, invoke.length]), invoke]),
        code: 1002,
      },
      { name: 'reserved bits', frame: maskedFrame(0x1, invoke, 0xf1), code: 1002 },
      { name: 'unknown opcode', frame: maskedFrame(0x3, invoke), code: 1002 },
      { name: 'continuation first', frame: maskedFrame(0x0, invoke), code: 1002 },
      {
        name: 'declared 2^63 bytes',
        frame: Buffer.from([0x81, 0x80 | 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        code: 1009,
      },
    ];
    for (const { name, frame, code } of cases) {
      expect(await closeCodeAfter(frame), name).toBe(code);
    }
    expect(core.handlers['app:getStatus']).not.toHaveBeenCalled();
    await stillServes();
  });

  it('serves many sockets at once and every one still gets its answer and the events', async () => {
    const clients = await Promise.all(
      Array.from({ length: 40 }, () => connect(server.port, TOKEN)),
    );
    const results = await Promise.all(clients.map((client) => client.invoke('app:getStatus')));
    for (const result of results) expect(result).toMatchObject({ ok: true });
    const refused = await Promise.all(
      Array.from({ length: 40 }, () =>
        rawExchange(server.port, upgradeRequest('/ipc?token=wrong-token-0123456789')),
      ),
    );
    for (const answer of refused) expect(answer.status).toBe(401);
    for (const client of clients) client.ws.close();
    await Promise.all(clients.map((client) => client.closed));
    await stillServes();
  });
});
