import { LocalizedTextSchema, type LocalizedText } from '../../shared/domain/localized-text';
import type { InboxBridge } from '../../shared/ipc/bridge';
import {
  INVOKE_CHANNELS,
  type ChannelsOf,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeInput,
  type InvokeOutput,
  type InvokeService,
  type VerbOf,
} from '../../shared/ipc/contract';
import type { AppErrorCode, IpcResult } from '../../shared/ipc/result';
import { HEADLESS_TOKEN_PARAM, HEADLESS_WS_PATH } from '../../shared/ipc/ws-protocol';
import { ALWAYS_CONNECTED, headlessSocketUrl, type ConnectionMonitor } from './connection';
import { ConnectionLostError, createWsBridge } from './ws-bridge';

/** Main's error codes, plus the one failure only the renderer can see: no channel to main. */
export type BridgeErrorCode = AppErrorCode | 'DISCONNECTED';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  /** Main's `message` as a catalogue key, when main gave one this build knows. */
  readonly detail: LocalizedText | null;

  constructor(
    code: BridgeErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: LocalizedText | null },
  ) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'BridgeError';
    this.code = code;
    this.detail = options?.detail ?? null;
  }
}

type Unsubscribe = () => void;

/** One command of the contract as the renderer calls it: resolves to the value or rejects. */
export type Command<C extends InvokeChannel> =
  InvokeInput<C> extends void
    ? () => Promise<InvokeOutput<C>>
    : (input: InvokeInput<C>) => Promise<InvokeOutput<C>>;

/**
 * Every command of the contract, grouped by the service that answers it: `sending:sendText` is
 * `client.sending.sendText(input)`. Derived from the contract, so a new channel needs nothing here.
 */
export type Commands = {
  [S in InvokeService]: { [C in ChannelsOf<S> as VerbOf<C>]: Command<C> };
};

/**
 * What the rest of the renderer uses to talk to main: the commands, rejecting with a
 * `BridgeError`; the events; and the state of the connection to main.
 */
export type InboxClient = Commands & {
  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): Unsubscribe;
  readonly connection: ConnectionMonitor;
};

/** Builds the `Commands` tree from one function per channel (the bridge's, or a test fake's). */
export function commandsFrom(
  command: <C extends InvokeChannel>(channel: C) => (input?: InvokeInput<C>) => Promise<unknown>,
): Commands {
  const services: Record<string, Record<string, unknown>> = {};
  for (const channel of INVOKE_CHANNELS) {
    const [service, verb] = channel.split(':') as [string, string];
    (services[service] ??= {})[verb] = command(channel);
  }
  return services as Commands; // the one widening cast: each entry was built from its own channel
}

export function createInboxClient(
  bridge: InboxBridge,
  connection: ConnectionMonitor = ALWAYS_CONNECTED,
): InboxClient {
  // `invoke`'s rest-tuple signature cannot be called with a generic input; `Commands` types each
  // command's input and output from the contract instead.
  const invoke = bridge.invoke.bind(bridge) as <C extends InvokeChannel>(
    channel: C,
    input?: InvokeInput<C>,
  ) => Promise<IpcResult<InvokeOutput<C>>>;
  return {
    ...commandsFrom((channel) => (input) => unwrap(invoke(channel, input))),
    on: (channel, listener) => bridge.on(channel, listener),
    connection,
  };
}

/** Turns the result convention of the IPC boundary back into ordinary promise rejection. */
export async function unwrap<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await pending;
  } catch (error) {
    if (error instanceof ConnectionLostError) {
      throw new BridgeError('DISCONNECTED', error.message, { cause: error });
    }
    // Handlers never throw across the boundary, so this is the transport itself failing. No detail
    // text: the UI shows the translated INTERNAL message, the cause stays on the error for logs.
    throw new BridgeError('INTERNAL', '', { cause: error });
  }
  if (result.ok) return result.value;
  // A key this build does not know (or a malformed one) leaves main's English text to speak.
  const detail = LocalizedTextSchema.safeParse(result.detail);
  throw new BridgeError(result.code, result.message, {
    detail: detail.success ? detail.data : null,
  });
}

/**
 * The browser UI (`inlet serve`), not the desktop app: no preload, so no native notifications or
 * badge; the page shows them itself.
 */
export function isBrowserUi(win: Window = window): boolean {
  return win.inbox === undefined;
}

/**
 * The only reader of `window.inbox`. The desktop preload provides it; in headless mode
 * (`inlet serve`) there is no preload, so the same bridge is built over a WebSocket to the page's
 * own host, authenticated with the per-run token the page was opened with.
 */
export function connectToMain(win: Window = window): InboxClient {
  if (win.inbox !== undefined) return createInboxClient(win.inbox);
  const ws = createWsBridge({
    url: headlessSocketUrl(win, HEADLESS_TOKEN_PARAM, HEADLESS_WS_PATH),
  });
  return createInboxClient(ws, ws.connection);
}
