import { EVENT_CHANNELS } from '../../../../shared/ipc/contract';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rendererCsp } from '../../../../main/core/security/content-security-policy';
import {
  MAX_FRAME_BYTES,
  startHeadlessServer,
  type HeadlessServer,
} from '../../../../main/headless/headless-server';
import { memoryLogger } from '../../../fakes/logger';
import {
  CONVERSATION,
  MESSAGE,
  STATUS,
  connect,
  fakeCore,
  makeRendererDir,
  rawRequest,
  startTestServer,
  TOKEN,
  upgradeStatus,
} from './headless-kit';

let dirs: ReturnType<typeof makeRendererDir>;
let core: ReturnType<typeof fakeCore>;
let server: HeadlessServer;

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  ({ dirs, core, server } = await startTestServer(options));
}

afterEach(async () => {
  await server.stop();
  dirs.cleanup();
});

/** Resolves with the error code of a TCP connection attempt (null if it connected). */
function tcpConnectError(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(headers['content-security-policy']).toBe(rendererCsp({ sandboxOrigin: null }));
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['x-frame-options']).toBe('DENY');
}

describe('listening', () => {
  beforeEach(() => start());

  it('binds 127.0.0.1 (IPv4) only and puts the token in the UI address', () => {
    expect(server.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(server.port).toBe(server.address.port);
    expect(server.port).toBeGreaterThan(0);
    expect(server.uiUrl).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('cannot be reached over IPv6 loopback', async () => {
    expect(await tcpConnectError('::1', server.port)).not.toBeNull();
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((info) => info && !info.internal && info.family === 'IPv4');
  it.runIf(external)('cannot be reached on a non-loopback interface', async () => {
    expect(await tcpConnectError(external?.address ?? '', server.port)).toBe('ECONNREFUSED');
  });

  it('generates a 32-byte base64url token when none is given', async () => {
    const other = await startHeadlessServer({
      core: fakeCore(),
      rendererDir: dirs.rendererDir,
      port: 0,
      logger: memoryLogger(),
    });
    try {
      const token = new URL(other.uiUrl).searchParams.get('token') ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    } finally {
      await other.stop();
    }
  });

  it('refuses a guessable token', async () => {
    await expect(
      startHeadlessServer({
        core,
        rendererDir: dirs.rendererDir,
        port: 0,
        logger: memoryLogger(),
        token: 'abc',
      }),
    ).rejects.toThrow(/at least 16/);
  });

  it('rejects when the port is taken', async () => {
    await expect(
      startHeadlessServer({
        core,
        rendererDir: dirs.rendererDir,
        port: server.port,
        logger: memoryLogger(),
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('static files', () => {
  beforeEach(() => start());

  it('admits the sandbox emulator’s origin in the page policy while, and only while, sandbox mode runs', async () => {
    let sandboxOrigin: string | null = 'http://127.0.0.1:4900';
    const sandboxed = await startHeadlessServer({
      core,
      rendererDir: dirs.rendererDir,
      port: 0,
      logger: memoryLogger(),
      sandboxOrigin: () => sandboxOrigin,
    });
    try {
      const inSandbox = await rawRequest(sandboxed.port, '/');
      expect(inSandbox.headers['content-security-policy']).toBe(
        rendererCsp({ sandboxOrigin: 'http://127.0.0.1:4900' }),
      );
      sandboxOrigin = null; // the owner connected their Meta app: the core restarted live
      expectSecurityHeaders((await rawRequest(sandboxed.port, '/')).headers);
    } finally {
      await sandboxed.stop();
    }
  });

  it('serves index.html at / with the security headers and no-store', async () => {
    const response = await rawRequest(server.port, `/?token=${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>Inlet</title>');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(response.headers);
  });

  it('answers HEAD with headers and no body', async () => {
    const response = await rawRequest(server.port, '/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['content-length']).toBe(
      String('<!doctype html><title>Inlet</title>'.length),
    );
  });

  it('serves assets with their content type', async () => {
    const js = await rawRequest(server.port, '/assets/app-abc123.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("inlet");');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(js.headers);

    const css = await rawRequest(server.port, '/assets/app-abc123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const bin = await rawRequest(server.port, '/assets/data.bin');
    expect(bin.headers['content-type']).toBe('application/octet-stream');
  });

  it('routes extension-less unknown paths to index.html and 404s missing files', async () => {
    const route = await rawRequest(server.port, '/conversations/42');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Inlet</title>');
    expect(route.headers['cache-control']).toBe('no-store');

    // Conversation ids hold a `:`; such routes reach the app, never the file system.
    const withColon = await rawRequest(server.port, '/conversations/17841400000000001:9');
    expect(withColon.status).toBe(200);
    expect(withColon.body).toContain('<title>Inlet</title>');

    const missing = await rawRequest(server.port, '/assets/missing.js');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('answers %s with 405', async (method) => {
    const response = await rawRequest(server.port, '/', { method });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expectSecurityHeaders(response.headers);
  });

  it.each([
    'evil.test',
    'evil.test:PORT',
    '127.0.0.1:1',
    '127.0.0.1',
    '0.0.0.0:PORT',
    '[::1]:PORT',
  ])('refuses Host %s with 403 (DNS rebinding)', async (host) => {
    const response = await rawRequest(server.port, '/', {
      host: host.replace('PORT', String(server.port)),
    });
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('<title>');
    expectSecurityHeaders(response.headers);
  });

  it('accepts Host localhost:PORT', async () => {
    const response = await rawRequest(server.port, '/', { host: `localhost:${server.port}` });
    expect(response.status).toBe(200);
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2e%2e/package.json',
    '/assets/%2E%2E/%2e%2e/package.json',
    '/..%5c..%5cfile',
    '/..%5cpackage.json',
    '/%00',
    '/index.html%00.js',
    '/C:%5cWindows%5cwin.ini',
    '/C:/package.json',
    '/index.html:stream.js',
    '/%zz',
    'http://127.0.0.1/package.json',
  ])('never serves anything outside the renderer for %s', async (target) => {
    const response = await rawRequest(server.port, target);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('OUTSIDE-THE-RENDERER');
    expect(response.body).not.toContain('root:');
  });

  it('does not follow a symlink out of the renderer, nor serve dotfiles', async () => {
    symlinkSync(
      path.join(dirs.root, 'package.json'),
      path.join(dirs.rendererDir, 'assets', 'link.json'),
    );
    writeFileSync(path.join(dirs.rendererDir, '.env'), 'SECRET=1');
    const link = await rawRequest(server.port, '/assets/link.json');
    expect(link.status).toBe(404);
    expect(link.body).not.toContain('OUTSIDE-THE-RENDERER');
    const dotfile = await rawRequest(server.port, '/.env');
    expect(dotfile.status).toBe(404);
  });
});

describe('when the UI is not built', () => {
  beforeEach(() => start({ isBuilt: false }));

  it('answers 503 with a hint, then serves the UI once it is built', async () => {
    const before = await rawRequest(server.port, '/');
    expect(before.status).toBe(503);
    expect(before.body).toContain('npm run build:app');
    expectSecurityHeaders(before.headers);

    writeFileSync(path.join(dirs.rendererDir, 'index.html'), '<!doctype html><title>Inlet</title>');
    expect((await rawRequest(server.port, '/')).status).toBe(200);
  });
});

describe('WebSocket upgrade', () => {
  beforeEach(() => start());

  it('refuses a missing token with 401', async () => {
    expect(await upgradeStatus(server.port, null)).toBe(401);
  });

  it.each(['wrong-token-0123456789abcdefghijklmnop', 'short', `${TOKEN}x`, TOKEN.slice(0, -1), ''])(
    'refuses the wrong token %j with 401',
    async (token) => {
      expect(await upgradeStatus(server.port, token)).toBe(401);
    },
  );

  it('refuses a foreign Host with 403, even with the right token', async () => {
    expect(await upgradeStatus(server.port, TOKEN, { host: 'evil.test' })).toBe(403);
    expect(await upgradeStatus(server.port, TOKEN, { host: `evil.test:${server.port}` })).toBe(403);
  });

  it.each([
    'http://evil.test',
    'null',
    'http://127.0.0.1:1',
    'https://127.0.0.1:PORT',
    'http://127.0.0.1.evil.test:PORT',
  ])('refuses Origin %s with 403, even with the right token', async (origin) => {
    const status = await upgradeStatus(server.port, TOKEN, {
      origin: origin.replace('PORT', String(server.port)),
    });
    expect(status).toBe(403);
  });

  it('refuses an upgrade without Origin with 403', async () => {
    expect(await upgradeStatus(server.port, TOKEN, { origin: null })).toBe(403);
  });

  it.each(['/', '/other', '/ipc/', '/ipc/x', '/IPC'])(
    'refuses an upgrade on %s with 404',
    async (wsPath) => {
      expect(await upgradeStatus(server.port, TOKEN, { path: wsPath })).toBe(404);
    },
  );

  it('accepts the right token from either loopback origin', async () => {
    const first = await connect(server.port, TOKEN);
    const second = await connect(server.port, TOKEN, {
      origin: `http://localhost:${server.port}`,
      host: `localhost:${server.port}`,
    });
    expect(first.ws.readyState).toBe(WebSocket.OPEN);
    expect(second.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('invoke over the WebSocket', () => {
  beforeEach(() => start());

  it('runs a valid command and returns its result', async () => {
    const client = await connect(server.port, TOKEN);
    const result = await client.invoke('sending:sendText', {
      conversationId: CONVERSATION.id,
      text: '  Hi Ada  ',
    });
    expect(result).toEqual({ ok: true, value: { message: { ...MESSAGE, text: 'Hi Ada' } } });
    // The handler sees the parsed input (trimmed), never the raw frame.
    expect(core.handlers['sending:sendText']).toHaveBeenCalledWith({
      conversationId: CONVERSATION.id,
      text: 'Hi Ada',
    });
  });

  it('runs a command without input', async () => {
    const client = await connect(server.port, TOKEN);
    expect(await client.invoke('app:getStatus')).toEqual({ ok: true, value: STATUS });
  });

  it('answers invalid input with INVALID_INPUT and never calls the handler', async () => {
    const client = await connect(server.port, TOKEN);
    const result = await client.invoke('sending:sendText', {
      conversationId: CONVERSATION.id,
      text: '   ',
    });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(core.handlers['sending:sendText']).not.toHaveBeenCalled();
  });

  it.each(['shell:openExternal', '__proto__', 'constructor', 'toString'])(
    'answers the unknown channel %s with FORBIDDEN',
    async (channel) => {
      const client = await connect(server.port, TOKEN);
      expect(await client.invoke(channel, {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    },
  );

  it('carries an AppError code from the handler', async () => {
    const client = await connect(server.port, TOKEN);
    const result = await client.invoke('inbox:markRead', { conversationId: 'nope' });
    expect(result).toEqual({ ok: false, code: 'NOT_FOUND', message: 'No such conversation' });
  });

  it.each([
    ['text that is not JSON', 'not json'],
    [
      'a frame with a string id',
      JSON.stringify({ type: 'invoke', id: 'x', channel: 'app:getStatus' }),
    ],
    ['a frame of another type', JSON.stringify({ type: 'event', id: 1, channel: 'app:getStatus' })],
    ['a JSON array', '[]'],
  ])('closes the socket with 1003 on %s', async (_label, frame) => {
    const client = await connect(server.port, TOKEN);
    client.ws.send(frame);
    expect(await client.closed).toEqual({ code: 1003, reason: 'Malformed frame' });
    expect(client.frames).toEqual([]);
  });

  it('closes the socket with 1003 on a binary frame', async () => {
    const client = await connect(server.port, TOKEN);
    client.ws.send(
      Buffer.from(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:getStatus' })),
    );
    expect((await client.closed).code).toBe(1003);
  });

  it('closes the socket with 1009 on a frame over the size cap, and keeps serving others', async () => {
    const client = await connect(server.port, TOKEN);
    const other = await connect(server.port, TOKEN);
    client.ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    expect((await client.closed).code).toBe(1009);
    expect(await other.invoke('app:getStatus')).toMatchObject({ ok: true });
  });
});

describe('events', () => {
  beforeEach(() => start());

  it('broadcasts every core event to every connected client, a burst as one frame in order', async () => {
    const first = await connect(server.port, TOKEN);
    const second = await connect(server.port, TOKEN);
    const payload = { message: MESSAGE, conversation: CONVERSATION };
    core.events.emit('inbox:messageSaved', payload);
    core.events.emit('app:statusChanged', STATUS);
    for (const client of [first, second]) {
      expect(await client.nextEvent()).toEqual({
        type: 'events',
        frames: [
          { type: 'event', channel: 'inbox:messageSaved', payload },
          { type: 'event', channel: 'app:statusChanged', payload: STATUS },
        ],
      });
    }
  });

  it('sends a lone event as a plain event frame', async () => {
    const client = await connect(server.port, TOKEN);
    core.events.emit('app:statusChanged', STATUS);
    expect(await client.nextEvent()).toEqual({
      type: 'event',
      channel: 'app:statusChanged',
      payload: STATUS,
    });
  });

  it('never lets an answer overtake an event its handler emitted', async () => {
    const client = await connect(server.port, TOKEN);
    core.handlers['app:getStatus'].mockImplementationOnce(() => {
      core.events.emit('app:statusChanged', STATUS);
      return Promise.resolve(STATUS);
    });
    await client.invoke('app:getStatus');
    expect(client.frames.map((frame) => frame.type)).toEqual(['event', 'result']);
  });

  it('subscribes once per channel at start', () => {
    expect(core.events.listenerCount()).toBe(EVENT_CHANNELS.length);
  });
});

describe('heartbeat', () => {
  beforeEach(() => start({ heartbeatIntervalMs: 250 }));

  it('drops a client that stops answering pings and keeps one that answers', async () => {
    const silent = await connect(server.port, TOKEN, { autoPong: false });
    const healthy = await connect(server.port, TOKEN);
    const threePings = new Promise<void>((resolve) => {
      let pings = 0;
      healthy.ws.on('ping', () => ++pings === 3 && resolve());
    });
    expect((await silent.closed).code).toBe(1006); // terminated, no close frame
    await threePings;
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect(await healthy.invoke('app:getStatus')).toMatchObject({ ok: true });
  });
});

describe('stop', () => {
  beforeEach(() => start());

  it('closes open sockets with 1001, unsubscribes, stops listening, and is idempotent', async () => {
    const first = await connect(server.port, TOKEN);
    const second = await connect(server.port, TOKEN);
    const stopping = [server.stop(), server.stop()];
    await Promise.all(stopping);
    expect(await first.closed).toMatchObject({ code: 1001 });
    expect(await second.closed).toMatchObject({ code: 1001 });
    expect(core.events.listenerCount()).toBe(0);
    expect(await tcpConnectError('127.0.0.1', server.port)).toBe('ECONNREFUSED');
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('stops even while a keep-alive HTTP connection is open', async () => {
    const socket = netConnect({ host: '127.0.0.1', port: server.port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const firstByte = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n`,
    );
    await firstByte;
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await server.stop();
    await ended;
  });
});

describe('archived media', () => {
  const NAME = '0f8fad5b-d9cb-469f-a165-70867728950e.png';

  beforeEach(async () => {
    dirs = makeRendererDir();
    core = fakeCore();
    const filePath = path.join(dirs.root, NAME);
    writeFileSync(filePath, 'PNGDATA');
    server = await startHeadlessServer({
      core,
      rendererDir: dirs.rendererDir,
      port: 0,
      logger: memoryLogger(),
      token: TOKEN,
      mediaFile: (name) => (name === NAME ? { path: filePath, contentType: 'image/png' } : null),
    });
  });

  it('serves a recorded file with its content type, the security headers and a long cache', async () => {
    const response = await rawRequest(server.port, `/archive/media/${NAME}`);
    expect(response.status).toBe(200);
    expect(response.body).toBe('PNGDATA');
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expectSecurityHeaders(response.headers);
    const head = await rawRequest(server.port, `/archive/media/${NAME}`, { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '7']);
  });

  it.each([
    '/archive/media/',
    '/archive/media/package.json',
    '/archive/media/..%2Fpackage.json',
    '/archive/media/../../package.json',
    `/archive/media/${NAME}/x`,
  ])('serves nothing the archive did not record for %s', async (target) => {
    const response = await rawRequest(server.port, target);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('OUTSIDE-THE-RENDERER');
  });

  it('refuses a foreign Host (DNS rebinding) and anything but GET/HEAD', async () => {
    const foreign = await rawRequest(server.port, `/archive/media/${NAME}`, {
      host: 'evil.example:80',
    });
    expect(foreign.status).toBe(403);
    const post = await rawRequest(server.port, `/archive/media/${NAME}`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('answers 404 when the recorded file is gone', async () => {
    rmSync(path.join(dirs.root, NAME));
    expect((await rawRequest(server.port, `/archive/media/${NAME}`)).status).toBe(404);
  });
});
