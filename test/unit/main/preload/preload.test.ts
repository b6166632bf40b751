import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventContract, invokeContract } from '../../../../shared/ipc/contract';
import type { InboxBridge } from '../../../../shared/ipc/bridge';
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
  ipcRenderer.removeAllListeners();
});

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
    bridge.on('app:statusChanged', (...args: unknown[]) => void received.push(args));
    const event = { sender: ipcRenderer, senderId: 0, ports: [] };
    const payload = { mode: 'sandbox' };
    ipcRenderer.emit('app:statusChanged', event, payload);
    expect(received).toEqual([[payload]]);
  });

  it('unsubscribes, and only the listener it was given', () => {
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribe = bridge.on('inbox:messageSaved', first);
    bridge.on('inbox:messageSaved', second);
    unsubscribe();
    unsubscribe(); // twice is harmless
    ipcRenderer.emit('inbox:messageSaved', {}, { message: {}, conversation: {} });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.listenerCount('inbox:messageSaved')).toBe(1);
  });

  it.each(['electron-store-get-data', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 7])(
    'refuses to subscribe to the channel %j',
    (channel) => {
      expect(() => loose().on(channel, () => undefined)).toThrow(/Unknown event channel/);
      expect(ipcRenderer.eventNames()).toEqual([]);
    },
  );

  it('refuses a listener that is not a function', () => {
    expect(() => loose().on('app:statusChanged', 'alert(1)')).toThrow(TypeError);
    expect(ipcRenderer.eventNames()).toEqual([]);
  });
});
