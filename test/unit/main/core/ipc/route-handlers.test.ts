import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../../../../shared/ipc/contract';
import { routeHandlers, type InvokeHandlers } from '../../../../../main/core/ipc/dispatch';

type Always = 'app:getStatus';
type Running = Omit<InvokeHandlers, Always>;

/** Every running handler answers its own channel's name, so a test sees where a call went. */
function runningHandlers(): Running {
  return Object.fromEntries(
    INVOKE_CHANNELS.filter((channel) => channel !== 'app:getStatus').map((channel) => [
      channel,
      async (input: unknown) => ({ channel, input }),
    ]),
  ) as unknown as Running;
}

describe('routeHandlers: one handler per channel of the contract', () => {
  const always = { 'app:getStatus': async () => 'always answered' } as unknown as Pick<
    InvokeHandlers,
    Always
  >;

  it('has a handler for every channel, and only for those', () => {
    const handlers = routeHandlers(always, () => runningHandlers());
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers the always-answered channels while the core is stopped', async () => {
    const handlers = routeHandlers(always, () => {
      throw new Error('Inlet core is not started');
    });
    expect(await handlers['app:getStatus']()).toBe('always answered');
  });

  it('sends every other channel to the running core, with its input, and fails while it is stopped', async () => {
    let current: Running | null = null;
    const handlers = routeHandlers(always, () => {
      if (!current) throw new Error('Inlet core is not started');
      return current;
    });
    const input = { conversationId: '17841400000000001:1284973601758398' };
    expect(() => handlers['inbox:markRead'](input)).toThrow('Inlet core is not started');

    current = runningHandlers();
    expect(await handlers['inbox:markRead'](input)).toEqual({ channel: 'inbox:markRead', input });
  });
});
