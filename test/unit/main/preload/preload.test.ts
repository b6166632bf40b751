import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventContract, invokeContract } from '../../../../shared/ipc/contract';
import type { InboxBridge } from '../../../../shared/ipc/bridge';
import { EVENT_BATCH_CHANNEL, type EventBatch } from '../../../../shared/ipc/event-batch';
import { channelNamesDefine } from '../../../../main/preload/channel-names';
import { contextBridge, ipcRenderer } from '../electron/electron-mock';

vi.mock('electron', () => import('../electron/electron-mock'));

// What the build's `define` writes into the bundle (electron.vite.config.ts), before the preload loads.
await vi.hoisted(async () => {
  const { channelNamesDefine } = await import('../../../../main/preload/channel-names');
  vi.stubGlobal('__INLET_IPC_CHANNELS__', JSON.parse(channelNamesDefine.__INLET_IPC_CHANNELS__));
});
const { EVENT_CHANNELS, INVOKE_CHANNELS } = await import('../../../../main/preload/channels');

let bridge: InboxBridge;

beforeAll(async () => {
  await import('../../../../main/preload/index'); // exposes window.inbox as a side effect
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [name, api] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, InboxBridge];
  expect(name).toBe('inbox');
  bridge = api;
});

beforeEach(() => {
  ipcRenderer.invoke.mockClear();
});

/** Main's one event message: the events of a turn, in order (main/electron/ipc.ts). */
const sendBatch = (batch: EventBatch) =>
  ipcRenderer.emit(EVENT_BATCH_CHANNEL, { sender: ipcRenderer, senderId: 0, ports: [] }, batch);

/** The bridge is typed for the renderer; these tests also play a hostile page, hence the widening. */
const loose = () =>
  bridge as unknown as {
    invoke: (channel: unknown, ...input: unknown[]) => Promise<unknown>;
    on: (channel: unknown, listener: unknown) => () => void;
  };

describe('the preload channel lists', () => {
  it('name exactly the channels of the contract', () => {
    expect([...INVOKE_CHANNELS].sort()).toEqual(Object.keys(invokeContract).sort());
    expect([...EVENT_CHANNELS].sort()).toEqual(Object.keys(eventContract).sort());
  });

  it('are what the build writes into the preload bundle', async () => {
    const { default: config } = await import('../../../../electron.vite.config');
    const preload = (config as { preload?: { define?: Record<string, string> } }).preload;
    expect(preload?.define).toEqual(channelNamesDefine);
  });
});

describe('window.inbox', () => {
  it('exposes only invoke and on: no ipcRenderer, no send, no event object', () => {
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('forwards a contract command with exactly one input argument', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({
      ok: true,
      value: { conversations: [], nextCursor: null },
    });
    const result = await bridge.invoke('inbox:listConversations', { limit: 20 });
    expect(result).toEqual({ ok: true, value: { conversations: [], nextCursor: null } });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('inbox:listConversations', { limit: 20 });

    await loose().invoke('app:getStatus', undefined, 'smuggled', 'extra');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('app:getStatus', undefined);
  });

  it.each([
    'electron-store-get-data', // electron-store's own synchronous channel in main
    'shell:openExternal',
    'constructor',
    '__proto__',
    'toString',
    '',
    42,
    null,
    { toString: () => 'app:getStatus' },
  ])(
    'refuses the channel %j with a FORBIDDEN result and never reaches ipcRenderer',
    async (channel) => {
      await expect(loose().invoke(channel, {})).resolves.toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: 'Unknown command',
      });
      expect(ipcRenderer.invoke).not.toHaveBeenCalled();
    },
  );

  it('hands a listener the payload only, never the IpcRendererEvent', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge.on(
      'app:statusChanged',
      (...args: unknown[]) => void received.push(args),
    );
    const payload = { mode: 'sandbox' };
    sendBatch([['app:statusChanged', payload]]);
    expect(received).toEqual([[payload]]);
    unsubscribe();
  });

  it('hands a batch to the listeners of each channel in order, within the one task', () => {
    const seen: string[] = [];
    const stops = [
      bridge.on('inbox:messageSaved', (payload) => void seen.push(`saved ${payload.message.id}`)),
      bridge.on('triage:changed', (payload) => void seen.push(`triage ${payload.conversationId}`)),
    ];
    sendBatch([
      ['inbox:messageSaved', { message: { id: 'm1' }, conversation: {} }],
      ['triage:changed', { conversationId: 'c1' }],
      ['health:changed', { overall: 'ok', checks: [] }], // no listener: skipped
      ['inbox:messageSaved', { message: { id: 'm2' }, conversation: {} }],
    ]);
    expect(seen).toEqual(['saved m1', 'triage c1', 'saved m2']);
    stops.forEach((stop) => stop());
    sendBatch([['inbox:messageSaved', { message: { id: 'm3' }, conversation: {} }]]);
    expect(seen).toHaveLength(3);
  });

  it('ignores a batch that is not a list', () => {
    const listener = vi.fn();
    const stop = bridge.on('app:statusChanged', listener);
    expect(() => sendBatch({} as unknown as EventBatch)).not.toThrow();
    expect(listener).not.toHaveBeenCalled();
    stop();
  });

  it('unsubscribes, and only the listener it was given', () => {
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribe = bridge.on('inbox:messageSaved', first);
    bridge.on('inbox:messageSaved', second);
    const again = bridge.on('inbox:messageSaved', second); // the same function twice: two subscriptions
    unsubscribe();
    unsubscribe(); // twice is harmless
    sendBatch([['inbox:messageSaved', { message: {}, conversation: {} }]]);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(2);
    again();
    sendBatch([['inbox:messageSaved', { message: {}, conversation: {} }]]);
    expect(second).toHaveBeenCalledTimes(3);
    // However many subscriptions, the page holds one IPC listener: main's batch channel.
    expect(ipcRenderer.eventNames()).toEqual([EVENT_BATCH_CHANNEL]);
    expect(ipcRenderer.listenerCount(EVENT_BATCH_CHANNEL)).toBe(1);
  });

  it.each(['electron-store-get-data', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 7])(
    'refuses to subscribe to the channel %j',
    (channel) => {
      expect(() => loose().on(channel, () => undefined)).toThrow(/Unknown event channel/);
      expect(ipcRenderer.eventNames()).toEqual([EVENT_BATCH_CHANNEL]);
    },
  );

  it('refuses a listener that is not a function', () => {
    expect(() => loose().on('app:statusChanged', 'alert(1)')).toThrow(TypeError);
    expect(ipcRenderer.eventNames()).toEqual([EVENT_BATCH_CHANNEL]);
  });
});
