import { z } from 'zod';
import {
  INVOKE_CHANNELS,
  invokeContract,
  isInvokeChannel,
  type ChannelsOf,
  type InvokeChannel,
  type InvokeService,
  type InvokeOutput,
  type InvokeParsedInput,
} from '../../../shared/ipc/contract';
import { failure, type IpcResult } from '../../../shared/ipc/result';
import { toIpcFailure } from '../errors';
import type { Logger } from '../ports';

export type InvokeHandler<C extends InvokeChannel> = (
  input: InvokeParsedInput<C>,
) => Promise<InvokeOutput<C>>;

export type InvokeHandlers = { [C in InvokeChannel]: InvokeHandler<C> };

/**
 * The handler map one service exports, keyed by channel: `satisfies HandlersFor<'triage'>` fails
 * to compile when a `triage:*` channel has no handler, a handler has the wrong types, or the map
 * answers a channel of another service.
 */
export type HandlersFor<S extends InvokeService> = { [C in ChannelsOf<S>]: InvokeHandler<C> };

/**
 * Every channel's handler: those in `always` answer whatever state the core is in; every other
 * channel goes to the running core's services, and `running` throws while the core is stopped.
 */
export function routeHandlers<A extends InvokeChannel>(
  always: Pick<InvokeHandlers, A>,
  running: () => Omit<InvokeHandlers, A>,
): InvokeHandlers {
  return Object.fromEntries(
    INVOKE_CHANNELS.map((channel: InvokeChannel) => [
      channel,
      Object.hasOwn(always, channel)
        ? always[channel as A]
        : (input: unknown) =>
            // the one widening cast: `channel` is not narrowed to its own handler's input
            (running()[channel as Exclude<InvokeChannel, A>] as (i: unknown) => unknown)(input),
    ]),
  ) as InvokeHandlers;
}

/**
 * The single entry point for renderer commands, shared by the Electron IPC and the headless
 * WebSocket: unknown channel and invalid input are refused here, before any handler runs.
 * Callers check who sent the command (frame URL, per-run token) before calling this.
 */
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  channel: unknown,
  raw: unknown,
  logger: Logger,
): Promise<IpcResult<unknown>> {
  if (!isInvokeChannel(channel)) return failure('FORBIDDEN', 'Unknown command');
  const parsed = invokeContract[channel].input.safeParse(raw);
  if (!parsed.success) return failure('INVALID_INPUT', z.prettifyError(parsed.error));
  const run = handlers[channel] as (input: unknown) => Promise<unknown>; // the one widening cast
  try {
    return { ok: true, value: await run(parsed.data) };
  } catch (error) {
    return toIpcFailure(error, logger);
  }
}
