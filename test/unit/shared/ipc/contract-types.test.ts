import { describe, expectTypeOf, it } from 'vitest';
import type { FailureReason } from '../../../../shared/domain/failure-reason';
import type { LocalizedText } from '../../../../shared/domain/localized-text';
import type { Account, AppStatus, Conversation, Message } from '../../../../shared/domain/schemas';
import type { Settings } from '../../../../shared/ipc/accounts-contract';
import type { Comment } from '../../../../shared/ipc/comments-contract';
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
  InvokeService,
} from '../../../../shared/ipc/contract';
import type { NotifyLanguage } from '../../../../shared/ipc/notifications-contract';
import type { SavedReply } from '../../../../shared/ipc/replies-contract';
import type { SearchHit } from '../../../../shared/ipc/search-contract';
import type { SendingSettings } from '../../../../shared/ipc/sending-contract';
import type { Triage } from '../../../../shared/ipc/triage-contract';
import type { UpdateState } from '../../../../shared/ipc/updates-contract';
import type { DeliveryRecordDto, Workbench } from '../../../../shared/ipc/developer-contract';
import type { HealthReport } from '../../../../shared/ipc/health-contract';
import type { StartAtLogin } from '../../../../shared/ipc/desktop-contract';

/**
 * The contract's shape, pinned: every channel with [what the renderer sends, what main answers].
 * These assertions are checked by the typecheck (`npx tsc -b`); a change to a channel's name,
 * input or output fails it until this table says the same.
 */
type Expected = {
  'app:getStatus': [void, AppStatus];
  'app:getDiagnostics': [void, { text: string }];
  'inbox:listConversations': [
    { cursor?: string | undefined; limit?: number | undefined },
    { conversations: Conversation[]; nextCursor: string | null },
  ];
  'inbox:listMessages': [
    { conversationId: string; before?: string | undefined; limit?: number | undefined },
    { messages: Message[]; nextCursor: string | null },
  ];
  'inbox:listMedia': [
    { conversationId: string; before?: string | undefined; limit?: number | undefined },
    { messages: Message[]; nextCursor: string | null; total: number },
  ];
  'inbox:retryMessage': [{ messageId: string }, { message: Message }];
  'inbox:deleteMessage': [{ messageId: string }, { conversation: Conversation }];
  'inbox:markRead': [{ conversationId: string }, { conversation: Conversation }];
  'settings:get': [void, Settings];
  'settings:update': [
    {
      appId?: string | null | undefined;
      appSecret?: string | undefined;
      clearAppSecret?: true | undefined;
      metaAppSecret?: string | undefined;
      clearMetaAppSecret?: true | undefined;
      graphVersion?: string | undefined;
      ngrokAuthtoken?: string | undefined;
      clearNgrokAuthtoken?: true | undefined;
      ngrokDomain?: string | null | undefined;
      regenerateVerifyToken?: true | undefined;
      acceptUnprotectedStorage?: boolean | undefined;
      loginRedirectUri?: string | null | undefined;
    },
    Settings,
  ];
  'accounts:connect': [void, { authorizeUrl: string }];
  'accounts:reconnect': [{ igUserId: string }, { authorizeUrl: string }];
  'accounts:disconnect': [{ igUserId: string }, void];
  'triage:list': [void, { items: Triage[] }];
  'triage:setDone': [{ conversationId: string; isDone: boolean }, Triage];
  'triage:snooze': [{ conversationId: string; until: number | null }, Triage];
  'triage:setLabels': [{ conversationId: string; labels: string[] }, Triage];
  'triage:setNote': [{ conversationId: string; note: string }, Triage];
  'triage:markUnread': [{ conversationId: string }, { conversation: Conversation }];
  'search:messages': [
    { query: string; limit?: number | undefined },
    { hits: SearchHit[]; customerMatches: string[]; conversations: Conversation[] },
  ];
  'replies:list': [void, { replies: SavedReply[] }];
  'replies:save': [
    { id?: number | undefined; shortcut: string; body: string },
    { replies: SavedReply[] },
  ];
  'replies:delete': [{ id: number }, { replies: SavedReply[] }];
  'notifications:setPresence': [
    { conversationId: string | null; language: NotifyLanguage },
    Record<string, never>,
  ];
  'notifications:getSettings': [void, { mutedAccountIds: string[] }];
  'notifications:setMuted': [
    { accountId: string; isMuted: boolean },
    { mutedAccountIds: string[] },
  ];
  'sending:sendText': [
    {
      conversationId: string;
      text: string;
      replyToMessageId?: string | undefined;
      humanAgent?: boolean | undefined;
    },
    { message: Message },
  ];
  'sending:sendAttachment': [
    {
      conversationId: string;
      fileName: string;
      mimeType: string;
      dataBase64: string;
      humanAgent?: boolean | undefined;
    },
    { message: Message },
  ];
  'sending:react': [{ messageId: string }, { message: Message }];
  'sending:unreact': [{ messageId: string }, { message: Message }];
  'sending:setTyping': [{ conversationId: string; isTyping: boolean }, { sent: boolean }];
  'sending:sendNow': [{ messageId: string }, Record<string, never>];
  'sending:getSettings': [void, SendingSettings];
  'sending:setSettings': [SendingSettings, SendingSettings];
  'comments:list': [
    { accountId: string; cursor?: string | undefined; limit?: number | undefined },
    { comments: Comment[]; nextCursor: string | null },
  ];
  'comments:privateReply': [
    { accountId: string; commentId: string; text: string },
    { recipientId: string; mid: string },
  ];
  'updates:getState': [void, UpdateState];
  'updates:check': [void, UpdateState];
  'updates:setSettings': [
    { autoCheck?: boolean | undefined; prereleases?: boolean | undefined },
    UpdateState,
  ];
  'updates:restart': [{ now?: boolean | undefined }, UpdateState];
  'updates:cancelRestart': [void, UpdateState];
  'developer:listDeliveries': [
    {
      limit?: number | undefined;
      accountId?: string | undefined;
      kind?: string | undefined;
      refused?: boolean | undefined;
      signature?: 'valid' | 'wrong' | 'missing' | 'unchecked' | undefined;
      outcome?: 'understood' | 'not-understood' | 'pending' | 'refused' | undefined;
      text?: string | undefined;
      messageId?: string | undefined;
    },
    { deliveries: DeliveryRecordDto[] },
  ];
  'developer:getDelivery': [
    { id: string },
    { delivery: DeliveryRecordDto; bodyBase64: string; headers: Record<string, string> },
  ];
  'developer:getSettings': [void, { enabled: boolean }];
  'developer:setSettings': [{ enabled?: boolean | undefined }, { enabled: boolean }];
  'developer:replay': [
    { id: string; editedJson?: string | undefined },
    { delivery: DeliveryRecordDto | null },
  ];
  'developer:curl': [{ id: string }, { command: string }];
  'developer:getWorkbench': [void, Workbench];
  'developer:setForwarding': [
    { targets?: string[] | undefined; allowRemote?: boolean | undefined },
    Workbench,
  ];
  'developer:prune': [
    { days: number },
    { bodiesDropped: number; refusedDropped: number; workbench: Workbench },
  ];
  'developer:simulate': [
    { kind: string; accountId?: string | undefined; text?: string | undefined },
    { delivery: DeliveryRecordDto | null },
  ];
  'health:get': [void, HealthReport];
  'health:runNow': [void, HealthReport];
  'health:testLoop': [{ account: string }, HealthReport];
  'health:fix': [
    { repair: 'resubscribe' | 'reconnect-account' | 'restart-tunnel'; account: string | null },
    HealthReport,
  ];
  'desktop:getStartAtLogin': [void, StartAtLogin];
  'desktop:setStartAtLogin': [{ isEnabled: boolean }, StartAtLogin];
};

describe('the IPC contract', () => {
  it('has exactly the pinned commands', () => {
    expectTypeOf<InvokeChannel>().toEqualTypeOf<keyof Expected>();
    expectTypeOf<InvokeService>().toEqualTypeOf<
      | 'app'
      | 'inbox'
      | 'settings'
      | 'accounts'
      | 'triage'
      | 'search'
      | 'replies'
      | 'notifications'
      | 'sending'
      | 'comments'
      | 'updates'
      | 'developer'
      | 'health'
      | 'desktop'
    >();
  });

  it('pins the input and output of every command', () => {
    expectTypeOf<InvokeInput<'app:getStatus'>>().toEqualTypeOf<Expected['app:getStatus'][0]>();
    expectTypeOf<InvokeOutput<'app:getStatus'>>().toEqualTypeOf<Expected['app:getStatus'][1]>();
    expectTypeOf<InvokeInput<'app:getDiagnostics'>>().toEqualTypeOf<
      Expected['app:getDiagnostics'][0]
    >();
    expectTypeOf<InvokeOutput<'app:getDiagnostics'>>().toEqualTypeOf<
      Expected['app:getDiagnostics'][1]
    >();
    expectTypeOf<InvokeInput<'inbox:listConversations'>>().toEqualTypeOf<
      Expected['inbox:listConversations'][0]
    >();
    expectTypeOf<InvokeOutput<'inbox:listConversations'>>().toEqualTypeOf<
      Expected['inbox:listConversations'][1]
    >();
    expectTypeOf<InvokeInput<'inbox:listMessages'>>().toEqualTypeOf<
      Expected['inbox:listMessages'][0]
    >();
    expectTypeOf<InvokeOutput<'inbox:listMessages'>>().toEqualTypeOf<
      Expected['inbox:listMessages'][1]
    >();
    expectTypeOf<InvokeInput<'inbox:listMedia'>>().toEqualTypeOf<Expected['inbox:listMedia'][0]>();
    expectTypeOf<InvokeOutput<'inbox:listMedia'>>().toEqualTypeOf<Expected['inbox:listMedia'][1]>();
    expectTypeOf<InvokeInput<'inbox:retryMessage'>>().toEqualTypeOf<
      Expected['inbox:retryMessage'][0]
    >();
    expectTypeOf<InvokeOutput<'inbox:retryMessage'>>().toEqualTypeOf<
      Expected['inbox:retryMessage'][1]
    >();
    expectTypeOf<InvokeInput<'inbox:deleteMessage'>>().toEqualTypeOf<
      Expected['inbox:deleteMessage'][0]
    >();
    expectTypeOf<InvokeOutput<'inbox:deleteMessage'>>().toEqualTypeOf<
      Expected['inbox:deleteMessage'][1]
    >();
    expectTypeOf<InvokeInput<'inbox:markRead'>>().toEqualTypeOf<Expected['inbox:markRead'][0]>();
    expectTypeOf<InvokeOutput<'inbox:markRead'>>().toEqualTypeOf<Expected['inbox:markRead'][1]>();
    expectTypeOf<InvokeInput<'settings:get'>>().toEqualTypeOf<Expected['settings:get'][0]>();
    expectTypeOf<InvokeOutput<'settings:get'>>().toEqualTypeOf<Expected['settings:get'][1]>();
    expectTypeOf<InvokeInput<'settings:update'>>().toEqualTypeOf<Expected['settings:update'][0]>();
    expectTypeOf<InvokeOutput<'settings:update'>>().toEqualTypeOf<Expected['settings:update'][1]>();
    expectTypeOf<InvokeInput<'accounts:connect'>>().toEqualTypeOf<
      Expected['accounts:connect'][0]
    >();
    expectTypeOf<InvokeOutput<'accounts:connect'>>().toEqualTypeOf<
      Expected['accounts:connect'][1]
    >();
    expectTypeOf<InvokeInput<'accounts:reconnect'>>().toEqualTypeOf<
      Expected['accounts:reconnect'][0]
    >();
    expectTypeOf<InvokeOutput<'accounts:reconnect'>>().toEqualTypeOf<
      Expected['accounts:reconnect'][1]
    >();
    expectTypeOf<InvokeInput<'accounts:disconnect'>>().toEqualTypeOf<
      Expected['accounts:disconnect'][0]
    >();
    expectTypeOf<InvokeOutput<'accounts:disconnect'>>().toEqualTypeOf<
      Expected['accounts:disconnect'][1]
    >();
    expectTypeOf<InvokeInput<'triage:list'>>().toEqualTypeOf<Expected['triage:list'][0]>();
    expectTypeOf<InvokeOutput<'triage:list'>>().toEqualTypeOf<Expected['triage:list'][1]>();
    expectTypeOf<InvokeInput<'triage:setDone'>>().toEqualTypeOf<Expected['triage:setDone'][0]>();
    expectTypeOf<InvokeOutput<'triage:setDone'>>().toEqualTypeOf<Expected['triage:setDone'][1]>();
    expectTypeOf<InvokeInput<'triage:snooze'>>().toEqualTypeOf<Expected['triage:snooze'][0]>();
    expectTypeOf<InvokeOutput<'triage:snooze'>>().toEqualTypeOf<Expected['triage:snooze'][1]>();
    expectTypeOf<InvokeInput<'triage:setLabels'>>().toEqualTypeOf<
      Expected['triage:setLabels'][0]
    >();
    expectTypeOf<InvokeOutput<'triage:setLabels'>>().toEqualTypeOf<
      Expected['triage:setLabels'][1]
    >();
    expectTypeOf<InvokeInput<'triage:setNote'>>().toEqualTypeOf<Expected['triage:setNote'][0]>();
    expectTypeOf<InvokeOutput<'triage:setNote'>>().toEqualTypeOf<Expected['triage:setNote'][1]>();
    expectTypeOf<InvokeInput<'triage:markUnread'>>().toEqualTypeOf<
      Expected['triage:markUnread'][0]
    >();
    expectTypeOf<InvokeOutput<'triage:markUnread'>>().toEqualTypeOf<
      Expected['triage:markUnread'][1]
    >();
    expectTypeOf<InvokeInput<'search:messages'>>().toEqualTypeOf<Expected['search:messages'][0]>();
    expectTypeOf<InvokeOutput<'search:messages'>>().toEqualTypeOf<Expected['search:messages'][1]>();
    expectTypeOf<InvokeInput<'replies:list'>>().toEqualTypeOf<Expected['replies:list'][0]>();
    expectTypeOf<InvokeOutput<'replies:list'>>().toEqualTypeOf<Expected['replies:list'][1]>();
    expectTypeOf<InvokeInput<'replies:save'>>().toEqualTypeOf<Expected['replies:save'][0]>();
    expectTypeOf<InvokeOutput<'replies:save'>>().toEqualTypeOf<Expected['replies:save'][1]>();
    expectTypeOf<InvokeInput<'replies:delete'>>().toEqualTypeOf<Expected['replies:delete'][0]>();
    expectTypeOf<InvokeOutput<'replies:delete'>>().toEqualTypeOf<Expected['replies:delete'][1]>();
    expectTypeOf<InvokeInput<'notifications:setPresence'>>().toEqualTypeOf<
      Expected['notifications:setPresence'][0]
    >();
    expectTypeOf<InvokeOutput<'notifications:setPresence'>>().toEqualTypeOf<
      Expected['notifications:setPresence'][1]
    >();
    expectTypeOf<InvokeInput<'notifications:getSettings'>>().toEqualTypeOf<
      Expected['notifications:getSettings'][0]
    >();
    expectTypeOf<InvokeOutput<'notifications:getSettings'>>().toEqualTypeOf<
      Expected['notifications:getSettings'][1]
    >();
    expectTypeOf<InvokeInput<'notifications:setMuted'>>().toEqualTypeOf<
      Expected['notifications:setMuted'][0]
    >();
    expectTypeOf<InvokeOutput<'notifications:setMuted'>>().toEqualTypeOf<
      Expected['notifications:setMuted'][1]
    >();
    expectTypeOf<InvokeInput<'sending:sendText'>>().toEqualTypeOf<
      Expected['sending:sendText'][0]
    >();
    expectTypeOf<InvokeOutput<'sending:sendText'>>().toEqualTypeOf<
      Expected['sending:sendText'][1]
    >();
    expectTypeOf<InvokeInput<'sending:sendAttachment'>>().toEqualTypeOf<
      Expected['sending:sendAttachment'][0]
    >();
    expectTypeOf<InvokeOutput<'sending:sendAttachment'>>().toEqualTypeOf<
      Expected['sending:sendAttachment'][1]
    >();
    expectTypeOf<InvokeInput<'sending:react'>>().toEqualTypeOf<Expected['sending:react'][0]>();
    expectTypeOf<InvokeOutput<'sending:react'>>().toEqualTypeOf<Expected['sending:react'][1]>();
    expectTypeOf<InvokeInput<'sending:unreact'>>().toEqualTypeOf<Expected['sending:unreact'][0]>();
    expectTypeOf<InvokeOutput<'sending:unreact'>>().toEqualTypeOf<Expected['sending:unreact'][1]>();
    expectTypeOf<InvokeInput<'sending:setTyping'>>().toEqualTypeOf<
      Expected['sending:setTyping'][0]
    >();
    expectTypeOf<InvokeOutput<'sending:setTyping'>>().toEqualTypeOf<
      Expected['sending:setTyping'][1]
    >();
    expectTypeOf<InvokeInput<'sending:getSettings'>>().toEqualTypeOf<
      Expected['sending:getSettings'][0]
    >();
    expectTypeOf<InvokeOutput<'sending:getSettings'>>().toEqualTypeOf<
      Expected['sending:getSettings'][1]
    >();
    expectTypeOf<InvokeInput<'sending:sendNow'>>().toEqualTypeOf<Expected['sending:sendNow'][0]>();
    expectTypeOf<InvokeInput<'sending:setSettings'>>().toEqualTypeOf<
      Expected['sending:setSettings'][0]
    >();
    expectTypeOf<InvokeOutput<'sending:setSettings'>>().toEqualTypeOf<
      Expected['sending:setSettings'][1]
    >();
    expectTypeOf<InvokeInput<'comments:list'>>().toEqualTypeOf<Expected['comments:list'][0]>();
    expectTypeOf<InvokeOutput<'comments:list'>>().toEqualTypeOf<Expected['comments:list'][1]>();
    expectTypeOf<InvokeInput<'comments:privateReply'>>().toEqualTypeOf<
      Expected['comments:privateReply'][0]
    >();
    expectTypeOf<InvokeOutput<'comments:privateReply'>>().toEqualTypeOf<
      Expected['comments:privateReply'][1]
    >();
    expectTypeOf<InvokeInput<'updates:getState'>>().toEqualTypeOf<
      Expected['updates:getState'][0]
    >();
    expectTypeOf<InvokeOutput<'updates:getState'>>().toEqualTypeOf<
      Expected['updates:getState'][1]
    >();
    expectTypeOf<InvokeInput<'updates:check'>>().toEqualTypeOf<Expected['updates:check'][0]>();
    expectTypeOf<InvokeOutput<'updates:check'>>().toEqualTypeOf<Expected['updates:check'][1]>();
    expectTypeOf<InvokeInput<'updates:setSettings'>>().toEqualTypeOf<
      Expected['updates:setSettings'][0]
    >();
    expectTypeOf<InvokeOutput<'updates:setSettings'>>().toEqualTypeOf<
      Expected['updates:setSettings'][1]
    >();
    expectTypeOf<InvokeInput<'updates:restart'>>().toEqualTypeOf<Expected['updates:restart'][0]>();
    expectTypeOf<InvokeOutput<'updates:restart'>>().toEqualTypeOf<Expected['updates:restart'][1]>();
    expectTypeOf<InvokeInput<'updates:cancelRestart'>>().toEqualTypeOf<
      Expected['updates:cancelRestart'][0]
    >();
    expectTypeOf<InvokeOutput<'updates:cancelRestart'>>().toEqualTypeOf<
      Expected['updates:cancelRestart'][1]
    >();
    expectTypeOf<InvokeInput<'health:get'>>().toEqualTypeOf<Expected['health:get'][0]>();
    expectTypeOf<InvokeOutput<'health:get'>>().toEqualTypeOf<Expected['health:get'][1]>();
    expectTypeOf<InvokeInput<'health:runNow'>>().toEqualTypeOf<Expected['health:runNow'][0]>();
    expectTypeOf<InvokeOutput<'health:runNow'>>().toEqualTypeOf<Expected['health:runNow'][1]>();
    expectTypeOf<InvokeInput<'health:fix'>>().toEqualTypeOf<Expected['health:fix'][0]>();
    expectTypeOf<InvokeOutput<'health:fix'>>().toEqualTypeOf<Expected['health:fix'][1]>();
    expectTypeOf<InvokeInput<'desktop:setStartAtLogin'>>().toEqualTypeOf<
      Expected['desktop:setStartAtLogin'][0]
    >();
    expectTypeOf<InvokeOutput<'desktop:getStartAtLogin'>>().toEqualTypeOf<{
      isEnabled: boolean;
      unavailable: 'linux' | 'development' | 'headless' | null;
      needsApproval: boolean;
    }>();
  });

  it('pins every event and its payload', () => {
    expectTypeOf<{ [C in EventChannel]: EventPayload<C> }>().toEqualTypeOf<{
      'inbox:messageSaved': { message: Message; conversation: Conversation };
      'inbox:conversationSaved': Conversation;
      'inbox:messageDeleted': { messageId: string; conversationId: string };
      'app:statusChanged': AppStatus;
      'health:changed': HealthReport;
      'accounts:connectFinished':
        | { ok: true; igUserId: string; username: string }
        | {
            ok: false;
            code:
              | 'denied'
              | 'permission-missing'
              | 'exchange-failed'
              | 'timeout'
              | 'cancelled'
              | 'browser-failed'
              | 'wrong-account';
            reason: FailureReason;
          };
      'triage:changed': Triage;
      'notifications:opened': { conversationId: string };
      'notifications:raised': { conversationId: string; title: string; body: string };
      'comments:saved': Comment;
      'updates:stateChanged': UpdateState;
    }>();
  });

  it('carries every reason in one shape: a FailureReason, or null when there is none', () => {
    expectTypeOf<Message['error']>().toEqualTypeOf<FailureReason | null>();
    expectTypeOf<Account['reason']>().toEqualTypeOf<FailureReason | null>();
    expectTypeOf<AppStatus['tunnel']['error']>().toEqualTypeOf<FailureReason | null>();
    expectTypeOf<Comment['privateReply']['refusal']>().toEqualTypeOf<FailureReason | null>();
    expectTypeOf<Settings['redirectUriProblem']>().toEqualTypeOf<FailureReason | null>();
    expectTypeOf<Settings['vault']['reason']>().toEqualTypeOf<FailureReason | null>();
    expectTypeOf<FailureReason>().toEqualTypeOf<{
      text: string;
      detail: LocalizedText | null;
    }>();
  });
});
