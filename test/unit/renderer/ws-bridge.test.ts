import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../../renderer/src/connection';
import {
  ConnectionLostError,
  createWsBridge,
  exponentialBackoff,
} from '../../../renderer/src/ws-bridge';
import { FakeSocket } from './fake-socket';
import { makeConversation, makeMessage, makeStatus } from './fixtures';

function openBridge() {
  const states: ConnectionState[] = [];
  const bridge = createWsBridge({
    url: 'ws://127.0.0.1:4321/ipc?token=t',
    createSocket: (url) => new FakeSocket(url),
    backoffMs: (attempt) => attempt * 1000,
  });
  bridge.connection.subscribe((state) => states.push(state));
  return { bridge, states };
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers({ now: Date.now() });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createWsBridge', () => {
  it('holds calls until the socket opens, then sends them as invoke frames', async () => {
    const { bridge } = openBridge();
    const socket = FakeSocket.latest();
    const pending = bridge.invoke('inbox:markRead', { conversationId: 'c1' });
    expect(socket.sent).toEqual([]);

    socket.serverOpens();
    expect(socket.sent).toEqual([
      { type: 'invoke', id: 1, channel: 'inbox:markRead', input: { conversationId: 'c1' } },
    ]);

    const conversation = makeConversation();
    socket.serverSends({ type: 'result', id: 1, result: { ok: true, value: { conversation } } });
    await expect(pending).resolves.toEqual({ ok: true, value: { conversation } });
  });

  it('matches answers to calls by id, whatever order they come back in', async () => {
    const { bridge } = openBridge();
    const socket = FakeSocket.latest();
    socket.serverOpens();
    const status = bridge.invoke('app:getStatus');
    const list = bridge.invoke('inbox:listConversations', {});

    socket.serverSends({
      type: 'result',
      id: 2,
      result: { ok: true, value: { conversations: [], nextCursor: null } },
    });
    socket.serverSends({
      type: 'result',
      id: 1,
      result: { ok: false, code: 'NOT_CONNECTED', message: 'No account' },
    });

    await expect(list).resolves.toEqual({
      ok: true,
      value: { conversations: [], nextCursor: null },
    });
    await expect(status).resolves.toEqual({
      ok: false,
      code: 'NOT_CONNECTED',
      message: 'No account',
    });
  });

  it('settles a call whose answer is garbled instead of leaving it pending', async () => {
    const { bridge } = openBridge();
    const socket = FakeSocket.latest();
    socket.serverOpens();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const call = bridge.invoke('app:getStatus');
    socket.serverSends('not json');
    socket.serverSends({ type: 'result', id: 1, result: 'nonsense' });
    await expect(call).resolves.toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(logged).toHaveBeenCalledWith('Inlet: ignored a malformed frame from the server');
    logged.mockRestore();
  });

  it('delivers events to the listeners of their channel only, until they unsubscribe', () => {
    const { bridge } = openBridge();
    const socket = FakeSocket.latest();
    socket.serverOpens();
    const onMessage = vi.fn();
    const onStatus = vi.fn();
    const unsubscribe = bridge.on('inbox:messageSaved', onMessage);
    bridge.on('app:statusChanged', onStatus);

    const payload = { message: makeMessage(), conversation: makeConversation() };
    socket.serverSends({ type: 'event', channel: 'inbox:messageSaved', payload });
    unsubscribe();
    socket.serverSends({ type: 'event', channel: 'inbox:messageSaved', payload });
    socket.serverSends({ type: 'event', channel: 'app:statusChanged', payload: makeStatus() });

    expect(onMessage).toHaveBeenCalledTimes(1);
    expect(onMessage).toHaveBeenCalledWith(payload);
    expect(onStatus).toHaveBeenCalledWith(makeStatus());
  });

  it('applies a burst frame event by event, in order, and ignores a malformed one whole', () => {
    const { bridge } = openBridge();
    const socket = FakeSocket.latest();
    socket.serverOpens();
    const seen: string[] = [];
    bridge.on('inbox:messageSaved', ({ message }) => seen.push(message.id));
    bridge.on('app:statusChanged', () => seen.push('status'));
    const saved = (id: string) => ({
      type: 'event',
      channel: 'inbox:messageSaved',
      payload: { message: { ...makeMessage(), id }, conversation: makeConversation() },
    });
    socket.serverSends({
      type: 'events',
      frames: [
        saved('m1'),
        { type: 'event', channel: 'app:statusChanged', payload: makeStatus() },
        saved('m2'),
      ],
    });
    expect(seen).toEqual(['m1', 'status', 'm2']);

    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    socket.serverSends({ type: 'events', frames: [saved('m3'), { type: 'event' }] });
    socket.serverSends({ type: 'events', frames: 'nonsense' });
    expect(seen).toEqual(['m1', 'status', 'm2']);
    expect(logged).toHaveBeenCalledWith('Inlet: ignored a malformed frame from the server');
    logged.mockRestore();
  });

  it('rejects every pending call when the socket closes, and fails new calls at once while down', async () => {
    const { bridge, states } = openBridge();
    const socket = FakeSocket.latest();
    socket.serverOpens();
    const inFlight = bridge.invoke('app:getStatus');

    socket.serverCloses();

    await expect(inFlight).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(bridge.invoke('app:getStatus')).rejects.toBeInstanceOf(ConnectionLostError);
    expect(states.at(-1)).toEqual({ kind: 'lost', retryAt: Date.now() + 1000, attempt: 1 });
  });

  it('reconnects with growing back-off and resets it once a connection succeeds', () => {
    const { states } = openBridge();
    FakeSocket.latest().serverOpens();
    FakeSocket.latest().serverCloses();

    vi.advanceTimersByTime(999);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(states.at(-1)).toEqual({ kind: 'connecting', attempt: 1 });

    FakeSocket.latest().serverCloses();
    expect(states.at(-1)).toMatchObject({ kind: 'lost', attempt: 2 });
    vi.advanceTimersByTime(2000);
    FakeSocket.latest().serverOpens();
    expect(states.at(-1)).toEqual({ kind: 'connected' });

    FakeSocket.latest().serverCloses();
    expect(states.at(-1)).toMatchObject({ kind: 'lost', attempt: 1 });
  });

  it('retryNow skips the rest of the back-off', () => {
    const { bridge } = openBridge();
    FakeSocket.latest().serverCloses();
    bridge.connection.retryNow();
    expect(FakeSocket.instances).toHaveLength(2);
    expect(bridge.connection.get()).toEqual({ kind: 'connecting', attempt: 1 });
  });

  it('dispose closes the socket, rejects pending calls and never reconnects', async () => {
    const { bridge } = openBridge();
    const socket = FakeSocket.latest();
    socket.serverOpens();
    const pending = bridge.invoke('app:getStatus');

    bridge.dispose();
    socket.serverCloses();
    vi.advanceTimersByTime(60_000);

    expect(socket.isClosed).toBe(true);
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});

describe('exponentialBackoff', () => {
  it('doubles from half a second and stops growing at 30 seconds', () => {
    expect([1, 2, 3, 4, 7, 20].map(exponentialBackoff)).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000,
    ]);
  });
});
