import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
} from './contract';
import type { IpcResult } from './result';

type Unsubscribe = () => void;

/**
 * What the renderer sees as `window.inbox` (desktop: the preload; headless: a WebSocket client).
 * Both carry the same two primitives, so the renderer cannot tell them apart.
 */
export type InboxBridge = {
  invoke<C extends InvokeChannel>(
    channel: C,
    ...input: InvokeInput<C> extends void ? [] : [InvokeInput<C>]
  ): Promise<IpcResult<InvokeOutput<C>>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): Unsubscribe;
};
