import type { FailureReason } from '../../../shared/domain/failure-reason';
import type { Account, AppStatus, Conversation, Message } from '../../../shared/domain/schemas';
import type { Settings } from '../../../shared/ipc/accounts-contract';
import { PRIVATE_REPLY_WINDOW_MS } from '../../../shared/domain/reply-windows';
import type { Comment } from '../../../shared/ipc/comments-contract';
import { PLAIN_MESSAGE_DETAILS } from '../../fakes/messages';
import { appStatus } from '../../fakes/status';

/** A fixed "now" for every renderer test: Wednesday 2025-06-11 15:00 local time. */
export const NOW = new Date(2025, 5, 11, 15, 0, 0).getTime();
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  const customerId = overrides.customerId ?? '17841400000000001';
  return {
    id: `17841499999999999:${customerId}`,
    accountId: '17841499999999999',
    customerId,
    customerUsername: 'jane.doe',
    customerName: 'Jane Doe',
    customerPictureUrl: null,
    lastMessageAt: NOW - 5 * MINUTE,
    lastMessagePreview: 'Do you ship to Lisbon?',
    lastInboundAt: NOW - 5 * MINUTE,
    unreadCount: 0,
    sendProblem: null,
    ...overrides,
  };
}

export function makeMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    mid: 'aWdfZAG1',
    conversationId: makeConversation().id,
    direction: 'in',
    text: 'Do you ship to Lisbon?',
    attachments: [],
    at: NOW - 5 * MINUTE,
    status: 'received',
    error: null,
    isFromOtherApp: false,
    ...PLAIN_MESSAGE_DETAILS,
    ...overrides,
  };
}

export function makeAccount(overrides: Partial<Account> = {}): Account {
  return {
    igUserId: '17841499999999999',
    username: 'lisbon.ceramics',
    state: 'connected',
    reason: null,
    source: 'oauth',
    pictureUrl: null,
    ...overrides,
  };
}

/** The two accounts of the Settings tests: the shop, connected, and the café. */
export const SHOP = '17841499999999999';
export const CAFE = '17841400000000001';

/** The shop connected and the café waiting to be logged in again, for `reason`. */
export function statusWithCafeToReconnect(reason: FailureReason): AppStatus {
  return makeStatus({
    accounts: [
      makeAccount({ igUserId: SHOP }),
      makeAccount({
        igUserId: CAFE,
        username: 'lisbon.cafe',
        state: 'reconnect-needed',
        reason,
      }),
    ],
  });
}

/** A comment on the connected account's post, five minutes old, open to a private reply. */
export function makeComment(overrides: Partial<Comment> = {}): Comment {
  const at = overrides.at ?? Date.now() - 5 * MINUTE;
  return {
    id: '17867301270523379',
    accountId: '17841499999999999',
    field: 'comments',
    mediaId: '18050310947722369',
    mediaProductType: 'FEED',
    post: null,
    fromId: '952467318864215',
    fromUsername: 'priya.makes',
    text: 'Price?',
    at,
    parentId: null,
    privateReply: {
      state: 'available',
      allowedUntil: at + PRIVATE_REPLY_WINDOW_MS,
      sentAt: null,
      conversationId: null,
      refusal: null,
    },
    ...overrides,
  };
}

/** A live Inlet with one connected account. */
export function makeStatus(overrides: Partial<AppStatus> = {}): AppStatus {
  return appStatus({ mode: 'live', accounts: [makeAccount()], ...overrides });
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    appId: '990602627938098',
    hasAppSecret: true,
    hasMetaAppSecret: false,
    verifyToken: 'verify-token-0123456789',
    redirectUri: 'https://calm-otter.ngrok.app/oauth/callback',
    redirectUriProblem: null,
    hasLoginWindow: false,
    loginRedirectUri: null,
    graphVersion: 'v24.0',
    hasNgrokAuthtoken: true,
    ngrokDomain: 'calm-otter.ngrok.app',
    fromEnvironment: [],
    vault: {
      persistent: true,
      reason: null,
      canAcceptUnprotected: false,
      unprotectedAccepted: false,
    },
    ...overrides,
  };
}
