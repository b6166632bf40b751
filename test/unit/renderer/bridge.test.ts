import { describe, expect, it, vi } from 'vitest';
import type { InboxBridge } from '../../../shared/ipc/bridge';
import { INVOKE_CHANNELS } from '../../../shared/ipc/contract';
import { BridgeError, connectToMain, createInboxClient } from '../../../renderer/src/bridge';
import { ConnectionLostError } from '../../../renderer/src/ws-bridge';
import { makeConversation, makeStatus } from './fixtures';

function bridgeAnswering(answer: (channel: string, input: unknown) => Promise<unknown>) {
  const invoke = vi.fn(answer);
  const on = vi.fn((_channel: string, _listener: unknown) => () => undefined);
  // The spies are untyped stand-ins for the contract-typed preload functions.
  const bridge = { invoke, on } as unknown as InboxBridge;
  return Object.assign(bridge, { invokeSpy: invoke, onSpy: on });
}

describe('createInboxClient', () => {
  it('resolves to the value of a successful result and passes the input through', async () => {
    const conversation = makeConversation();
    const bridge = bridgeAnswering(async () => ({ ok: true, value: { conversation } }));
    const client = createInboxClient(bridge);

    await expect(client.inbox.markRead({ conversationId: conversation.id })).resolves.toEqual({
      conversation,
    });
    expect(bridge.invokeSpy).toHaveBeenCalledWith('inbox:markRead', {
      conversationId: conversation.id,
    });
  });

  it("rejects a failed result with a BridgeError carrying main's code and message", async () => {
    const client = createInboxClient(
      bridgeAnswering(async () => ({
        ok: false,
        code: 'OUTSIDE_WINDOW',
        message: 'The 24-hour window has closed',
      })),
    );
    const error = await client.sending
      .sendText({ conversationId: 'c', text: 'hi' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({
      code: 'OUTSIDE_WINDOW',
      message: 'The 24-hour window has closed',
    });
  });

  it('turns a lost connection into DISCONNECTED and any other transport failure into INTERNAL', async () => {
    const lost = createInboxClient(
      bridgeAnswering(() => Promise.reject(new ConnectionLostError())),
    );
    await expect(lost.app.getStatus()).rejects.toMatchObject({
      name: 'BridgeError',
      code: 'DISCONNECTED',
    });

    const broken = createInboxClient(
      bridgeAnswering(() => Promise.reject(new Error('No handler registered'))),
    );
    await expect(broken.app.getStatus()).rejects.toMatchObject({
      name: 'BridgeError',
      code: 'INTERNAL',
    });
  });

  it('has one command per channel of the contract, each invoking its own channel', async () => {
    const bridge = bridgeAnswering(async () => ({ ok: true, value: null }));
    // Walked generically here, so the typed tree is read as plain records.
    const client = createInboxClient(bridge) as unknown as Record<
      string,
      Record<string, (input?: unknown) => Promise<unknown>>
    >;
    for (const channel of INVOKE_CHANNELS) {
      const [service = '', verb = ''] = channel.split(':');
      await client[service]?.[verb]?.({ probe: channel });
      expect(bridge.invokeSpy).toHaveBeenLastCalledWith(channel, { probe: channel });
    }
    expect(bridge.invokeSpy).toHaveBeenCalledTimes(INVOKE_CHANNELS.length);
  });

  it('subscribes listeners to the matching event channel', () => {
    const bridge = bridgeAnswering(async () => ({ ok: true, value: null }));
    const listener = vi.fn();
    createInboxClient(bridge).on('app:statusChanged', listener);
    expect(bridge.onSpy).toHaveBeenCalledWith('app:statusChanged', listener);
  });
});

describe('connectToMain', () => {
  it('uses the preload bridge when the window has one', async () => {
    const status = makeStatus();
    const preload = bridgeAnswering(async () => ({ ok: true, value: status }));
    const win = Object.assign(Object.create(window) as Window, { inbox: preload });

    const client = connectToMain(win);

    await expect(client.app.getStatus()).resolves.toEqual(status);
    expect(client.connection.get()).toEqual({ kind: 'connected' });
  });

  it('without a preload, opens a WebSocket to the same host with the page token', () => {
    const opened: string[] = [];
    class RecordingSocket {
      onopen = null;
      onclose = null;
      onmessage = null;
      onerror = null;
      constructor(url: string) {
        opened.push(url);
      }
      send(): void {}
      close(): void {}
    }
    vi.stubGlobal('WebSocket', RecordingSocket);
    const win = {
      location: new URL('http://127.0.0.1:4321/?token=s3cr%2Bt') as unknown as Location,
      history: { state: null, replaceState: vi.fn() },
      sessionStorage: window.sessionStorage,
    } as unknown as Window;

    const client = connectToMain(win);

    expect(opened).toEqual(['ws://127.0.0.1:4321/ipc?token=s3cr%2Bt']);
    expect(client.connection.get()).toEqual({ kind: 'connecting', attempt: 0 });
    vi.unstubAllGlobals();
  });
});
