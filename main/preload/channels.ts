import type { EventChannel, InvokeChannel } from '../../shared/ipc/contract';

/**
 * The contract's channel names, spelled out here because the preload must not bundle zod (the
 * contract module's values). `satisfies` rejects a name the contract does not have; `Exhaustive`
 * fails the typecheck when the contract gains a channel this list lacks.
 */
type Exhaustive<All extends string, Listed extends readonly All[]> = [
  Exclude<All, Listed[number]>,
] extends [never]
  ? Listed
  : { missing: Exclude<All, Listed[number]> };

const invokeChannels = [
  'app:getStatus',
  'inbox:listConversations',
  'inbox:listMessages',
  'inbox:sendText',
  'inbox:markRead',
  'inbox:retryMessage',
  'inbox:deleteMessage',
  'settings:get',
  'settings:update',
  'accounts:connect',
  'accounts:reconnect',
  'accounts:disconnect',
  'triage:list',
  'triage:setDone',
  'triage:snooze',
  'triage:setLabels',
  'triage:setNote',
  'triage:markUnread',
  'search:messages',
  'replies:list',
  'replies:save',
  'replies:delete',
  'notifications:setPresence',
  'notifications:getSettings',
  'notifications:setMuted',
  'sending:sendReply',
  'sending:sendAttachment',
  'sending:react',
  'sending:unreact',
  'sending:setTyping',
  'sending:privateReply',
  'sending:getSettings',
  'sending:setSettings',
  'comments:list',
  'updates:getState',
  'updates:check',
  'updates:setSettings',
  'updates:restart',
  'updates:cancelRestart',
] as const satisfies readonly InvokeChannel[];

const eventChannels = [
  'inbox:messageSaved',
  'inbox:conversationSaved',
  'inbox:messageDeleted',
  'app:statusChanged',
  'accounts:connectFinished',
  'triage:changed',
  'notifications:opened',
  'comments:saved',
  'updates:stateChanged',
] as const satisfies readonly EventChannel[];

export const INVOKE_CHANNELS: Exhaustive<InvokeChannel, typeof invokeChannels> = invokeChannels;
export const EVENT_CHANNELS: Exhaustive<EventChannel, typeof eventChannels> = eventChannels;
