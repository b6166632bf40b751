import { z } from 'zod';
import { AppStatusSchema, ConversationSchema, MessageSchema } from '../domain/schemas';
import { accountsEventContract, accountsInvokeContract } from './accounts-contract';
import { commentsEventContract, commentsInvokeContract } from './comments-contract';
import { developerInvokeContract } from './developer-contract';
import { notificationsEventContract, notificationsInvokeContract } from './notifications-contract';
import { repliesInvokeContract } from './replies-contract';
import { searchInvokeContract } from './search-contract';
import { triageEventContract, triageInvokeContract } from './triage-contract';
import { sendingEventContract, sendingInvokeContract } from './sending-contract';
import { updatesEventContract, updatesInvokeContract } from './updates-contract';
import { healthEventContract, healthInvokeContract } from './health-contract';
import { desktopInvokeContract } from './desktop-contract';

/**
 * Every command the renderer may send (`service:verbNoun`, the prefix naming the core service that
 * answers it) and every event main pushes (`domain:nounPastTense`). Main's handler maps, the
 * preload's allow-list, the headless WebSocket, the renderer's client and its test fake all derive
 * from this one table, so a new command is one entry here and one handler in its service.
 */
export const invokeContract = {
  'app:getStatus': { input: z.void(), output: AppStatusSchema },
  /**
   * What someone helping the owner needs (versions, health, update state, recent log lines),
   * redacted, as plain text for the clipboard: Help → "Copy diagnostics" and About in both shells.
   */
  'app:getDiagnostics': { input: z.void(), output: z.object({ text: z.string() }) },
  'inbox:listConversations': {
    input: z.object({
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.object({
      conversations: z.array(ConversationSchema),
      nextCursor: z.string().nullable(),
    }),
  },
  'inbox:listMessages': {
    input: z.object({
      conversationId: z.string().min(1),
      /** Opaque cursor from a previous page: older messages than those already shown. */
      before: z.string().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.object({ messages: z.array(MessageSchema), nextCursor: z.string().nullable() }),
  },
  /**
   * The media viewer's older pictures and videos: messages carrying them older than `before` (a
   * thread's cursor), and how many pictures and videos lie before `before` in all.
   */
  'inbox:listMedia': {
    input: z.object({
      conversationId: z.string().min(1),
      before: z.string().optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.object({
      messages: z.array(MessageSchema),
      nextCursor: z.string().nullable(),
      total: z.number().int().nonnegative(),
    }),
  },
  /** Sends a failed message again; it goes back in line behind the conversation's other sends. */
  'inbox:retryMessage': {
    input: z.object({ messageId: z.string().min(1) }),
    output: z.object({ message: MessageSchema }),
  },
  /** Removes an outgoing message that did not go out; received and sent messages stay. */
  'inbox:deleteMessage': {
    input: z.object({ messageId: z.string().min(1) }),
    output: z.object({ conversation: ConversationSchema }),
  },
  'inbox:markRead': {
    input: z.object({ conversationId: z.string().min(1) }),
    output: z.object({ conversation: ConversationSchema }),
  },
  ...accountsInvokeContract,
  ...triageInvokeContract,
  ...searchInvokeContract,
  ...repliesInvokeContract,
  ...notificationsInvokeContract,
  ...sendingInvokeContract,
  ...commentsInvokeContract,
  ...updatesInvokeContract,
  ...developerInvokeContract,
  ...healthInvokeContract,
  ...desktopInvokeContract,
} as const;

export const eventContract = {
  /** A message was stored or changed (new inbound, echo, send status): upsert it and its thread. */
  'inbox:messageSaved': z.object({ message: MessageSchema, conversation: ConversationSchema }),
  /** A conversation changed without a new message (a profile was looked up, a message deleted). */
  'inbox:conversationSaved': ConversationSchema,
  /** An undelivered outgoing message was deleted: drop it from its thread. */
  'inbox:messageDeleted': z.object({ messageId: z.string(), conversationId: z.string() }),
  'app:statusChanged': AppStatusSchema,
  ...accountsEventContract,
  ...triageEventContract,
  ...notificationsEventContract,
  ...sendingEventContract,
  ...commentsEventContract,
  ...updatesEventContract,
  ...healthEventContract,
} as const;

export type InvokeChannel = keyof typeof invokeContract;
export type InvokeInput<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['input']>;
export type InvokeParsedInput<C extends InvokeChannel> = z.output<
  (typeof invokeContract)[C]['input']
>;
export type InvokeOutput<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['output']>;
export type EventChannel = keyof typeof eventContract;
export type EventPayload<C extends EventChannel> = z.output<(typeof eventContract)[C]>;

/** The service that answers a channel: the part of its name before the colon. */
export type ServiceOf<C extends string> = C extends `${infer Service}:${string}` ? Service : never;
export type InvokeService = ServiceOf<InvokeChannel>;
/** The channels one service answers. */
export type ChannelsOf<S extends InvokeService> = Extract<InvokeChannel, `${S}:${string}`>;
/** A channel's name without its service prefix: `sending:sendText` → `sendText`. */
export type VerbOf<C extends string> = C extends `${string}:${infer Verb}` ? Verb : never;

export const INVOKE_CHANNELS = Object.keys(invokeContract) as InvokeChannel[];
export const EVENT_CHANNELS = Object.keys(eventContract) as EventChannel[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeContract, value);
}
